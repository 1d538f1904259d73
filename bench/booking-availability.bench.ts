// GET /v4/booking-availability for scenario S1 over HTTP (autocannon against a listening server in
// a child process), next to trivial routes measured in the same run, on PGlite and PostgreSQL.
// Target: S1 on PostgreSQL ≥ 40 % of the trivial route's throughput. The server runs with the slot
// cache on (TERMIN_SLOT_CACHE_SECONDS); S1 is measured uncached (`refreshCache=true`: every request
// reads and computes, as with the cache off) and cached (every request after the first is a hit:
// the clock is fixed, so entries never expire), side by side. Baselines, each a constant body:
// no auth; API-key auth (key cache on, so no database read); API-key auth with a 32 KiB body
// (what moving S1's bytes costs without computing them).
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 10;

interface Server {
  port: number;
  apiKey: string;
  meetingTypeId: string;
  stop(): Promise<void>;
}

async function startServer(engine: 'pglite' | 'postgres'): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/fixtures/slot-server.ts'], {
    env: { ...process.env, ENGINE: engine, TERMIN_SLOT_CACHE_SECONDS: '60' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  const info = JSON.parse(line) as Omit<Server, 'stop'>;
  return {
    ...info,
    stop: async () => {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

async function load(url: string, headers: Record<string, string>, seconds: number) {
  const result = await autocannon({ url, headers, connections: CONNECTIONS, duration: seconds });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, p99: result.latency.p99, bytes: result.throughput.average / Math.max(1, result.requests.average) };
}

const rows: string[] = [];
for (const engine of ['pglite', 'postgres'] as const) {
  const server = await startServer(engine);
  const base = `http://127.0.0.1:${server.port}`;
  const auth = { authorization: `Bearer ${server.apiKey}` };
  const slots = `${base}/v4/booking-availability?meetingTypeId=${server.meetingTypeId}&start=2025-03-17&end=2025-04-16`;
  try {
    await load(`${slots}&refreshCache=true`, auth, 2); // warm-up: JIT, connection pool, zone tables
    const trivial = await load(`${base}/bench/trivial`, {}, SECONDS);
    const trivialAuth = await load(`${base}/bench/trivial-auth`, auth, SECONDS);
    const trivialBig = await load(`${base}/bench/trivial-auth-32k`, auth, SECONDS);
    const uncached = await load(`${slots}&refreshCache=true`, auth, SECONDS);
    const cached = await load(slots, auth, SECONDS);
    const pct = (x: { rps: number }, of: { rps: number }) => `${((100 * x.rps) / of.rps).toFixed(0)} %`;
    const row = (label: string, r: { rps: number; p99: number }, ratios = '') => rows.push(`| ${engine} | ${label} | ${r.rps.toFixed(0)} | ${r.p99} | ${ratios} |`);
    const ratios = (r: { rps: number }) => `${pct(r, trivial)} / ${pct(r, trivialAuth)} / ${pct(r, trivialBig)}`;
    row('trivial: no auth, `{"ok":true}`', trivial);
    row('trivial: API-key auth, `{"ok":true}`', trivialAuth);
    row('trivial: API-key auth, constant 32 KiB body', trivialBig);
    row(`S1 uncached (refreshCache=true, ${(uncached.bytes / 1024).toFixed(0)} KiB)`, uncached, ratios(uncached));
    row('S1 cached (hits)', cached, ratios(cached));
  } finally {
    await server.stop();
  }
}
console.log('## Slot search — HTTP (`bench/booking-availability.bench.ts`)\n');
console.log(`autocannon, ${CONNECTIONS} connections, ${SECONDS} s per route, server in a child process; S1 = 31 days (2025-03-17..2025-04-16), 200 appointments. Load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}.\n`);
console.log('| Engine | Route | req/s | p99 (ms) | S1 as % of trivial / trivial+auth / trivial+auth+32 KiB |');
console.log('|---|---|---:|---:|---|');
for (const row of rows) console.log(row);
console.log('');
