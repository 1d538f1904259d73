// CPU per booking, sequentially, in process (no HTTP): what one booking costs the Node process,
// and how much of it is the slot oracle. Less sensitive to a busy machine than throughput.
// Runs on PostgreSQL at BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres).
import { randomUUID } from 'node:crypto';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { fixedClock } from '../src/lib/clock.ts';
import { benchDatabase } from './postgres.ts';

const WARMUP = 50;
const N = 300;

const database = await benchDatabase(10);
if (!database) throw new Error('PostgreSQL is not reachable: set BENCH_DATABASE_URL');
const { handle } = database;
const { app, services } = await buildApp({ config: loadConfig({ LOG_LEVEL: 'silent' }), db: handle.db, clock: fixedClock('2030-01-07T06:00:00Z') });
const company = await services.companies.create({ name: 'Cost' });
const host = await services.users.create(company.companyId, {
  email: `cost-${randomUUID()}@example.com`,
  givenName: 'Cost',
  familyName: 'Host',
  timezone: 'Europe/Berlin',
  meetingType: { name: 'Quick call', duration: 5 },
});
await handle.db.updateTable('meeting_types').set({ timeslot_interval: 5 }).where('id', '=', host.meetingTypeId).execute();

// Weekday 5-minute starts from Monday 2030-01-07 on, 96 a day.
let index = 0;
const nextStart = () => {
  const n = index++;
  const week = Math.floor(n / 480);
  const day = 7 + week * 7 + Math.floor((n % 480) / 96);
  const minutes = 9 * 60 + 5 * (n % 96);
  const date = new Date(Date.UTC(2030, 0, day)).toISOString().slice(0, 10);
  return `${date}T${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}:00+01:00`;
};

async function measure(label: string, op: (start: string) => Promise<unknown>) {
  for (let i = 0; i < WARMUP; i++) await op(nextStart());
  const cpu = process.cpuUsage();
  const wall = performance.now();
  for (let i = 0; i < N; i++) await op(nextStart());
  const used = process.cpuUsage(cpu);
  return { label, cpu: (used.user + used.system) / 1000 / N, wall: (performance.now() - wall) / N };
}

const oracle = await measure('slot oracle only (isOffered)', (start) =>
  services.slotOracle.isOffered({ companyId: company.companyId, meetingTypeId: host.meetingTypeId, hostIds: [host.userId], start: new Date(start) }),
);
const booking = await measure('booking (service: one read for checks and oracle, one write statement)', (start) =>
  services.booking.book(company.companyId, { meetingTypeId: host.meetingTypeId, start, attendee: { email: 'cost@example.com' } }),
);
await app.close();
await database.drop();

console.log('## Booking cost (sequential, PostgreSQL)\n');
console.log('| Operation | Node CPU ms/op | wall ms/op |');
console.log('|---|---:|---:|');
for (const r of [oracle, booking]) console.log(`| ${r.label} | ${r.cpu.toFixed(2)} | ${r.wall.toFixed(2)} |`);
console.log('');
