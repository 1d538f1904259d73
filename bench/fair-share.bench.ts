// Fair sharing: one company floods the largest slot search the server accepts from one key (8
// connections) while another company's small slot searches are timed one after another. Run for
// "before" (main's behaviour: no cost limits, the search computed in one go, so a 100-host × 62-day
// × 5-minute search is accepted) and "after" (the defaults), each on its own server process, in the
// same run. Target: the other company's p99 ≤ 100 ms.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const FLOOD_MS = Number(process.env.FLOOD_MS ?? 10_000);
const FLOOD_CONNECTIONS = 8;
const UNLIMITED = { TERMIN_RATE_LIMIT_PER_MINUTE: '1000000', TERMIN_RATE_LIMIT_BURST: '1000000' };

const scenarios = [
  {
    label: 'before: no cost limits, computed in one go (100 hosts × 62 days × 5-min grid)',
    grid: 5,
    env: { ...UNLIMITED, TERMIN_SLOT_SEARCH_MAX_COST: '100000000', TERMIN_SLOT_SEARCH_COST_PER_SECOND: '1000000000', TERMIN_SLOT_SEARCH_SLICE_MS: '0' },
  },
  {
    label: 'slices only: computed in 20 ms slices, no per-company budget (100 × 62 × 30-min grid)',
    grid: 30,
    env: { ...UNLIMITED, TERMIN_SLOT_SEARCH_COST_PER_SECOND: '1000000000' },
  },
  { label: 'after: the defaults (100 × 62 × 30-min grid, the largest allowed)', grid: 30, env: {} },
  { label: 'after: the defaults, flooding the 5-min grid search (refused with 400)', grid: 5, env: {} },
];

interface Company {
  apiKey: string;
  userIds: string[];
  meetingTypeId: string;
}

async function startServer(grid: number, env: Record<string, string>) {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'bench/fixtures/fair-share-server.ts'], {
    env: { ...process.env, GRID_MINUTES: String(grid), ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    });
    return { child, ...(JSON.parse(line) as { port: number; flood: Company; quiet: Company }) };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

const searchUrl = (port: number, c: Company, end: string) =>
  `http://127.0.0.1:${port}/v4/booking-availability?meetingTypeId=${c.meetingTypeId}&start=2025-03-24&end=${end}&hostIds=${c.userIds.join(',')}`;

/** The status, or 0 when the connection failed (reset by a server time-out, refused). */
async function get(url: string, apiKey: string): Promise<number> {
  try {
    const res = await fetch(url, { headers: { authorization: `Bearer ${apiKey}` } });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

/**
 * Latencies of the quiet company's requests, paced at QUIET_PER_SECOND: a real tenant's traffic,
 * within its own key's rate limit (100/min, burst 200), so a failure means it was starved, not that
 * it flooded itself. A failed request counts as its time and is counted.
 */
const QUIET_PER_SECOND = Number(process.env.QUIET_PER_SECOND ?? 8);
async function timedQuiet(url: string, apiKey: string, until: () => boolean): Promise<{ times: number[]; failed: number }> {
  const times: number[] = [];
  let failed = 0;
  while (until()) {
    const started = performance.now();
    if ((await get(url, apiKey)) !== 200) failed++;
    const took = performance.now() - started;
    times.push(took);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1000 / QUIET_PER_SECOND - took)));
  }
  return { times: times.sort((a, b) => a - b), failed };
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

const rows: string[] = [];
// FAIR_SHARE_ONLY=<part of a label> runs the matching scenarios only.
for (const scenario of scenarios.filter((s) => s.label.includes(process.env.FAIR_SHARE_ONLY ?? ''))) {
  const server = await startServer(scenario.grid, scenario.env);
  try {
    const quietUrl = searchUrl(server.port, server.quiet, '2025-03-30');
    const floodUrl = searchUrl(server.port, server.flood, '2025-05-24');
    let end = performance.now() + 3000;
    const idle = (await timedQuiet(quietUrl, server.quiet.apiKey, () => performance.now() < end)).times;
    const statuses = new Map<number, number>();
    end = performance.now() + FLOOD_MS;
    const flooders = Array.from({ length: FLOOD_CONNECTIONS }, async () => {
      while (performance.now() < end) {
        const status = await get(floodUrl, server.flood.apiKey);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    });
    // Let the flood start before timing the quiet company.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const quiet = await timedQuiet(quietUrl, server.quiet.apiKey, () => performance.now() < end);
    const busy = quiet.times;
    await Promise.all(flooders);
    const flood = [...statuses].sort().map(([status, count]) => `${count}×${status || 'reset'}`).join(', ');
    rows.push(
      `| ${scenario.label} | ${flood} | ${pct(idle, 99).toFixed(1)} | ${busy.length} (${quiet.failed} failed) | ${pct(busy, 50).toFixed(1)} | ${pct(busy, 99).toFixed(1)} | ${busy.at(-1)!.toFixed(1)} | ${(pct(busy, 99) / pct(idle, 99)).toFixed(1)}× |`,
    );
  } finally {
    server.child.kill('SIGTERM');
    await new Promise((resolve) => server.child.once('exit', resolve));
  }
}

console.log(`## Fair sharing: another company's slot searches during a flood (${FLOOD_MS / 1000} s, ${FLOOD_CONNECTIONS} connections, PGlite)\n`);
console.log(`Quiet company: 1 host, 7-day search, one request after another at ${QUIET_PER_SECOND}/s. Flood: one key of another company, 100 hosts, 62 days.\n`);
console.log('| Scenario | flood answers | quiet p99 idle ms | quiet requests | quiet p50 ms | quiet p99 ms | quiet max ms | p99 vs idle |');
console.log('|---|---|---:|---:|---:|---:|---:|---:|');
for (const row of rows) console.log(row);
console.log('');
