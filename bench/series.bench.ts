// A 52-session weekly series booking and a series-aware availability query, beside a single
// booking and a plain availability query of the same host in the same run, in process
// (app.inject, so HTTP parsing is included but no sockets), on PGlite and on PostgreSQL (when
// reachable at BENCH_DATABASE_URL). Sequential requests: this measures the work of one request,
// not throughput. Prints a Markdown section for BENCHMARKS.md.
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { type DatabaseHandle, openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrator.ts';
import { fixedClock } from '../src/lib/clock.ts';
import { benchDatabase } from './postgres.ts';

/** Monday 2030-01-07 06:00 UTC. */
const NOW = '2030-01-07T06:00:00Z';
const SERIES_RUNS = Number(process.env.BENCH_SERIES_RUNS ?? 12);
const SINGLE_RUNS = Number(process.env.BENCH_SINGLE_RUNS ?? 40);
const QUERY_RUNS = Number(process.env.BENCH_QUERY_RUNS ?? 20);

async function prepare(handle: DatabaseHandle) {
  const config = loadConfig({ LOG_LEVEL: 'silent', TERMIN_RATE_LIMIT_PER_MINUTE: '1000000', TERMIN_RATE_LIMIT_BURST: '1000000' });
  const { app, services } = await buildApp({ config, db: handle.db, clock: fixedClock(NOW) });
  await app.ready();
  const company = await services.companies.create({ name: 'Bench' });
  const host = await services.users.create(company.companyId, {
    email: `bench-${randomUUID()}@example.com`,
    givenName: 'Bench',
    familyName: 'Host',
    timezone: 'Europe/Berlin',
    meetingType: { name: 'Coaching', duration: 30 },
  });
  const headers = { authorization: `Bearer ${company.apiKey}`, 'x-meetergo-api-user-id': host.userId };
  const patch = await app.inject({
    method: 'PATCH',
    url: `/v4/meeting-type/${host.meetingTypeId}`,
    headers,
    payload: { meetingOptions: { recurring: { enabled: true, maxSessions: 52 } }, daysIntoFuture: { mode: 'limit', bookingLimit: 3 * 365 * 24 * 60 } },
  });
  if (patch.statusCode !== 200) throw new Error(patch.body);
  return { app, headers, meetingTypeId: host.meetingTypeId };
}

type Ctx = Awaited<ReturnType<typeof prepare>>;

async function timed(runs: number, request: (i: number) => Promise<{ statusCode: number; body: string }>, expect: number) {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const res = await request(i);
    ms.push(performance.now() - started);
    if (res.statusCode !== expect) throw new Error(`run ${i}: ${res.statusCode} ${res.body.slice(0, 300)}`);
  }
  ms.sort((a, b) => a - b);
  return { median: ms[Math.floor(ms.length / 2)]!, max: ms[ms.length - 1]! };
}

/** Wall time on a weekday of the first weeks, distinct per run: day i % 5, hour 9 + ⌊i / 5⌋ (winter, +01:00). */
function seriesStart(i: number): string {
  const day = 7 + (i % 5);
  const hour = String(9 + Math.floor(i / 5)).padStart(2, '0');
  return `2030-01-${String(day).padStart(2, '0')}T${hour}:00:00+01:00`;
}

/** Singles after every series has ended (2031-03), on the half hours the series do not use. */
function singleStart(i: number): string {
  const day = 3 + (i % 5) + 7 * Math.floor(i / 40);
  const minutes = 9 * 60 + 30 + 60 * Math.floor((i % 40) / 5);
  return `2031-03-${String(day).padStart(2, '0')}T${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}:00+01:00`;
}

async function run(ctx: Ctx) {
  const book = (payload: object) => ctx.app.inject({ method: 'POST', url: '/v4/booking', headers: ctx.headers, payload });
  const attendee = (i: number) => ({ email: `a${i}@example.com`, firstname: 'A', lastname: `${i}` });
  const base = `/v4/booking-availability?meetingTypeId=${ctx.meetingTypeId}&start=2030-01-14&end=2030-01-20&timezone=Europe/Berlin&refreshCache=true`;
  const query = (url: string) => ctx.app.inject({ method: 'GET', url, headers: ctx.headers });
  // Warm-up: JIT, zone tables, prepared statements.
  await book({ meetingTypeId: ctx.meetingTypeId, start: '2031-06-02T09:00:00+02:00', attendee: attendee(-1) });
  await query(`${base}&recurrenceFrequency=weekly&recurrenceCount=52`);
  const single = await timed(SINGLE_RUNS, (i) => book({ meetingTypeId: ctx.meetingTypeId, start: singleStart(i), attendee: attendee(i) }), 201);
  const series = await timed(
    SERIES_RUNS,
    (i) => book({ meetingTypeId: ctx.meetingTypeId, start: seriesStart(i), attendee: attendee(1000 + i), recurrence: { frequency: 'weekly', count: 52 } }),
    201,
  );
  const plainQuery = await timed(QUERY_RUNS, () => query(base), 200);
  const seriesQuery = await timed(QUERY_RUNS, () => query(`${base}&recurrenceFrequency=weekly&recurrenceCount=52`), 200);
  return { single, series, plainQuery, seriesQuery };
}

const rows: string[] = [];
const engines: { name: string; open: () => Promise<{ handle: DatabaseHandle; drop: () => Promise<void> } | undefined> }[] = [
  {
    name: 'PGlite',
    open: async () => {
      const handle = await openDatabase({ dataDir: 'memory://' });
      await migrate(handle.db);
      return { handle, drop: () => handle.close() };
    },
  },
  { name: 'PostgreSQL', open: () => benchDatabase(10) },
];
for (const engine of engines) {
  const db = await engine.open();
  if (!db) {
    rows.push(`| ${engine.name} | not reachable | | | |`);
    continue;
  }
  const ctx = await prepare(db.handle);
  try {
    const r = await run(ctx);
    const f = (x: { median: number; max: number }) => `${x.median.toFixed(1)} (max ${x.max.toFixed(1)})`;
    rows.push(`| ${engine.name} | booking: single → 52-week series | ${f(r.single)} | ${f(r.series)} | ${(r.series.median / r.single.median).toFixed(1)} × |`);
    rows.push(`| ${engine.name} | availability, 7 days: plain → weekly × 52 | ${f(r.plainQuery)} | ${f(r.seriesQuery)} | ${(r.seriesQuery.median / r.plainQuery.median).toFixed(1)} × |`);
  } finally {
    await ctx.app.close();
    await db.drop();
  }
}
console.log('## Recurring series (`bench/series.bench.ts`)\n');
console.log(
  `In process (app.inject), sequential; ${SINGLE_RUNS} single bookings, ${SERIES_RUNS} series of 52 weekly sessions, ${QUERY_RUNS} queries each (one host, Mon–Fri 9–17 Berlin, 30 minutes, uncached). Load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}.\n`,
);
console.log('| Engine | What | single / plain: median ms | series: median ms | series ÷ single |');
console.log('|---|---|---:|---:|---:|');
for (const row of rows) console.log(row);
console.log('');
