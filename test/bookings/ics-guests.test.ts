// The appointment's ICS as a calendar reads it after guests are added through either documented
// route: every guest is an ATTENDEE (in the `ics` field and in GET …/ics), the file ends with CRLF,
// and an address with non-ASCII characters is a valid mailto: URI.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { mailtoAddress, renderIcs } from '../../src/bookings/ics.ts';
import type { TestApp } from '../helpers/app.ts';
import { type TestHost, bookingBody, parseIcs, slot, startHostApp } from '../helpers/bookings.ts';

let t: TestApp;
let host: TestHost;

before(async () => ({ t, host } = await startHostApp()));
after(() => t.close());

test('guests added with PATCH …/guests and …/guest are ATTENDEEs of the ics field and of GET …/ics', async () => {
  const booked = await host.api.post('/v4/booking', bookingBody(host, slot(1, '10:00')));
  assert.equal(booked.statusCode, 201, booked.body);
  const id = booked.json().id as string;
  const many = await host.api.patch(`/v4/appointment/${id}/guests`, { guestEmails: ['a@example.com', 'b@example.com'] });
  assert.equal(many.statusCode, 200, many.body);
  const attendeeId = many.json().attendees[0].id as string;
  const one = await host.api.patch(`/v4/appointment/${id}/guest`, { attendeeId, email: 'c@example.com' });
  assert.equal(one.statusCode, 200, one.body);
  const expected = ['jane@example.com', 'a@example.com', 'b@example.com', 'c@example.com'];
  assert.deepEqual(parseIcs(one.json().ics).attendees, expected);
  const file = await host.api.get(`/v4/appointment/${id}/ics`);
  assert.deepEqual(parseIcs(file.body).attendees, expected);
  assert.ok(file.body.endsWith('END:VCALENDAR\r\n'), 'the last line ends with CRLF too');
  assert.ok(!/[^\r]\n/.test(file.body), 'every line break is CRLF');
});

test('a non-ASCII address is written as a mailto: URI with UTF-8 percent-encoding, the readable one in EMAIL', () => {
  assert.equal(mailtoAddress('jürgen@example.com'), 'j%C3%BCrgen@example.com');
  assert.equal(mailtoAddress('plain.o\'neil+tag@example.com'), "plain.o'neil+tag@example.com");
  const text = renderIcs({
    uid: 'x@termin',
    sequence: 0,
    cancelled: false,
    start: new Date('2030-01-08T09:00:00Z'),
    end: new Date('2030-01-08T09:30:00Z'),
    stamp: new Date('2030-01-01T00:00:00Z'),
    summary: 'Call',
    organizer: { email: 'hösti@example.com', name: 'Host' },
    attendees: [{ email: 'jürgen@example.com', name: 'Jürgen' }],
  });
  const unfolded = text.replace(/\r\n[ \t]/g, '');
  assert.match(unfolded, /\r\nATTENDEE;[^\r]*EMAIL=jürgen@example\.com[^\r]*:MAILTO:j%C3%BCrgen@example\.com\r\n/);
  assert.match(unfolded, /\r\nORGANIZER;[^\r]*:mailto:h%C3%B6sti@example\.com\r\n/);
  const parsed = parseIcs(text);
  assert.deepEqual(parsed.attendees.map(decodeURIComponent), ['jürgen@example.com']);
  for (const line of unfolded.split('\r\n').filter((l) => /^(ATTENDEE|ORGANIZER)/.test(l))) {
    const uri = line.slice(line.search(/:mailto:/i) + 1);
    assert.match(uri, /^mailto:[\x21-\x7e]+$/i, 'the URI itself is plain ASCII');
  }
});
