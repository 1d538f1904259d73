// Team meeting types (issue 10), each figure beside the single-host figure of the same run:
//   1. engine: the slot engine for 1, 20, 100 and 500 hosts over 31 days (`anyone`, the union);
//   2. availability through the app (routing, auth, validation, SQL, engine, JSON; app.inject, no
//      socket) for one host and a 20- and 100-member round robin, uncached;
//   3. bookings/s at 32 clients for one host and for a 10-member round-robin queue.
// Every host has S1's calendar (bench/fixtures/slot-fixture.ts: 200 appointments in the window).
// Targets: 20-member search ≥ 40 % of one host's throughput; 100-member p50 ≤ 25 ms; the engine
// linear in hosts up to 500.
import { loadavg } from 'node:os';
import { sql } from 'kysely';
import { findSlots } from '../src/availability/slots.ts';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { type DatabaseHandle, openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrator.ts';
import { fixedClock } from '../src/lib/clock.ts';
import { engineHosts, engineQuery, NOW, appointmentsFor } from './fixtures/slot-fixture.ts';
import { benchDatabase } from './postgres.ts';

const ADMIN_KEY = 'bench-admin-key-0123456789abcdef0123456789';
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 800);
const pick = (list: number[], q: number) => [...list].sort((a, b) => a - b)[Math.min(list.length - 1, Math.floor(q * list.length))]!;

function engine(): string[] {
  const rows: string[] = [];
  let perHostOne = 0;
  for (const count of [1, 20, 100, 500]) {
    const hosts = engineHosts(count);
    for (let i = 0; i < 5; i++) findSlots(hosts, engineQuery);
    // CPU time of this process, not wall time: on a machine shared at a load of 40 a wall-clock
    // median mostly measures how long the scheduler kept the process waiting.
    const times: number[] = [];
    const runs = Math.max(20, Math.round(2000 / count));
    for (let i = 0; i < runs; i++) {
      const started = process.cpuUsage();
      findSlots(hosts, engineQuery);
      const used = process.cpuUsage(started);
      times.push((used.user + used.system) / 1000);
    }
    const median = pick(times, 0.5);
    if (count === 1) perHostOne = median;
    rows.push(`| ${count} | ${runs} | ${median.toFixed(2)} | ${(median / count).toFixed(3)} | ${((median / count / perHostOne) * 100).toFixed(0)} % |`);
  }
  return rows;
}

async function open(kind: 'pglite' | 'postgres'): Promise<{ handle: DatabaseHandle; drop: () => Promise<void> } | undefined> {
  if (kind === 'postgres') return benchDatabase(20);
  const handle = await openDatabase({ dataDir: 'memory://' });
  await migrate(handle.db);
  return { handle, drop: () => handle.close() };
}

/** Runs `total` calls of `task` with `width` in flight; answers per second and latencies. */
async function drive(width: number, total: number, task: (i: number) => Promise<number>) {
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  let next = 0;
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < total) {
        const i = next++;
        const t0 = performance.now();
        const status = await task(i);
        latencies.push(performance.now() - t0);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStarted);
  // This process's CPU per request: on PGlite all of the work (the database runs on this thread).
  return { rps: total / seconds, p50: pick(latencies, 0.5), cpuMs: (cpu.user + cpu.system) / 1000 / total, statuses };
}

