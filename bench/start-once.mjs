// One start of the real `termin serve`, timed from spawn to the first 200 from /healthz, then its
// resident memory after a second idle; the server is stopped with SIGTERM. Plain JavaScript so
// that nothing but the server under test is compiled. Prints one JSON line.
//   node bench/start-once.mjs dist|tsx   (DATABASE_URL or DATA_DIR from the environment)
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

const mode = process.argv[2] === 'tsx' ? 'tsx' : 'dist';
const bin = join(import.meta.dirname, '..', 'bin', 'termin.js');

async function freePort() {
  const probe = createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
}

/** CPU time the server has used (user + system), in ms: robust where wall time is not (busy machine). */
function cpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks of 1/100 s on Linux
}

const port = await freePort();
const started = performance.now();
const child = spawn(process.execPath, [bin, 'serve'], {
  env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', TERMIN_FROM_SOURCE: mode === 'tsx' ? '1' : '0' },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const exited = new Promise((resolve) => child.once('exit', resolve));
let healthyMs;
try {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (response) => response.status === 200,
      () => false,
    );
    if (ok) break;
    if (performance.now() - started > 600_000) throw new Error('not healthy after 600 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  healthyMs = performance.now() - started;
  const cpuAtHealthy = cpuMs(child.pid);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const idleRssMb = rssMb(child.pid);
  console.log(JSON.stringify({ mode, healthyMs: Math.round(healthyMs), cpuMs: cpuAtHealthy, idleRssMb: Math.round(idleRssMb) }));
} finally {
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
