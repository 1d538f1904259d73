// Group-session capacity under real concurrency, on PostgreSQL only (PGlite is one connection and
// serialises everything, so a race there proves nothing). Afterwards the database itself is asked
// whether any session holds more seats than its spots.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { AppError } from '../../src/lib/app-error.ts';
import type { TestApp, TestCompany } from '../helpers/app.ts';
import { bookingBody, slot, startAcmeApp, testClock } from '../helpers/bookings.ts';
import { directBookingService } from '../helpers/direct-booking.ts';
import { assertRefusedAsTaken, atOnce, needsPostgres as skip, overlaps, pool, statusTally, tally } from '../helpers/races.ts';
import { groupHost } from './helpers.ts';

const clock = testClock();
let t: TestApp;
let acme: TestCompany;

before(async () => {
  if (!skip) ({ t, acme } = await startAcmeApp({ clock }));
});
after(() => t?.close());

/** Sessions whose seats that count exceed their spots, or disagree with their counter. */
async function overfull(meetingTypeId: string): Promise<{ id: string; spots: number; taken_spots: number; seats: string }[]> {
  const { rows } = await sql<{ id: string; spots: number; taken_spots: number; seats: string }>`
    SELECT a.id, a.spots, a.taken_spots, count(s.id) AS seats
    FROM appointments a
    LEFT JOIN appointment_attendees s ON s.appointment_id = a.id AND s.seat_status IN ('active', 'provisional')
    WHERE a.meeting_type_id = ${meetingTypeId} AND a.status IN ('active', 'provisional')
    GROUP BY a.id
    HAVING count(s.id) > a.spots OR count(s.id) <> a.taken_spots`.execute(t.handle.db);
  return rows;
}

describe('group-session capacity under concurrency (PostgreSQL)', () => {
  test('100 simultaneous bookings of one start on a 10-spot type: exactly 10 attendees, 90 × 400', { skip }, async () => {
    const host = await groupHost(t, acme, 10);
    const start = slot(1, '10:00');
    const responses = await atOnce(100, (i) => host.api.post('/v4/booking', bookingBody(host, start, { attendee: { email: `racer${i}@example.com` } })));
    assert.deepEqual(statusTally(responses), { 201: 10, 400: 90 });
    assertRefusedAsTaken(responses);
    const ids = new Set(responses.filter((r) => r.statusCode === 201).map((r) => r.json().appointmentId));
    assert.equal(ids.size, 1, 'every seat is in one session');
    const [id] = [...ids];
    const { rows } = await sql<{ n: string; taken: number }>`
      SELECT count(*) AS n, (SELECT taken_spots FROM appointments WHERE id = ${id}) AS taken
      FROM appointment_attendees WHERE appointment_id = ${id} AND seat_status = 'active'`.execute(t.handle.db);
    assert.equal(Number(rows[0]!.n), 10);
    assert.equal(rows[0]!.taken, 10);
    assert.deepEqual(await overfull(host.meetingTypeId), []);
    assert.equal(await overlaps(t), 0);
  });

  test('random joins and cancels at 50-way concurrency never exceed capacity (checked in SQL)', { skip }, async () => {
    const host = await groupHost(t, acme, 4);
    const starts = [slot(2, '10:00'), slot(2, '11:00'), slot(2, '12:00')];
    const seats: { appointmentId: string; attendeeId: string }[] = [];
    let n = 0;
    // A fixed pseudo-random sequence: the same mix of operations every run.
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const join = async () => {
      const start = starts[Math.floor(random() * starts.length)]!;
      const res = await host.api.post('/v4/booking', bookingBody(host, start, { attendee: { email: `p${n++}@example.com` } }));
      if (res.statusCode === 201) seats.push({ appointmentId: res.json().appointmentId, attendeeId: res.json().attendeeId });
      return res.statusCode;
    };
    const leave = async () => {
      const seat = seats.splice(Math.floor(random() * seats.length), 1)[0];
      if (!seat) return join();
      const res = await host.api.post(`/v4/appointment/${seat.appointmentId}/cancel`, { attendeeId: seat.attendeeId });
      return res.statusCode;
    };
    const tasks = Array.from({ length: 300 }, () => (random() < 0.65 ? join : leave));
    const statuses = await pool(tasks, 50);
    const counts = tally(statuses);
    assert.deepEqual(Object.keys(counts).sort(), Object.keys(counts).filter((s) => s === '200' || s === '201' || s === '400').sort(), JSON.stringify(counts));
    assert.ok((counts[201] ?? 0) > 12, 'seats were freed and taken again');
    assert.deepEqual(await overfull(host.meetingTypeId), []);
    assert.equal(await overlaps(t), 0);
  });

  test('30 simultaneous held (double opt-in) and direct bookings of one start on a 5-spot type: never more than 5 seats (checked in SQL)', { skip }, async () => {
    const host = await groupHost(t, acme, 5);
    const patched = await host.api.patch(`/v4/meeting-type/${host.meetingTypeId}`, { meetingOptions: { doubleOptIn: 'enabled' } });
    assert.equal(patched.statusCode, 200, patched.body);
    const direct = directBookingService(t, clock);
    const start = slot(3, '10:00');
    // Both kinds through the service in process, so neither has a head start.
    const attempt = async (service: typeof direct, email: string): Promise<'held' | 'direct' | 'refused'> => {
      const body = bookingBody(host, start, { attendee: { email } }) as Parameters<typeof direct.book>[1];
      try {
        const outcome = await service.book(acme.companyId, body);
        if (outcome.kind === 'provisional') assert.equal(outcome.body.bookingType, 'DoubleOptIn');
        return outcome.kind === 'provisional' ? 'held' : 'direct';
      } catch (error) {
        assert.ok(error instanceof AppError && error.code === 'slot_unavailable', String(error));
        return 'refused';
      }
    };
    const held = (i: number) => attempt(t.services.booking, `held${i}@example.com`);
    const booked = (i: number) => attempt(direct, `direct${i}@example.com`);
    const answers = await atOnce(30, (i) => (i % 2 === 0 ? held(i) : booked(i)));
    const counts = tally(answers.map((a) => (a === 'refused' ? 400 : 201)));
    assert.deepEqual(counts, { 201: 5, 400: 25 }, JSON.stringify(answers));
    const { rows } = await sql<{ sessions: string; seats: string; held: string; holds: string }>`
      SELECT count(DISTINCT a.id) AS sessions, count(s.id) AS seats,
             count(s.id) FILTER (WHERE s.seat_status = 'provisional') AS held,
             (SELECT count(*) FROM provisional_bookings p JOIN appointment_attendees x ON x.id = p.attendee_id
               WHERE p.status = 'pending' AND x.seat_status = 'provisional' AND p.meeting_type_id = ${host.meetingTypeId}) AS holds
      FROM appointments a JOIN appointment_attendees s ON s.appointment_id = a.id AND s.seat_status IN ('active', 'provisional')
      WHERE a.meeting_type_id = ${host.meetingTypeId} AND a.status IN ('active', 'provisional')`.execute(t.handle.db);
    assert.equal(Number(rows[0]!.sessions), 1, 'one session at the start');
    assert.equal(Number(rows[0]!.seats), 5);
    assert.equal(Number(rows[0]!.held), answers.filter((a) => a === 'held').length, 'each held answer is one provisional seat');
    assert.equal(Number(rows[0]!.holds), Number(rows[0]!.held), 'each held seat has its pending hold');
    assert.deepEqual(await overfull(host.meetingTypeId), []);
    assert.equal(await overlaps(t), 0);
  });
});
