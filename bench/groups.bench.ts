// Group-session joins per second beside plain bookings per second, in the same run and on the same
// engine: 32 concurrent clients (autocannon, bench/bookings.load.ts in a child process), 12 hosts.
// Plain: every request a distinct free slot (creates an appointment). Joins: 12 group types with
// 100 spots; requests walk the starts seat by seat across the hosts, so about three requests at a
// time queue on each session's row lock (one in a hundred creates the session, the rest join).
// Prints a Markdown section for BENCHMARKS.md with the ratio joins/s ÷ bookings/s.
import type { DatabaseHandle } from '../src/db/database.ts';
import { CONNECTIONS, DURATION_S, drive, onEachEngine, serveHosts } from './fixtures/booking-drive.ts';
import { slotStarts } from './fixtures/booking-starts.ts';

const SPOTS = 100;

interface Phase {
  perSecond: number;
  p50: number;
  p99: number;
  attendees: number;
  failed: number;
}

async function phase(handle: DatabaseHandle, spots: number): Promise<Phase> {
  const served = await serveHosts(handle, { company: `Bench ${spots}`, meetingType: 'Workshop', spots });
  const bodies = slotStarts().flatMap((start) =>
    Array.from({ length: spots }, () => served.hosts.map((host) => ({ meetingTypeId: host.meetingTypeId, start }))).flat(),
  );
  const load = await drive(served, bodies.slice(0, 200_000));
  const count = await handle.db
    .selectFrom('appointment_attendees')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('company_id', '=', served.companyId)
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

await onEachEngine(measure);

console.log('## Group sessions: joins beside plain bookings\n');
console.log(`POST /v4/booking over HTTP, ${CONNECTIONS} concurrent clients, ${DURATION_S} s per phase, 12 hosts, both phases in one run on the same database.`);
console.log('Plain: each request a distinct free slot. Joins: 100-spot sessions filled seat by seat (about three requests queue on each session row at a time).\n');
console.log('| Engine | phase | per s | p50 ms | p99 ms | attendees | failed | joins ÷ plain |');
console.log('|---|---|---:|---:|---:|---:|---:|---:|');
for (const row of rows) console.log(row);
console.log('');
