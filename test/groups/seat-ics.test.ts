import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { invitationsFor } from '../../src/bookings/group/seat-ics.ts';
import { renderIcs } from '../../src/bookings/ics.ts';
import { parseIcs } from '../helpers/ics.ts';

const people = Array.from({ length: 4 }, (_, i) => ({ email: `Person.With.A.Long.Name${i}@Example.com`, name: `Zoë Ünïcødé Long Display Name ${i}` }));
const full = renderIcs({
  uid: 'session@termin',
  sequence: 2,
  cancelled: false,
  start: new Date('2030-01-08T09:00:00Z'),
  end: new Date('2030-01-08T10:00:00Z'),
  stamp: new Date('2030-01-07T06:00:00Z'),
  summary: 'Workshop',
  description: 'ä'.repeat(120),
  location: null,
  url: null,
  organizer: { email: 'host@example.com', name: 'Hanna Host' },
  attendees: [...people, { email: 'guest@example.com' }],
});

describe('each seat’s own invitation', () => {
  test('keeps the organizer and the seat’s people only, valid and folded at 75 octets', () => {
    const [first, second] = invitationsFor(full, [[people[0]!.email, 'guest@example.com'], [people[2]!.email.toUpperCase()]]);
    const a = parseIcs(first!);
    assert.deepEqual(a.attendees.map((e) => e.toLowerCase()).sort(), ['guest@example.com', 'person.with.a.long.name0@example.com']);
    assert.equal(a.organizer, 'host@example.com');
    assert.equal(a.uid, 'session@termin');
    assert.equal(a.sequence, 2);
    assert.deepEqual(parseIcs(second!).attendees.map((e) => e.toLowerCase()), ['person.with.a.long.name2@example.com']);
    for (const line of first!.split('\r\n')) assert.ok(Buffer.byteLength(line) <= 75, line);
    assert.equal(parseIcs(full).attendees.length, 5, 'the full invitation is untouched');
  });
});
