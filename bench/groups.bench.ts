// Group-session joins per second beside plain bookings per second, in the same run and on the same
// engine: 32 concurrent clients (autocannon, bench/bookings.load.ts in a child process), 12 hosts.
// Plain: every request a distinct free slot (creates an appointment). Joins: 12 group types with
// 100 spots; requests walk the starts seat by seat across the hosts, so about three requests at a
// time queue on each session's row lock (one in a hundred creates the session, the rest join).
// Prints a Markdown section for BENCHMARKS.md with the ratio joins/s ÷ bookings/s.
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
const SPOTS = 100;
const POOL = Number(process.env.BENCH_POOL ?? 10);
const NOW = '2030-01-07T06:00:00Z';

interface Phase {
  perSecond: number;
  p50: number;
  p99: number;
  attendees: number;
  failed: number;
}

/** A company with 12 hosts whose 5-minute types have `spots` seats, served on a random port. */
async function serve(handle: DatabaseHandle, spots: number) {
  const config = loadConfig({ LOG_LEVEL: 'silent', TERMIN_RATE_LIMIT_PER_MINUTE: '1000000', TERMIN_RATE_LIMIT_BURST: '1000000' });
  const { app, services } = await buildApp({ config, db: handle.db, clock: fixedClock(NOW) });
  const company = await services.companies.create({ name: `Bench ${spots}` });
  const types: string[] = [];
  for (let i = 0; i < HOSTS; i++) {
    const created = await services.users.create(company.companyId, {
      email: `bench-${randomUUID()}@example.com`,
      givenName: 'Bench',
      familyName: `Host ${i}`,
      timezone: 'Europe/Berlin',
      meetingType: { name: 'Workshop', duration: 5 },
    });
    await handle.db.updateTable('meeting_types').set({ timeslot_interval: 5, spots }).where('id', '=', created.meetingTypeId).execute();
    types.push(created.meetingTypeId);
  }
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { app, apiKey: company.apiKey, companyId: company.companyId, types, url: `http://127.0.0.1:${port}` };
}

async function phase(handle: DatabaseHandle, spots: number): Promise<Phase> {
  const { app, apiKey, companyId, types, url } = await serve(handle, spots);
  const bodies = slotStarts().flatMap((start) =>
    Array.from({ length: spots }, () => types.map((meetingTypeId) => ({ meetingTypeId, start }))).flat(),
  );
  const job = JSON.stringify({ url, apiKey, connections: CONNECTIONS, duration: DURATION_S, bodies: bodies.slice(0, 200_000) });
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/bookings.load.ts'], { stdio: ['pipe', 'pipe', 'inherit'] });
  child.stdin.end(job);
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  await once(child, 'exit');
  const load = JSON.parse(output) as { sent: number; latency: { p50: number; p99: number }; non2xx: number; errors: number };
  await app.close();
  const count = await handle.db
    .selectFrom('appointment_attendees')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('company_id', '=', companyId)
    .executeTakeFirstOrThrow();
  const attendees = Number(count.n);
  return { perSecond: Math.round(attendees / DURATION_S), p50: load.latency.p50, p99: load.latency.p99, attendees, failed: load.non2xx + load.errors };
}

const rows: string[] = [];
async function measure(engine: string, handle: DatabaseHandle) {
  const plain = await phase(handle, 1);
  const joins = await phase(handle, SPOTS);
  const ratio = (joins.perSecond / Math.max(1, plain.perSecond)).toFixed(2);
  rows.push(`| ${engine} | plain bookings | ${plain.perSecond} | ${plain.p50} | ${plain.p99} | ${plain.attendees} | ${plain.failed} | |`);
  rows.push(`| ${engine} | group joins (${SPOTS} spots) | ${joins.perSecond} | ${joins.p50} | ${joins.p99} | ${joins.attendees} | ${joins.failed} | ${ratio} |`);
}

const lite = await openDatabase({ dataDir: 'memory://' });
await migrate(lite.db);
await measure('PGlite (embedded, in memory)', lite);
await lite.close();
const postgres = await benchDatabase(POOL);
if (postgres) {
  await measure(`PostgreSQL 15 (pool of ${POOL})`, postgres.handle);
  await postgres.drop();
}

console.log('## Group sessions: joins beside plain bookings\n');
console.log(`POST /v4/booking over HTTP, ${CONNECTIONS} concurrent clients, ${DURATION_S} s per phase, 12 hosts, both phases in one run on the same database.`);
console.log('Plain: each request a distinct free slot. Joins: 100-spot sessions filled seat by seat (about three requests queue on each session row at a time).\n');
console.log('| Engine | phase | per s | p50 ms | p99 ms | attendees | failed | joins ÷ plain |');
console.log('|---|---|---:|---:|---:|---:|---:|---:|');
for (const row of rows) console.log(row);
console.log('');
