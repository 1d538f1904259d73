// Slot engine only (no database, no HTTP): S1, Q20 and Q100 of bench/fixtures/slot-fixture.ts.
// Prints a Markdown table; targets: S1 p99 ≤ 2 ms, Q100 p99 ≤ 25 ms.
import { loadavg } from 'node:os';
import { findSlots } from '../src/availability/slots.ts';
import { engineHosts, engineQuery } from './fixtures/slot-fixture.ts';

function measure(hostCount: number, iterations: number) {
  const hosts = engineHosts(hostCount);
  const warm = findSlots(hosts, engineQuery);
  for (let i = 0; i < 30; i++) findSlots(hosts, engineQuery);
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    findSlots(hosts, engineQuery);
    times.push(performance.now() - started);
  }
  const pick = (list: number[], q: number) => [...list].sort((a, b) => a - b)[Math.min(list.length - 1, Math.floor(q * list.length))]!;
  return {
    slots: warm.slots.length,
    busy: hosts.reduce((n, h) => n + h.busy.length, 0),
    median: pick(times, 0.5),
    p99: pick(times, 0.99),
    iterations,
  };
}

const rows = [
  ['S1', 1, 2000, 2],
  ['Q20', 20, 300, undefined],
  ['Q100', 100, 150, 25],
] as const;
console.log('## Slot search — engine (`bench/slots.bench.ts`)\n');
console.log(`Load average at start: ${loadavg().map((l) => l.toFixed(2)).join(' ')}.\n`);
console.log('One host = Mon–Fri 09:00–17:00 Europe/Berlin, 200 appointments in a 31-day window (across the spring-forward change), 30-minute meetings every 15 minutes, buffers 10/10; `anyone`.\n');
console.log('| Scenario | Hosts | Appointments | Slots offered | Runs | Median (ms) | p99 (ms) | Target p99 |');
console.log('|---|---:|---:|---:|---:|---:|---:|---|');
for (const [name, hosts, iterations, target] of rows) {
  const r = measure(hosts, iterations);
  const verdict = target === undefined ? '—' : `≤ ${target} ms ${r.p99 <= target ? '✅' : '❌'}`;
  console.log(`| ${name} | ${hosts} | ${r.busy} | ${r.slots} | ${r.iterations} | ${r.median.toFixed(3)} | ${r.p99.toFixed(3)} | ${verdict} |`);
}
console.log('');
