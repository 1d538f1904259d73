// Hosts' busy time kept between searches (src/availability/busy-cache.ts) must never change an
// answer: whatever changes a host's busy time — a booking through any instance, a write straight
// into the database, a calendar sync, a transaction that was still open when the busy time was
// read — shows in the very next search.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createBusyCache } from '../../src/availability/busy-cache.ts';
import { createBusyChangesCompactor } from '../../src/availability/busy-changes.ts';
import { BUSY_CACHE_MAX_AGE_MS } from '../../src/availability/busy-cache.ts';
import { insertAppointment } from '../helpers/appointments.factory.ts';
import { TEST_DATABASE_URL, type TestApp, type TestCompany, client, startTestApp } from '../helpers/app.ts';
import { type TestHost, bookingBody, newHost, slot, testClock } from '../helpers/bookings.ts';

let t: TestApp;
let uncached: TestApp;
let acme: TestCompany;

before(async () => {
  t = await startTestApp({ clock: testClock() });
  acme = await t.newCompany('Acme');
  uncached = await startTestApp({ clock: testClock(), handle: t.handle, env: { TERMIN_BUSY_CACHE_INTERVALS: '0' } });
});
after(async () => {
  await uncached.app.close();
  await t.close();
});

const TUESDAY = slot(1, '10:00');
const TUESDAY_MS = Date.parse(TUESDAY);

async function offered(app: TestApp, host: TestHost): Promise<boolean> {
  const url = `/v4/booking-availability?meetingTypeId=${host.meetingTypeId}&start=2030-01-08&end=2030-01-08&refreshCache=true`;
  const res = await client(app.app, acme.apiKey).get(url);
  assert.equal(res.statusCode, 200, res.body);
  return res.json().availableSlots.some((s: { start: string }) => Date.parse(s.start) === TUESDAY_MS);
}

/** An appointment written by another instance: straight into the database. */
const bookElsewhere = (host: TestHost, db = t.handle.db) =>
  insertAppointment(db, {
    companyId: acme.companyId,
    meetingTypeId: host.meetingTypeId,
    hostIds: [host.userId],
    start: TUESDAY,
    end: new Date(TUESDAY_MS + 30 * 60_000),
  });

async function connectBusyCalendar(host: TestHost): Promise<string> {
  const connection = await sql<{ id: string }>`
    INSERT INTO calendar_connections (company_id, user_id, type, url) VALUES (${acme.companyId}, ${host.userId}, 'ics', 'https://calendar.example/feed.ics')
    RETURNING id`.execute(t.handle.db);
  const calendar = await sql<{ id: string }>`
    INSERT INTO connected_calendars (connection_id, user_id, url, name, synced_at) VALUES (${connection.rows[0]!.id}, ${host.userId}, 'https://calendar.example/feed.ics', 'Feed', now())
    RETURNING id`.execute(t.handle.db);
  return calendar.rows[0]!.id;
}