async function appRows(kind: 'pglite' | 'postgres'): Promise<string[]> {
  const db = await open(kind);
  if (!db) return [`| ${kind} | (PostgreSQL not reachable) | | | | | |`];
  const { handle, drop } = db;
  // The clock stands still, so no budget ever refills: the slot-search budget must cover the whole
  // run (at the default 600,000 a "second" most searches were answered 429 without being computed).
  const unlimited = { TERMIN_RATE_LIMIT_PER_MINUTE: '1000000', TERMIN_RATE_LIMIT_BURST: '1000000', TERMIN_SLOT_SEARCH_COST_PER_SECOND: '1000000000' };
  const config = loadConfig({ LOG_LEVEL: 'silent', PUBLIC_URL: 'http://termin.bench', TERMIN_ADMIN_KEY: ADMIN_KEY, ...unlimited });
  const { app } = await buildApp({ config, db: handle.db, clock: fixedClock(new Date(NOW)) });
  await app.ready();
  // The same server without busy time kept between searches (src/availability/busy-cache.ts):
  // every search reads every host's busy rows, as after each host's busy time changed.
  const coldConfig = loadConfig({ LOG_LEVEL: 'silent', PUBLIC_URL: 'http://termin.bench', TERMIN_ADMIN_KEY: ADMIN_KEY, ...unlimited, TERMIN_BUSY_CACHE_INTERVALS: '0' });
  const { app: cold } = await buildApp({ config: coldConfig, db: handle.db, clock: fixedClock(new Date(NOW)) });
  await cold.ready();
  const rows: string[] = [];
  try {
    const company = (await app.inject({ method: 'POST', url: '/admin/companies', headers: { authorization: `Bearer ${ADMIN_KEY}` }, payload: { name: 'Bench' } })).json();
    const auth = { authorization: `Bearer ${company.apiKey}` };
    const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, user?: string, via = app) =>
      via.inject({ method, url, headers: { ...auth, ...(user ? { 'x-meetergo-api-user-id': user } : {}) }, ...(payload ? { payload } : {}) });
    const users: string[] = [];
    for (let i = 0; i < 100; i++) {
      const res = await call('POST', '/v4/user', { email: `bench${i}@example.com`, givenName: 'Bench', familyName: `Host ${i}`, timezone: 'Europe/Berlin' });
      users.push(res.json().userId);
    }
    // S1's calendar for every host, written directly (the API would refuse none of it, only slower).
    const owner = users[0]!;
    const single = (await call('POST', '/v4/meeting-type', { meetingInfo: { name: 'One', description: '', duration: 30, channel: 'google_meet', bufferBefore: 10, bufferAfter: 10 }, timeslotInterval: 15 }, owner)).json().id;
    for (const [i, user] of users.entries()) {
      const list = appointmentsFor(i + 1);
      await sql`
        WITH a AS (
          INSERT INTO appointments (company_id, meeting_type_id, start_at, end_at, secret_hash, ics_uid)
          SELECT ${company.companyId}::uuid, ${single}::uuid, s, e, md5(random()::text), gen_random_uuid()::text || '@bench'
          FROM unnest(${list.map((x) => new Date(x.start))}::timestamptz[], ${list.map((x) => new Date(x.end))}::timestamptz[]) AS t(s, e)
          RETURNING id, start_at, end_at
        )
        INSERT INTO appointment_hosts (appointment_id, user_id, company_id, blocked)
        SELECT id, ${user}::uuid, ${company.companyId}::uuid, tstzrange(start_at, end_at, '[)') FROM a`.execute(handle.db);
    }
    const team = async (size: number, info: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
      const created = (await call('POST', '/v4/meeting-type', { meetingInfo: { name: `Team ${size}`, description: '', channel: 'google_meet', ...info }, queueType: 'simpleRoundRobin', ...extra }, owner)).json();
      for (const user of users.slice(1, size)) await call('PATCH', `/v4/queue/meeting-type/${created.id}`, { userId: user }, owner);
      return { meetingTypeId: created.id as string, queueId: created.queueId as string };
    };
    const slotInfo = { duration: 30, bufferBefore: 10, bufferAfter: 10 };
    const team20 = await team(20, slotInfo, { timeslotInterval: 15 });
    const team100 = await team(100, slotInfo, { timeslotInterval: 15 });
    await sql`ANALYZE`.execute(handle.db);
    const window = 'start=2025-03-17&end=2025-04-16&refreshCache=true';
    const searches = [
      ['one host', `/v4/booking-availability?meetingTypeId=${single}&${window}`],
      ['20-member round robin', `/v4/booking-availability?meetingTypeId=${team20.meetingTypeId}&queueId=${team20.queueId}&${window}`],
      ['100-member round robin', `/v4/booking-availability?meetingTypeId=${team100.meetingTypeId}&queueId=${team100.queueId}&${window}`],
    ] as const;
    let base = 0;
    let baseCpu = 0;
    for (const [label, url] of searches) {
      await drive(4, 20, async () => (await call('GET', url)).statusCode);
      const size = (await call('GET', url)).body.length;
      // A fixed number of requests per search, 10 in flight.
      const measured = await drive(10, label === 'one host' ? REQUESTS : Math.ceil(REQUESTS / 4), async () => (await call('GET', url)).statusCode);
      if (label === 'one host') [base, baseCpu] = [measured.rps, measured.cpuMs];
      rows.push(
        `| ${kind} | availability, ${label} (${(size / 1024).toFixed(0)} KiB)${refusals(measured.statuses, 200)} | ${measured.rps.toFixed(0)} | ${measured.p50.toFixed(1)} | ${((100 * measured.rps) / base).toFixed(0)} % | ${measured.cpuMs.toFixed(1)} | ${((100 * baseCpu) / measured.cpuMs).toFixed(0)} % |`,
      );
      // One search alone: its latency without nine others queued beside it.
      const alone = await drive(1, 40, async () => (await call('GET', url)).statusCode);
      rows.push(`| ${kind} | availability, ${label}, one at a time${refusals(alone.statuses, 200)} | ${alone.rps.toFixed(0)} | ${alone.p50.toFixed(1)} | | ${alone.cpuMs.toFixed(1)} | |`);
      if (label === 'one host') continue;
      // The same search with every host's busy time read again (the worst case: all changed).
      const coldRun = await drive(10, Math.ceil(REQUESTS / 4), async () => (await call('GET', url, undefined, undefined, cold)).statusCode);
      rows.push(
        `| ${kind} | availability, ${label}, busy time read every time${refusals(coldRun.statuses, 200)} | ${coldRun.rps.toFixed(0)} | ${coldRun.p50.toFixed(1)} | ${((100 * coldRun.rps) / base).toFixed(0)} % | ${coldRun.cpuMs.toFixed(1)} | ${((100 * baseCpu) / coldRun.cpuMs).toFixed(0)} % |`,
      );
      const coldAlone = await drive(1, 40, async () => (await call('GET', url, undefined, undefined, cold)).statusCode);
      rows.push(`| ${kind} | availability, ${label}, busy time read every time, one at a time${refusals(coldAlone.statuses, 200)} | ${coldAlone.rps.toFixed(0)} | ${coldAlone.p50.toFixed(1)} | | ${coldAlone.cpuMs.toFixed(1)} | |`);
    }
    // The same searches over a real socket (loopback, keep-alive), the figure the issue quotes
    // "over HTTP". Requests per second only: this process's CPU includes the client's.
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    let httpBase = 0;
    for (const [label, url] of searches) {
      const get = async () => {
        const res = await fetch(address + url, { headers: auth });
        await res.arrayBuffer();
        return res.status;
      };
      await drive(4, 20, get);
      const r = await drive(10, label === 'one host' ? REQUESTS : Math.ceil(REQUESTS / 2), get);
      if (label === 'one host') httpBase = r.rps;
      rows.push(`| ${kind} | over HTTP: availability, ${label}${refusals(r.statuses, 200)} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(1)} | ${((100 * r.rps) / httpBase).toFixed(0)} % | | |`);
    }
    // Bookings: 5-minute meetings every 5 minutes, so every request has its own start.
    const bookable = { duration: 5 };
    const singleBook = (await call('POST', '/v4/meeting-type', { meetingInfo: { name: 'Quick', description: '', channel: 'google_meet', ...bookable }, timeslotInterval: 5, daysIntoFuture: { mode: 'limit', bookingLimit: 400 * 24 * 60 } }, users[99])).json().id;
    const team10 = await team(10, bookable, { timeslotInterval: 5, daysIntoFuture: { mode: 'limit', bookingLimit: 400 * 24 * 60 } });
    const starts = freeStarts(600);
    let bookingBase = 0;
    for (const [label, body] of [
      ['bookings, one host', (i: number) => ({ meetingTypeId: singleBook, start: starts[i], attendee: { email: `b${i}@example.com` } })],
      ['bookings, 10-member queue', (i: number) => ({ meetingTypeId: team10.meetingTypeId, queueId: team10.queueId, start: starts[i], attendee: { email: `q${i}@example.com` } })],
    ] as const) {
      const r = await drive(32, starts.length, async (i) => (await call('POST', '/v4/booking', body(i))).statusCode);
      if (!bookingBase) bookingBase = r.rps;
      rows.push(`| ${kind} | ${label}, 32 clients${refusals(r.statuses, 201)} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(1)} | ${((100 * r.rps) / bookingBase).toFixed(0)} % | ${r.cpuMs.toFixed(1)} | |`);
    }
  } finally {
    await cold.close();
    await app.close();
    await drop();
  }
  return rows;
}

