// CPU and wall time of one S1 slot search, sequentially, in process (app.inject, no sockets), on
// PostgreSQL: the whole request and the one slot-data statement alone. Less sensitive to a busy
// machine than throughput; says where a request's time goes.
import { loadSlotData } from '../src/availability/slot-search.repo.ts';
import { startS1 } from './fixtures/s1-app.ts';
import { NOW } from './fixtures/slot-fixture.ts';

const WARMUP = 100;
const N = 500;

async function measure(label: string, op: () => Promise<unknown>) {
  for (let i = 0; i < WARMUP; i++) await op();
  const cpu = process.cpuUsage();
  const wall = performance.now();
  for (let i = 0; i < N; i++) await op();
  const used = process.cpuUsage(cpu);
  return { label, cpu: (used.user + used.system) / 1000 / N, wall: (performance.now() - wall) / N };
}

const rows = [];
for (const cache of ['0', '5']) {
  const s1 = await startS1({ engine: 'postgres', env: { TERMIN_SLOT_CACHE_SECONDS: cache } });
  await s1.app.ready();
  const info = await s1.load();
  const url = `/v4/booking-availability?meetingTypeId=${info.meetingTypeId}&start=2025-03-17&end=2025-04-16`;
  const headers = { authorization: `Bearer ${info.apiKey}` };
  const request = async () => {
    const response = await s1.app.inject({ method: 'GET', url, headers });
    if (response.statusCode !== 200) throw new Error(response.body);
  };
  if (cache === '0') {
    const range = { from: new Date(NOW), to: new Date(NOW + 40 * 86_400_000) };
    const question = { companyId: info.companyId, meetingTypeId: info.meetingTypeId, hostIds: [], range };
    rows.push(await measure('slot-data statement alone (loadSlotData)', () => loadSlotData(s1.handle.db, question)));
    rows.push(await measure('GET /v4/booking-availability S1 (uncached)', request));
  } else {
    rows.push(await measure(`GET /v4/booking-availability S1 (cache ${cache} s, hits)`, request));
  }
  await s1.close();
}

console.log('## Slot search cost (sequential, in process, PostgreSQL)\n');
console.log('| Operation | Node CPU ms/op | wall ms/op |');
console.log('|---|---:|---:|');
for (const r of rows) console.log(`| ${r.label} | ${r.cpu.toFixed(3)} | ${r.wall.toFixed(3)} |`);
console.log('');
