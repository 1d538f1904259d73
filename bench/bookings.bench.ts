// Bookings per second over HTTP: 32 concurrent clients (autocannon connections), every request a
// distinct offered slot, on embedded PGlite and on PostgreSQL (when reachable at BENCH_DATABASE_URL,
// default postgres://postgres@127.0.0.1:5432/postgres). Prints a Markdown section for BENCHMARKS.md.
import type { DatabaseHandle } from '../src/db/database.ts';
import { CONNECTIONS, DURATION_S, drive, onEachEngine, serveHosts } from './fixtures/booking-drive.ts';
import { slotStarts } from './fixtures/booking-starts.ts';

interface Result {
  engine: string;
  bookingsPerSecond: number;
  p50: number;
  p99: number;
  created: number;
  failed: number;
}

async function run(engine: string, handle: DatabaseHandle): Promise<Result> {
  const served = await serveHosts(handle, { company: 'Bench', meetingType: 'Quick call' });
  // Interleaved hosts: concurrent requests hit different hosts and different times.
  const bodies = slotStarts().flatMap((start) => served.hosts.map((host) => ({ meetingTypeId: host.meetingTypeId, start })));
  const load = await drive(served, bodies);
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
const { pglitePeakRssMb } = await onEachEngine(async (engine, handle) => {
  results.push(await run(engine, handle));
});

console.log('## Bookings\n');
console.log(`POST /v4/booking over HTTP, ${CONNECTIONS} concurrent clients, ${DURATION_S} s, every request a distinct offered slot`);
console.log('(12 hosts, 5-minute slots; each booking is one read (checks + slot oracle), then one write statement: appointment, hosts, attendee, outbox event).\n');
console.log('| Engine | bookings/s | p50 ms | p99 ms | created | failed |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const r of results) {
  console.log(`| ${r.engine} | ${r.bookingsPerSecond} | ${r.p50} | ${r.p99} | ${r.created} | ${r.failed} |`);
}
console.log(`\nPeak RSS of the process serving on PGlite (app + engine): ${pglitePeakRssMb} MB\n`);
