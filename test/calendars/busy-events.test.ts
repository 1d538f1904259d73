// The pure readers of calendar data: iCalendar → busy intervals, and WebDAV XML.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { busyFromIcs } from '../../src/calendars/busy-events.ts';
import { CALDAV, DAV, child, find, parseXml, textOf } from '../../src/calendars/xml.ts';
import { vcalendar, vevent } from './calendar-events.ts';

const window = { from: Date.UTC(2030, 0, 1), to: Date.UTC(2030, 5, 1), zone: 'Europe/Berlin', ownerEmails: new Set(['me@example.com']) };
const iso = (ms: number) => new Date(ms).toISOString();

describe('busyFromIcs', () => {
  test('a weekly event across the spring-forward change keeps its wall time (Berlin 09:00 = 08:00Z, then 07:00Z)', () => {
    const ics = vcalendar(vevent('w', ['DTSTART;TZID=Europe/Berlin:20300318T090000', 'DTEND;TZID=Europe/Berlin:20300318T100000', 'RRULE:FREQ=WEEKLY;COUNT=3']));
    assert.deepEqual(busyFromIcs([ics], window).map((b) => iso(b.start)), ['2030-03-18T08:00:00.000Z', '2030-03-25T08:00:00.000Z', '2030-04-01T07:00:00.000Z']);
  });

  test('floating times are read in the host’s zone; DURATION gives the end', () => {
    const ics = vcalendar(vevent('f', ['DTSTART:20300110T120000', 'DURATION:PT45M']));
    const [busy] = busyFromIcs([ics], window);
    assert.equal(iso(busy!.start), '2030-01-10T11:00:00.000Z');
    assert.equal(iso(busy!.end), '2030-01-10T11:45:00.000Z');
  });

  test('a declined instance of a recurring event (RECURRENCE-ID with PARTSTAT=DECLINED) frees only that instance', () => {
    const ics = vcalendar(
      vevent('r', ['DTSTART:20300107T100000Z', 'DTEND:20300107T110000Z', 'RRULE:FREQ=DAILY;COUNT=3']),
      vevent('r', ['RECURRENCE-ID:20300108T100000Z', 'DTSTART:20300108T100000Z', 'DTEND:20300108T110000Z', 'ATTENDEE;PARTSTAT=DECLINED:mailto:ME@example.com']),
    );
    assert.deepEqual(busyFromIcs([ics], window).map((b) => iso(b.start)), ['2030-01-07T10:00:00.000Z', '2030-01-09T10:00:00.000Z']);
  });

  test('an endless rule stops at the window; unreadable text is skipped, not fatal', () => {
    const ics = vcalendar(vevent('d', ['DTSTART:20300101T080000Z', 'DTEND:20300101T083000Z', 'RRULE:FREQ=DAILY']));
    const busy = busyFromIcs(['not a calendar', ics], { ...window, to: Date.UTC(2030, 0, 11) });
    assert.equal(busy.length, 10);
  });
});

describe('parseXml', () => {
  test('resolves namespaces whatever the prefixes, decodes entities and CDATA', () => {
    const root = parseXml(`<?xml version="1.0"?>
      <multistatus xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><response><href>/a%20b/</href>
      <propstat><prop><displayname>Work &amp; more</displayname><C:calendar-data><![CDATA[BEGIN:VCALENDAR]]></C:calendar-data></prop></propstat></response></multistatus>`);
    assert.equal(root.ns, DAV);
    assert.equal(textOf(find(root, DAV, 'displayname')), 'Work & more');
    assert.equal(textOf(find(root, CALDAV, 'calendar-data')), 'BEGIN:VCALENDAR');
    assert.equal(textOf(child(child(root, DAV, 'response'), DAV, 'href')), '/a%20b/');
  });

  test('refuses DTDs and unbalanced documents', () => {
    assert.throws(() => parseXml('<!DOCTYPE x [<!ENTITY a "b">]><x/>'), /DTD/);
    assert.throws(() => parseXml('<a><b></a>'));
  });
});
