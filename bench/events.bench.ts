// Events out: commit-to-first-attempt latency of webhooks while bookings commit at 50/s.
// Each "booking" is one transaction like the booking feature's: an appointment row, its host row
// (under the exclusion constraint) and the booking_created outbox event. A real receiver on
// loopback stamps each first attempt; latency = arrival − commit. Runs on embedded PGlite and, when
// BENCH_DATABASE_URL (or a local PostgreSQL) is reachable, on PostgreSQL. BENCH_SECONDS sets the
// length per run, BENCH_ENGINE=pglite|postgres picks one engine, BENCH_NO_EMAIL=1 leaves emails out.
import { randomBytes, randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { sql } from 'kysely';
import pg from 'pg';
import { buildServices } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { type DatabaseHandle, openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrator.ts';
import { systemClock } from '../src/lib/clock.ts';
import { enqueueEvent } from '../src/outbox/outbox.repo.ts';
import { startEventWorkers } from '../src/outbox/outbox.workers.ts';
import { appointmentJson } from '../test/helpers/events.factory.ts';
import { startReceiver } from '../test/helpers/receiver.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const ONLY = process.env.BENCH_ENGINE;
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function postgresHandle(): Promise<{ handle: DatabaseHandle; url: string; drop(): Promise<void> } | undefined> {
  const admin = new pg.Client({ connectionString: PG_URL });
  try {
    await admin.connect();
  } catch {
    return undefined;
  }
  const name = `termin_bench_${randomBytes(4).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ databaseUrl: url.toString(), poolSize: 20 });
  const drop = async () => {
    const cleanup = new pg.Client({ connectionString: PG_URL });
    await cleanup.connect();
    await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await cleanup.end();
  };
  return { handle, url: url.toString(), drop };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function run(engine: string, rate: number, handle: DatabaseHandle, databaseUrl?: string) {
  await migrate(handle.db);
  const config = loadConfig({ LOG_LEVEL: 'silent', TERMIN_WEBHOOK_ALLOW_PRIVATE: 'true', ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) });
  const services = buildServices({ config, db: handle.db, clock: systemClock });
  const company = await services.companies.create({ name: 'Bench' });
  const host = await handle.db.selectFrom('users').selectAll().where('id', '=', company.ownerUserId).executeTakeFirstOrThrow();
  const meetingType = await handle.db.selectFrom('meeting_types').select('id').where('user_id', '=', host.id).executeTakeFirstOrThrow();
  const receiver = await startReceiver();
  await services.webhooks.create(company.companyId, { endpoint: receiver.url, eventTypes: ['booking_created'] });
  const quiet = { info() {}, warn() {}, error() {} };
  // Default poll (2 s): latency below that comes from the wake-ups, not from polling.
  const workers = await startEventWorkers({ handle, config, clock: systemClock, services, log: quiet });

  const committedAt = new Map<string, number>();
  const base = Date.UTC(2032, 0, 1);
  const book = async (i: number) => {
    const start = new Date(base + i * 3_600_000);
    const a = appointmentJson({ companyId: company.companyId, meetingTypeId: meetingType.id, host: { id: host.id, email: host.email }, start });
    const eventId = await handle.db.transaction().execute(async (tx) => {
      await tx.insertInto('appointments').values({ id: a.id, company_id: company.companyId, meeting_type_id: meetingType.id, start_at: a.start, end_at: a.end, secret_hash: randomUUID(), ics_uid: `${a.id}@bench` }).execute();
      await sql`INSERT INTO appointment_hosts (appointment_id, user_id, company_id, blocked) VALUES (${a.id}, ${host.id}, ${company.companyId}, tstzrange(${a.start}::timestamptz, ${a.end}::timestamptz))`.execute(tx);
      return enqueueEvent(tx, { companyId: company.companyId, type: 'booking_created', subjectId: a.id, payload: { data: process.env.BENCH_NO_EMAIL ? { ...a, hosts: [] } : a, notifyAttendees: !process.env.BENCH_NO_EMAIL, secret: randomBytes(32).toString('base64url') } });
    });
    committedAt.set(eventId, Date.now());
  };

  const total = rate * SECONDS;
  const pending: Promise<void>[] = [];
  const began = Date.now();
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < total; i++) {
    const due = began + (i * 1000) / rate;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(book(i));
  }
  await Promise.all(pending);
  const achieved = total / ((Date.now() - began) / 1000);
  await receiver.waitFor(total, 60_000);
  const cpu = process.cpuUsage(cpuBefore);
  const cpuShare = (cpu.user + cpu.system) / 1000 / (Date.now() - began);
  const latencies = receiver.received
    .map((r) => r.at - committedAt.get(String(r.headers['webhook-id']))!)
    .sort((x, y) => x - y);
  await workers.stop();
  await receiver.close();
  return { engine, rate, total, achieved, cpuShare, p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99), max: latencies.at(-1)! };
}

const rows = [];
if (ONLY !== 'postgres') {
  // 50/s as asked, and a lower rate to show where the single-connection embedded engine holds.
  for (const rate of [50, 20]) {
    const pglite = await openDatabase({ dataDir: 'memory://' });
    rows.push(await run('PGlite (embedded, in memory)', rate, pglite));
    await pglite.close();
  }
}
const postgres = ONLY === 'pglite' ? undefined : await postgresHandle();
if (postgres) {
  rows.push(await run('PostgreSQL 15 (local, LISTEN/NOTIFY)', 50, postgres.handle, postgres.url));
  await postgres.handle.close();
  await postgres.drop();
}

console.log('## Events — commit-to-first-attempt latency of webhooks while booking\n');
console.log(`${new Date().toISOString().slice(0, 10)}, ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, Node ${process.version}, load average ${loadavg()[0]!.toFixed(1)}; ${SECONDS} s per engine, one subscriber on loopback, booking_created with attendee and host emails (log mailer).\n`);
console.log('| engine | booking rate | bookings | achieved rate | p50 | p95 | p99 | max | process CPU |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.engine} | ${r.rate}/s | ${r.total} | ${r.achieved.toFixed(1)}/s | ${r.p50} ms | ${r.p95} ms | ${r.p99} ms | ${r.max} ms | ${Math.round(r.cpuShare * 100)} % of a core |`);
}
