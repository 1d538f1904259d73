// Busy time from a real CalDAV server (Radicale on loopback): the host's calendar events hide
// exactly the starts they cover — single, recurring with an excluded and a moved instance, in
// another zone — while all-day, transparent, cancelled and declined events hide nothing. Bookings
// respect the same busy time, re-reading the calendar before they commit. With Radicale stopped,
// slot search answers from the cache and says whose calendar is stale.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type TestApp, type TestCompany, startTestApp } from '../helpers/app.ts';
import { type TestHost, bookingBody, newHost, testClock } from '../helpers/bookings.ts';
import { RADICALE_USER, type Radicale, skipWithoutRadicale, startRadicale } from '../helpers/radicale.ts';
import { HIDDEN, expectedStarts, vcalendar, vevent, weekEvents } from './calendar-events.ts';

const WEEK = '&start=2030-01-08&end=2030-01-11&timezone=Europe/Berlin';
const berlinWall = (iso: string) => iso.slice(0, 16);

describe('busy time from a CalDAV calendar (Radicale)', { skip: skipWithoutRadicale }, () => {
  let t: TestApp;
  let radicale: Radicale;
  let company: TestCompany;
  let host: TestHost;
  let hostEmail: string;
  let connectionId: string;

  before(async () => {
    radicale = await startRadicale();
    await radicale.makeCalendar('work', 'Work');
    await radicale.makeCalendar('private', 'Private');
    t = await startTestApp({ clock: testClock() });
    company = await t.newCompany('Busy');
    host = await newHost(t, company);
    hostEmail = (await t.handle.db.selectFrom('users').select('email').where('id', '=', host.userId).executeTakeFirstOrThrow()).email;
    for (const [name, ics] of Object.entries(weekEvents(hostEmail))) await radicale.putEvent('work', `${name}.ics`, ics);
    // A calendar that does not count for busy time blocks nothing.
    await radicale.putEvent('private', 'gym.ics', vcalendar(vevent('gym', ['DTSTART:20300109T080000Z', 'DTEND:20300109T090000Z'])));
    const connected = await host.api.post('/v4/calendar-connections', { type: 'caldav', url: radicale.url, ...RADICALE_USER });
    assert.equal(connected.statusCode, 201, connected.body);
    connectionId = connected.json().id;
    const privateId = connected.json().calendars.find((c: { name: string }) => c.name === 'Private').id;
    const patched = await host.api.patch(`/v4/calendar-connections/${connectionId}`, { calendars: [{ id: privateId, countsForBusyTime: false }] });
    assert.equal(patched.statusCode, 200, patched.body);
  });
  after(async () => {
    await t?.close();
    await radicale?.close();
  });

  const availability = async (extra = '') => {
    const res = await host.api.get(`/v4/booking-availability?meetingTypeId=${host.meetingTypeId}${WEEK}${extra}`);
    assert.equal(res.statusCode, 200, res.body);
    return res.json();
  };

  test('the calendar’s events hide exactly the starts they cover; all-day, transparent, cancelled and declined events hide none', async () => {
    const body = await availability();
    assert.deepEqual(body.availableSlots.map((s: { start: string }) => berlinWall(s.start)), expectedStarts());
    assert.equal(body.warnings, undefined);
  });

  test('troubleshoot=true names, per host, the calendar busy blocks that removed starts', async () => {
    const body = await availability('&troubleshoot=true');
    const calendarBlocked = body.troubleshoot.blockedTimeslots.filter((b: { reason: string }) => b.reason === 'calendar_busy');
    assert.deepEqual(calendarBlocked.map((b: { start: string }) => berlinWall(b.start)), HIDDEN);
    for (const entry of calendarBlocked) {
      assert.equal(entry.hostId, host.userId);
      assert.equal(entry.calendarName, 'Work');
    }
    const single = body.troubleshoot.calendarBlocks.find((b: { start: string }) => b.start === '2030-01-08T10:00:00+01:00');
    assert.deepEqual(single, {
      hostId: host.userId,
      calendarId: calendarBlocked[0].calendarId,
      calendarName: 'Work',
      start: '2030-01-08T10:00:00+01:00',
      end: '2030-01-08T11:00:00+01:00',
      removedStarts: ['2030-01-08T10:00:00+01:00', '2030-01-08T10:30:00+01:00'],
    });
  });

  test('a booking of a start the calendar hides is refused; a free start books', async () => {
    const busy = await host.api.post('/v4/booking', bookingBody(host, '2030-01-08T10:30:00+01:00'));
    assert.equal(busy.statusCode, 400, busy.body);
    assert.equal(busy.json().code, 'slot_unavailable');
    const free = await host.api.post('/v4/booking', bookingBody(host, '2030-01-08T11:00:00+01:00'));
    assert.equal(free.statusCode, 201, free.body);
  });

  test('a booking re-reads the calendar before committing: an event added since the last sync blocks it', async () => {
    // Offered from the cache…
    assert.ok(expectedStarts().includes('2030-01-09T11:00'));
    await radicale.putEvent('work', 'late.ics', vcalendar(vevent('late', ['DTSTART:20300109T100000Z', 'DTEND:20300109T103000Z'])));
    const before = await availability();
    assert.ok(before.availableSlots.some((s: { start: string }) => berlinWall(s.start) === '2030-01-09T11:00'));
    // …but the booking asks the server first.
    const res = await host.api.post('/v4/booking', bookingBody(host, '2030-01-09T11:00:00+01:00'));
    assert.equal(res.statusCode, 400, res.body);
    assert.equal(res.json().code, 'slot_unavailable');
    const after = await availability();
    assert.ok(!after.availableSlots.some((s: { start: string }) => berlinWall(s.start) === '2030-01-09T11:00'));
  });

  test('Radicale stopped: slot search still answers from the cache, with a warning naming the host’s stale calendar', async () => {
    await radicale.stop();
    try {
      await t.handle.db.updateTable('connected_calendars').set({ next_sync_at: new Date('2000-01-01T00:00:00Z') }).execute();
      const run = await t.services.calendarSync.runOnce();
      assert.equal(run.processed, 1);
      const body = await availability();
      const starts = body.availableSlots.map((s: { start: string }) => berlinWall(s.start));
      for (const hidden of HIDDEN) assert.ok(!starts.includes(hidden), `${hidden} stays hidden`);
      assert.equal(body.warnings.length, 1);
      const [warning] = body.warnings;
      assert.equal(warning.code, 'calendar_stale');
      assert.equal(warning.hostId, host.userId);
      assert.equal(warning.calendarName, 'Work');
      assert.ok(warning.lastError);
      assert.ok(warning.lastSyncedAt);
      const listed = (await host.api.get('/v4/calendar-connections/connections')).json()[0];
      const work = listed.calendars.find((c: { name: string }) => c.name === 'Work');
      assert.equal(work.stale, true);
      assert.ok(work.lastError);
      // A booking does not wait for the dead server beyond its bound, and the cache decides.
      const booked = await host.api.post('/v4/booking', bookingBody(host, '2030-01-11T14:00:00+01:00'));
      assert.equal(booked.statusCode, 201, booked.body);
    } finally {
      await radicale.restart();
    }
    await t.handle.db.updateTable('connected_calendars').set({ next_sync_at: new Date('2000-01-01T00:00:00Z') }).execute();
    await t.services.calendarSync.runOnce();
    assert.equal((await availability()).warnings, undefined);
  });
});
