// Races on PostgreSQL (real concurrent transactions; PGlite is one connection and serialises
// everything, so these would prove nothing there). Afterwards the database itself is asked
// whether any host has two overlapping active appointments.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { openDatabase } from '../../src/db/database.ts';
import { type TestApp, type TestCompany, startTestApp } from '../helpers/app.ts';
import { type TestHost, bookingBody, newHost, slot, startAcmeApp, testClock } from '../helpers/bookings.ts';
import { assertRefusedAsTaken, atOnce, needsPostgres as skip, overlaps, pool, statusTally } from '../helpers/races.ts';

let t: TestApp;
let acme: TestCompany;

before(async () => {
  if (!skip) ({ t, acme } = await startAcmeApp());
});
after(() => t?.close());

describe('no double booking under concurrency', () => {
  test('100 parallel bookings of one slot: exactly one 201 and 99 × 400 slot unavailable', { skip }, async () => {
    const host = await newHost(t, acme);
    const start = slot(1, '10:00');
    const responses = await atOnce(100, (i) => host.api.post('/v4/booking', bookingBody(host, start, { attendee: { email: `racer${i}@example.com` } })));
    assert.deepEqual(statusTally(responses), { 201: 1, 400: 99 });
    assertRefusedAsTaken(responses);
    const events = await t.handle.db.selectFrom('outbox_events').select('id').where('type', '=', 'booking_created').execute();
    assert.ok(events.length >= 1);
    assert.equal(await overlaps(t), 0);
  });

  test('500 random overlapping bookings over 10 hosts at 50-way concurrency leave no overlap (checked in SQL)', { skip }, async () => {
    const hosts: TestHost[] = [];
    for (let i = 0; i < 10; i++) {
      const host = await newHost(t, acme);
      // Quarter-hour starts, two durations and a buffer: plenty of partial overlaps to race on.
      await t.handle.db
        .updateTable('meeting_types')
        .set({ timeslot_interval: 15, buffer_after: 15, meeting_options: JSON.stringify({ allowedDurations: [30, 60] }) })
        .where('id', '=', host.meetingTypeId)
        .execute();
      hosts.push(host);
    }
    // mulberry32: a seeded generator, so a failure replays the same race.
    let seed = 42;
    const random = (n: number) => {
      seed = (seed + 0x6d2b79f5) | 0;
      let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
      return (((x ^ (x >>> 14)) >>> 0) / 4_294_967_296) * n | 0;
    };
    const tasks = Array.from({ length: 500 }, (_, i) => {
      const host = hosts[random(hosts.length)]!;
      const minutes = 9 * 60 + 15 * random(28);
      const time = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
      const body = bookingBody(host, slot(1 + random(2), time), { duration: random(2) ? 60 : 30, attendee: { email: `r${i}@example.com` } });
      return () => host.api.post('/v4/booking', body);
    });
    const responses = await pool(tasks, 50);
    const counts = statusTally(responses);
    assert.deepEqual(Object.keys(counts).sort(), ['201', '400'], JSON.stringify(counts));
    assert.ok(counts[201]! > 20 && counts[400]! > 100, `a real race: ${JSON.stringify(counts)}`);
    assert.equal(await overlaps(t), 0);
    const created = await t.handle.db
      .selectFrom('appointment_hosts')
      .select(sql<string>`count(*)`.as('n'))
      .where('user_id', 'in', hosts.map((h) => h.userId))
      .executeTakeFirstOrThrow();
    assert.equal(Number(created.n), counts[201], 'every 201 is a stored appointment, every 400 stored nothing');
  });

  test('the same race through two app instances on one database: exactly one 201', { skip }, async () => {
    const url = (t.handle.pool as unknown as { options: { connectionString: string } }).options.connectionString;
    const secondHandle = await openDatabase({ databaseUrl: url, poolSize: 20 });
    const second = await startTestApp({ clock: testClock(), handle: secondHandle });
    try {
      const host = await newHost(t, acme);
      const start = slot(2, '10:00');
      const apps = [t.app, second.app];
      const responses = await atOnce(100, (i) =>
        apps[i % 2]!.inject({
          method: 'POST',
          url: '/v4/booking',
          headers: { authorization: `Bearer ${acme.apiKey}` },
          payload: bookingBody(host, start, { attendee: { email: `twin${i}@example.com` } }),
        }),
      );
      assert.deepEqual(statusTally(responses), { 201: 1, 400: 99 });
      assert.equal(await overlaps(t), 0);
    } finally {
      await second.close();
      await secondHandle.close();
    }
  });

  test('concurrent reschedules onto one free slot: exactly one wins', { skip }, async () => {
    const host = await newHost(t, acme);
    const booked = [];
    for (const time of ['09:00', '10:00', '11:00', '12:00', '13:00']) {
      booked.push((await host.api.post('/v4/booking', bookingBody(host, slot(3, time)))).json().id);
    }
    const responses = await Promise.all(
      booked.map((id) => host.api.post(`/v4/appointment/${id}/reschedule`, { start: slot(3, '15:00') })),
    );
    assert.deepEqual(statusTally(responses), { 200: 1, 400: 4 });
    assert.equal(await overlaps(t), 0);
  });

  test('20 parallel retries with one Idempotency-Key: one appointment, one event, the same answer for all', { skip }, async () => {
    const host = await newHost(t, acme);
    const body = bookingBody(host, slot(4, '10:00'));
    const responses = await atOnce(20, () => host.api.post('/v4/booking', body, { 'idempotency-key': 'parallel-retry' }));
    assert.deepEqual(statusTally(responses), { 201: 20 });
    const answers = new Set(responses.map((r) => r.body));
    assert.equal(answers.size, 1);
    const id = responses[0]!.json().id;
    const events = await t.handle.db.selectFrom('outbox_events').select('id').where('subject_id', '=', id).execute();
    assert.equal(events.length, 1);
  });
});
