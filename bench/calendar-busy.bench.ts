// Slot search for a host with 500 connected-calendar events in the window, beside the same kind
// of host without a calendar, in one run (interleaved, same database, same schedule, same meeting
// type settings): what calendar busy time costs a slot search. Busy time is read from the cache
// table, as in production; no calendar server is involved (slot search never calls one).
import { loadavg } from 'node:os';
import { sql } from 'kysely';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrator.ts';
import { fixedClock } from '../src/lib/clock.ts';

const WARMUP = 30;
const N = Number(process.env.N ?? 200);
const EVENTS = 500;
const DAY = 86_400_000;

const handle = await openDatabase({ dataDir: 'memory://' });
await migrate(handle.db);
const config = loadConfig({ LOG_LEVEL: 'silent', TERMIN_RATE_LIMIT_PER_MINUTE: '1000000', TERMIN_RATE_LIMIT_BURST: '1000000' });
const { app, services } = await buildApp({ config, db: handle.db, clock: fixedClock('2030-01-07T06:00:00Z') });
const company = await services.companies.create({ name: 'bench' });
const person = (name: string) => ({ email: `${name}@example.com`, givenName: name, familyName: 'Bench', timezone: 'Europe/Berlin', meetingType: { name, duration: 30 } });
const withCalendar = await services.users.create(company.companyId, person('calendar'));
const without = await services.users.create(company.companyId, person('plain'));

// 500 events of 45 minutes over the 30 weekdays-and-weekends of the window, in working hours.
const connection = await handle.db
  .insertInto('calendar_connections')
  .values({ company_id: company.companyId, user_id: withCalendar.userId, type: 'ics', url: 'https://calendar.example.com/feed.ics', username: null, password_sealed: null })
  .returning('id')
  .executeTakeFirstOrThrow();
const calendar = await handle.db
  .insertInto('connected_calendars')
  .values({ connection_id: connection.id, user_id: withCalendar.userId, url: 'https://calendar.example.com/feed.ics', name: 'Work', synced_at: new Date('2030-01-07T06:00:00Z') })
  .returning('id')
  .executeTakeFirstOrThrow();
const first = Date.parse('2030-01-08T08:00:00Z');
const values = Array.from({ length: EVENTS }, (_, i) => {
  const start = first + Math.floor(i / 17) * DAY + (i % 17) * 28 * 60_000;
  return { calendar_id: calendar.id, user_id: withCalendar.userId, busy: sql`tstzrange(${new Date(start)}, ${new Date(start + 45 * 60_000)}, '[)')`, event_uid: `e${i}` };
});
await handle.db.insertInto('calendar_busy').values(values).execute();

const headers = { authorization: `Bearer ${company.apiKey}` };
const urlOf = (meetingTypeId: string) => `/v4/booking-availability?meetingTypeId=${meetingTypeId}&start=2030-01-08&end=2030-02-06&timezone=Europe/Berlin`;
const request = (meetingTypeId: string) => async () => {
  const response = await app.inject({ method: 'GET', url: urlOf(meetingTypeId), headers });
  if (response.statusCode !== 200) throw new Error(response.body);
  return response.json().availableSlots.length as number;
};
const hosts = [
  { label: 'host without a calendar (baseline)', op: request(without.meetingTypeId), wall: 0, cpu: 0, slots: 0 },
  { label: `same host kind with ${EVENTS} calendar events in the window`, op: request(withCalendar.meetingTypeId), wall: 0, cpu: 0, slots: 0 },
];
for (let i = 0; i < WARMUP; i++) for (const host of hosts) await host.op();
// Interleaved, so both see the same machine load.
for (let i = 0; i < N; i++) {
  for (const host of hosts) {
    const cpu = process.cpuUsage();
    const wall = performance.now();
    host.slots = await host.op();
    host.wall += performance.now() - wall;
    const used = process.cpuUsage(cpu);
    host.cpu += (used.user + used.system) / 1000;
  }
}

const base = hosts[0]!;
console.log(`## Slot search with calendar busy time (PGlite, in process, ${N} requests each, 30-day window; load ${loadavg().map((l) => l.toFixed(2)).join(' ')})\n`);
console.log('| Host | slots offered | wall ms/op | CPU ms/op | wall vs baseline |');
console.log('|---|---:|---:|---:|---:|');
for (const host of hosts) {
  console.log(`| ${host.label} | ${host.slots} | ${(host.wall / N).toFixed(2)} | ${(host.cpu / N).toFixed(2)} | ${(host.wall / base.wall).toFixed(2)}× |`);
}
console.log('');
await app.close();
await handle.close();