describe('busy time kept between searches', () => {
  test('an appointment another instance writes, and its cancellation, show in the next search', async () => {
    const host = await newHost(t, acme);
    assert.equal(await offered(t, host), true);
    const id = await bookElsewhere(host);
    assert.equal(await offered(t, host), false);
    await sql`UPDATE appointment_hosts SET active = false WHERE appointment_id = ${id}`.execute(t.handle.db);
    assert.equal(await offered(t, host), true);
  });

  test('a booking and a cancellation through the API show in the next search', async () => {
    const host = await newHost(t, acme);
    assert.equal(await offered(t, host), true);
    const booked = await host.api.post('/v4/booking', bookingBody(host, TUESDAY));
    assert.equal(booked.statusCode, 201, booked.body);
    assert.equal(await offered(t, host), false);
    const cancelled = await host.api.post(`/v4/appointment/${booked.json().appointmentId}/cancel`, { reason: 'test' });
    assert.equal(cancelled.statusCode, 200, cancelled.body);
    assert.equal(await offered(t, host), true);
  });

  test("a calendar's synced busy time, and switching the calendar off, show in the next search", async () => {
    const host = await newHost(t, acme);
    const calendarId = await connectBusyCalendar(host);
    assert.equal(await offered(t, host), true);
    await sql`INSERT INTO calendar_busy (calendar_id, user_id, busy) VALUES (${calendarId}, ${host.userId}, tstzrange(${TUESDAY}::timestamptz, ${TUESDAY}::timestamptz + interval '1 hour'))`.execute(
      t.handle.db,
    );
    assert.equal(await offered(t, host), false);
    await sql`UPDATE connected_calendars SET busy = false WHERE id = ${calendarId}`.execute(t.handle.db);
    assert.equal(await offered(t, host), true);
    await sql`UPDATE connected_calendars SET busy = true WHERE id = ${calendarId}`.execute(t.handle.db);
    assert.equal(await offered(t, host), false);
    await sql`DELETE FROM calendar_busy WHERE calendar_id = ${calendarId}`.execute(t.handle.db);
    assert.equal(await offered(t, host), true);
  });

  test('the busy time is reused: a change the database does not record is not seen (what the triggers are for)', async () => {
    const host = await newHost(t, acme);
    assert.equal(await offered(t, host), true);
    // Without its change record, an appointment is invisible to the cached search only.
    await t.handle.db.transaction().execute(async (tx) => {
      await sql`ALTER TABLE appointment_hosts DISABLE TRIGGER appointment_hosts_busy_insert`.execute(tx);
      await bookElsewhere(host, tx as never);
      await sql`ALTER TABLE appointment_hosts ENABLE TRIGGER appointment_hosts_busy_insert`.execute(tx);
    });
    assert.equal(await offered(uncached, host), false, 'read from the database, the slot is taken');
    assert.equal(await offered(t, host), true, 'the kept busy time was used');
    // Any recorded change to the host brings the truth back.
    await sql`INSERT INTO busy_changes (user_id) VALUES (${host.userId})`.execute(t.handle.db);
    assert.equal(await offered(t, host), false);
  });

  test('a transaction open while busy time was read, committed after, shows in the next search', { skip: !TEST_DATABASE_URL && 'PGlite has one connection' }, async () => {
    const host = await newHost(t, acme);
    await t.handle.db.transaction().execute(async (tx) => {
      await bookElsewhere(host, tx as never);
      // A later transaction commits first (another host's booking, say): the snapshot read next
      // then lists this one as still running below its horizon, not merely as not begun yet.
      await sql`INSERT INTO busy_changes (user_id) VALUES (gen_random_uuid())`.execute(t.handle.db);
      // First read (and kept) while the booking is uncommitted: the slot is still free.
      assert.equal(await offered(t, host), true);
    });
    // A later snapshot sees the commit; the kept busy time must be read again.
    assert.equal(await offered(t, host), false);
  });

  test('the compactor deletes change records only once no kept busy time can need them', async () => {
    let now = 0;
    const compactor = createBusyChangesCompactor({ db: t.handle.db, now: () => now });
    const count = async () => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM busy_changes`.execute(t.handle.db)).rows[0]!.n);
    const host = await newHost(t, acme);
    await bookElsewhere(host);
    assert.equal((await compactor.runOnce()).deleted, 0, 'the first run only marks');
    await sql`INSERT INTO busy_changes (user_id) VALUES (${host.userId})`.execute(t.handle.db);
    const before = await count();
    now += BUSY_CACHE_MAX_AGE_MS - 1;
    assert.equal((await compactor.runOnce()).deleted, 0, 'kept busy time may still be younger than the mark');
    now += 1;
    const run = await compactor.runOnce();
    assert.ok(run.deleted > 0);
    assert.equal(await count(), before - run.deleted);
    const left = await sql<{ user_id: string }>`SELECT user_id FROM busy_changes`.execute(t.handle.db);
    assert.ok(left.rows.some((row) => row.user_id === host.userId), 'the change made after the mark stays');
  });
});

describe('busy cache bounds', () => {
  const busy = (n: number) => Array.from({ length: n }, (_, i) => ({ start: i * 10, end: i * 10 + 5 }));

  test('an entry answers only for ranges inside the one it was read for, and only while young', () => {
    let now = 0;
    const cache = createBusyCache({ maxIntervals: 100, now: () => now });
    cache.remember('a', { from: 100, to: 200, snapshot: '1:1:', busy: busy(3) });
    assert.deepEqual(cache.candidates(['a'], { from: 120, to: 180 }).userIds, ['a']);
    assert.deepEqual(cache.candidates(['a'], { from: 90, to: 180 }).userIds, []);
    assert.deepEqual(cache.candidates(['a'], { from: 120, to: 210 }).userIds, []);
    now = BUSY_CACHE_MAX_AGE_MS + 1;
    assert.deepEqual(cache.candidates(['a'], { from: 120, to: 180 }).userIds, []);
    assert.deepEqual(cache.size(), { hosts: 0, intervals: 0 });
  });

  test('it holds at most maxIntervals, dropping the least recently used', () => {
    const cache = createBusyCache({ maxIntervals: 10 });
    const range = { from: 0, to: 100 };
    cache.remember('a', { ...range, snapshot: 's', busy: busy(4) });
    cache.remember('b', { ...range, snapshot: 's', busy: busy(4) });
    const a = cache.candidates(['a'], range).entries.get('a')!;
    cache.touch('a', a);
    cache.remember('c', { ...range, snapshot: 's', busy: busy(4) });
    assert.deepEqual(cache.candidates(['a', 'b', 'c'], range).userIds, ['a', 'c']);
    assert.deepEqual(cache.size(), { hosts: 2, intervals: 8 });
    cache.remember('d', { ...range, snapshot: 's', busy: busy(11) });
    assert.equal(cache.candidates(['d'], range).userIds.length, 0, 'more than the whole bound is not kept');
  });

  test('0 keeps nothing', () => {
    const cache = createBusyCache({ maxIntervals: 0 });
    cache.remember('a', { from: 0, to: 100, snapshot: 's', busy: [] });
    assert.equal(cache.enabled, false);
    assert.deepEqual(cache.size(), { hosts: 0, intervals: 0 });
  });
});
