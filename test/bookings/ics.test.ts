import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { renderIcs } from '../../src/bookings/ics.ts';
import { parseIcs } from '../helpers/bookings.ts';

const base = {
  uid: 'abc@termin',
  sequence: 0,
  cancelled: false,
  start: new Date('2030-03-31T00:30:00Z'),
  end: new Date('2030-03-31T01:30:00Z'),
  stamp: new Date('2030-03-01T00:00:00Z'),
  summary: 'Discovery Call; with "quotes", commas and a very long title that must be folded at 75 octets per line',
  organizer: { email: 'host@example.com', name: 'Hanna Host' },
  attendees: [
    { email: 'jane@example.com', name: 'Jane Doe' },
    { email: 'HOST@example.com', name: 'Organizer again' },
    { email: 'jane@example.com' },
    { email: 'guest@example.com' },
  ],
};

test('an active appointment is a METHOD:REQUEST with UTC times, the organizer and each attendee once', () => {
  const ics = parseIcs(renderIcs(base));
  assert.equal(ics.method, 'REQUEST');
  assert.equal(ics.status, 'CONFIRMED');
  assert.equal(ics.uid, 'abc@termin');
  assert.equal(ics.sequence, 0);
  assert.equal(ics.start, '2030-03-31T00:30:00.000Z');
  assert.equal(ics.end, '2030-03-31T01:30:00.000Z');
  assert.equal(ics.startIsUtc, true);
  assert.equal(ics.organizer, 'host@example.com');
  assert.deepEqual(ics.attendees, ['jane@example.com', 'guest@example.com']);
});

test('a cancelled appointment is a METHOD:CANCEL with STATUS:CANCELLED and its sequence', () => {
  const ics = parseIcs(renderIcs({ ...base, cancelled: true, sequence: 3 }));
  assert.equal(ics.method, 'CANCEL');
  assert.equal(ics.status, 'CANCELLED');
  assert.equal(ics.sequence, 3);
  assert.equal(ics.uid, 'abc@termin');
});

test('any instant round-trips through the ICS exactly (property)', () => {
  fc.assert(
    fc.property(fc.integer({ min: Date.UTC(2000, 0, 1) / 1000, max: Date.UTC(2100, 0, 1) / 1000 }), fc.integer({ min: 5, max: 480 }), (seconds, minutes) => {
      const start = new Date(seconds * 1000);
      const end = new Date(start.getTime() + minutes * 60_000);
      const ics = parseIcs(renderIcs({ ...base, start, end }));
      return ics.start === start.toISOString() && ics.end === end.toISOString() && ics.startIsUtc;
    }),
    { numRuns: 200 },
  );
});

test('the output is deterministic for the same input (no hidden clock)', () => {
  assert.equal(renderIcs(base), renderIcs(base));
});
