// Fairness and no double booking for queues under real concurrency, on PostgreSQL (PGlite is one
// connection and serialises everything, so it would prove nothing). The database is asked
// afterwards: per-member counts, and whether any host has two overlapping active appointments.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { TEST_DATABASE_URL, type TestApp, type TestCompany, startTestApp } from '../helpers/app.ts';
import { slot, testClock } from '../helpers/bookings.ts';
import { newTeam, type TestTeam } from '../helpers/teams.ts';

const skip = !TEST_DATABASE_URL && 'needs PostgreSQL (set TEST_DATABASE_URL or run with --postgres)';

let t: TestApp;
let acme: TestCompany;

before(async () => {
  if (skip) return;
  t = await startTestApp({ clock: testClock() });
  acme = await t.newCompany('Acme');
});
after(() => t?.close());

const book = (team: TestTeam, start: string, i: number) =>
  team.api.post('/v4/booking', { meetingTypeId: team.meetingTypeId, start, queueId: team.queueId, attendee: { email: `racer${i}@example.com` } });

/** Active bookings (or, with 'provisional', held ones) per member of the queue, read from the database. */
async function countsPerMember(team: TestTeam, status: 'active' | 'provisional' = 'active'): Promise<number[]> {
  const { rows } = await sql<{ user_id: string; n: string }>`
    SELECT h.user_id, count(*) AS n FROM appointments a JOIN appointment_hosts h ON h.appointment_id = a.id
    WHERE a.queue_id = ${team.queueId} AND a.status = ${status} AND h.active GROUP BY h.user_id`.execute(t.handle.db);
  const byUser = new Map(rows.map((r) => [r.user_id, Number(r.n)]));
  return team.members.map((m) => byUser.get(m.userId) ?? 0);
}

async function overlaps(): Promise<number> {
  const { rows } = await sql<{ n: string }>`
    SELECT count(*) AS n FROM appointment_hosts a
    JOIN appointment_hosts b ON a.user_id = b.user_id AND a.appointment_id < b.appointment_id
    WHERE a.active AND b.active AND NOT a.overbooked AND NOT b.overbooked AND a.blocked && b.blocked`.execute(t.handle.db);
  return Number(rows[0]!.n);
}

/** `count` distinct bookable starts: weekdays from Tuesday on, every half hour 09:00–16:30 Berlin. */
function distinctStarts(count: number): string[] {
  const starts: string[] = [];
  for (let day = 1; starts.length < count; day++) {
    const weekday = new Date(Date.UTC(2030, 0, 7 + day)).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    for (let minutes = 9 * 60; minutes < 17 * 60 && starts.length < count; minutes += 30) {
      const time = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
      starts.push(slot(day, time));
    }
  }
  return starts;
}

describe('queues under concurrency', () => {
  test('200 simultaneous bookings of distinct starts on a 4-member equal-distribution queue: counts differ by at most 1', { skip }, async () => {
    const team = await newTeam(t, acme, 4, { type: 'equalDistribution', maxLeadThreshold: 1 }, { daysIntoFuture: { mode: 'limit', bookingLimit: 90 * 24 * 60 } });
    const starts = distinctStarts(200);
    const responses = await Promise.all(starts.map((start, i) => book(team, start, i)));
    const failed = responses.filter((r) => r.statusCode !== 201);
    assert.equal(failed.length, 0, failed[0]?.body);
    const counts = await countsPerMember(team);
    assert.equal(counts.reduce((a, b) => a + b, 0), 200);
    assert.ok(Math.max(...counts) - Math.min(...counts) <= 1, `counts ${counts.join(', ')}`);
    assert.equal(await overlaps(), 0);
  });

  test('40 simultaneous held bookings (host approval) of distinct starts on a 4-member equal-distribution queue: holds differ by at most 1', { skip }, async () => {
    const team = await newTeam(
      t,
      acme,
      4,
      { type: 'equalDistribution', maxLeadThreshold: 1 },
      { daysIntoFuture: { mode: 'limit', bookingLimit: 90 * 24 * 60 }, meetingOptions: { requireHostConfirmation: 'enabled' } },
    );
    const responses = await Promise.all(distinctStarts(40).map((start, i) => book(team, start, i)));
    const failed = responses.filter((r) => r.statusCode !== 201 || !r.json().provisionalBookingId);
    assert.equal(failed.length, 0, failed[0]?.body);
    const counts = await countsPerMember(team, 'provisional');
    assert.equal(counts.reduce((a, b) => a + b, 0), 40);
    assert.ok(Math.max(...counts) - Math.min(...counts) <= 1, `counts ${counts.join(', ')}`);
    assert.equal(await overlaps(), 0);
  });

  test('50 simultaneous bookings of one start on a 3-member round robin: exactly 3 created, one per member, 47 × 400', { skip }, async () => {
    const team = await newTeam(t, acme, 3);
    const start = slot(1, '10:00');
    const responses = await Promise.all(Array.from({ length: 50 }, (_, i) => book(team, start, i)));
    const created = responses.filter((r) => r.statusCode === 201);
    const refused = responses.filter((r) => r.statusCode === 400);
    assert.equal(created.length, 3);
    assert.equal(refused.length, 47);
    assert.ok(refused.every((r) => r.json().message === 'The selected time slot is no longer available'));
    assert.deepEqual(await countsPerMember(team), [1, 1, 1]);
    assert.equal(await overlaps(), 0);
  });
});
