// Bookings per second over HTTP: 32 concurrent clients (autocannon connections), every request a
// distinct offered slot, on embedded PGlite and on PostgreSQL (when reachable at BENCH_DATABASE_URL,
// default postgres://postgres@127.0.0.1:5432/postgres). Prints a Markdown section for BENCHMARKS.md.
import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { type DatabaseHandle, openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrator.ts';
import { fixedClock } from '../src/lib/clock.ts';
import { slotStarts } from './fixtures/booking-starts.ts';
import { benchDatabase } from './postgres.ts';

const CONNECTIONS = 32;
const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const HOSTS = 12;
/** The PostgreSQL pool of the server under test (production default: 10). */
const POOL = Number(process.env.BENCH_POOL ?? 10);
/** Monday 2030-01-07 06:00 UTC: the clock the app runs on, so the slot grid is known. */
const NOW = '2030-01-07T06:00:00Z';

interface Result {
  engine: string;
  bookingsPerSecond: number;
  p50: number;
  p99: number;
  created: number;
  failed: number;
}

async function prepare(handle: DatabaseHandle) {
  const config = loadConfig({ LOG_LEVEL: 'silent', TERMIN_RATE_LIMIT_PER_MINUTE: '1000000', TERMIN_RATE_LIMIT_BURST: '1000000' });
  const { app, services } = await buildApp({ config, db: handle.db, clock: fixedClock(NOW) });
  const company = await services.companies.create({ name: 'Bench' });
  const hosts: { userId: string; meetingTypeId: string }[] = [];
  for (let i = 0; i < HOSTS; i++) {
    const created = await services.users.create(company.companyId, {
      email: `bench-${randomUUID()}@example.com`,
      givenName: 'Bench',
      familyName: `Host ${i}`,
      timezone: 'Europe/Berlin',
      meetingType: { name: 'Quick call', duration: 5 },
    });
    await handle.db.updateTable('meeting_types').set({ timeslot_interval: 5 }).where('id', '=', created.meetingTypeId).execute();
    hosts.push(created);
  }
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { app, apiKey: company.apiKey, hosts, url: `http://127.0.0.1:${port}` };
}

async function run(engine: string, handle: DatabaseHandle): Promise<Result> {
  const { app, apiKey, hosts, url } = await prepare(handle);
  // Interleaved hosts: concurrent requests hit different hosts and different times.
  const bodies = slotStarts().flatMap((start) => hosts.map((host) => ({ meetingTypeId: host.meetingTypeId, start })));
  const job = JSON.stringify({ url, apiKey, connections: CONNECTIONS, duration: DURATION_S, bodies });
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/bookings.load.ts'], { stdio: ['pipe', 'pipe', 'inherit'] });
  child.stdin.end(job);
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  await once(child, 'exit');
  const load = JSON.parse(output) as { sent: number; latency: { p50: number; p99: number }; non2xx: number; errors: number };
  await app.close();
  if (load.sent > bodies.length) throw new Error(`ran out of distinct slots (${bodies.length}); shorten BENCH_DURATION`);
  const count = await handle.db.selectFrom('appointments').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const created = Number(count.n);
  return {
    engine,
    bookingsPerSecond: Math.round(created / DURATION_S),
    p50: load.latency.p50,
    p99: load.latency.p99,
    created,
    failed: load.non2xx + load.errors,
  };
}

const results: Result[] = [];
const lite = await openDatabase({ dataDir: 'memory://' });
await migrate(lite.db);
results.push(await run('PGlite (embedded, in memory)', lite));
// The server and PGlite share this process (the load generator is a child): its peak so far.
const pglitePeakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
await lite.close();
const postgres = await benchDatabase(POOL);
if (postgres) {
  results.push(await run(`PostgreSQL 15 (pool of ${POOL})`, postgres.handle));
  await postgres.drop();
}

console.log('## Bookings\n');
console.log(`POST /v4/booking over HTTP, ${CONNECTIONS} concurrent clients, ${DURATION_S} s, every request a distinct offered slot`);
console.log('(12 hosts, 5-minute slots; each booking is one read (checks + slot oracle), then one write statement: appointment, hosts, attendee, outbox event).\n');
console.log('| Engine | bookings/s | p50 ms | p99 ms | created | failed |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const r of results) {
  console.log(`| ${r.engine} | ${r.bookingsPerSecond} | ${r.p50} | ${r.p99} | ${r.created} | ${r.failed} |`);
}
console.log(`\nPeak RSS of the process serving on PGlite (app + engine): ${pglitePeakRssMb} MB\n`);