/** " (3×429)" for answers other than the expected status, else "": a refused request measures nothing. */
function refusals(statuses: Record<number, number>, expected: number): string {
  const other = Object.entries(statuses).filter(([status]) => Number(status) !== expected).map(([status, n]) => `${n}×${status}`).join(' ');
  return other ? ` (${other})` : '';
}

/** Weekday starts 09:00–16:55 Berlin every 5 minutes after the fixture's window (free for everyone). */
function freeStarts(count: number): string[] {
  const out: string[] = [];
  for (let day = 60; out.length < count; day++) {
    const date = new Date(Date.UTC(2025, 2, 17) + day * 86_400_000);
    if (date.getUTCDay() === 0 || date.getUTCDay() === 6) continue;
    for (let m = 9 * 60; m < 17 * 60 && out.length < count; m += 5) {
      out.push(`${date.toISOString().slice(0, 10)}T${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00+02:00`);
    }
  }
  return out;
}

console.log('## Teams (`bench/teams.bench.ts`)\n');
console.log(`Load average at start: ${loadavg().map((l) => l.toFixed(2)).join(' ')}.\n`);
console.log('### Engine: hosts over 31 days (`anyone`)\n');
console.log('| Hosts | Runs | Median CPU (ms) | ms per host | per-host cost vs one host |');
console.log('|---:|---:|---:|---:|---:|');
for (const row of engine()) console.log(row);
console.log('\n### Through the app (app.inject: routing, auth, validation, SQL, engine, JSON; no socket)\n');
console.log('| Engine | What | per s | p50 (ms) | vs one host, same run | CPU per request (ms) | one host\'s CPU / this |');
console.log('|---|---|---:|---:|---:|---:|---:|');
for (const kind of ['pglite', 'postgres'] as const) for (const row of await appRows(kind)) console.log(row);
console.log(`\nLoad average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}.\n`);
