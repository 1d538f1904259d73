// Runs every test file under test/ with node's test runner through tsx.
// Node 20 expands no globs, so the files are listed here. A non-UTC TZ makes accidental use of
// the machine's local time visible. `--postgres` runs the same suite against PostgreSQL.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join } from 'node:path';

const args = process.argv.slice(2);
const usePostgres = args.includes('--postgres');
const filters = args.filter((arg) => !arg.startsWith('--'));

function findTests(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return findTests(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

// Files that take a minute or more start first, so that neither lane is left with a long file at
// the end while the other idles (the runner starts files in the order given).
const SLOW_FIRST = ['test/ops/process', 'test/pages/browser.test', 'test/pages/browser-holds', 'test/ops/lock', 'test/ops/bootstrap', 'test/events/durability', 'test/http/fuzz'];
const rank = (file) => {
  const at = SLOW_FIRST.findIndex((slow) => file.startsWith(slow));
  return at === -1 ? SLOW_FIRST.length : at;
};

/**
 * Whether a test file can reach a database: it (or a test helper it imports, followed through the
 * test folder) opens one. Files that never do (pure engines, parsers, signatures) cannot behave
 * differently on PostgreSQL, so the PostgreSQL run leaves them to the PGlite run.
 */
const DATABASE_OPENERS = ['test/helpers/app.ts', 'test/helpers/process.ts'];
function reachesDatabase(file, seen = new Set()) {
  if (DATABASE_OPENERS.includes(file)) return true;
  if (seen.has(file)) return false;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  if (/TEST_DATABASE_URL|openDatabase\(/.test(text)) return true;
  for (const [, spec] of text.matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
    const target = join(dirname(file), spec);
    if (target.startsWith('test/') && existsSync(target) && reachesDatabase(target, seen)) return true;
  }
  return false;
}

const files = findTests('test')
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .filter((file) => !usePostgres || reachesDatabase(file))
  .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
// `--list` prints the files this run would start, in order, and runs none.
if (args.includes('--list')) {
  console.log(files.join('\n'));
  process.exit(0);
}
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}

const env = { ...process.env, TZ: process.env.TZ ?? 'America/Sao_Paulo' };
if (usePostgres) env.TEST_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
else delete env.TEST_DATABASE_URL;

if (usePostgres) {
  // One migrated template database for the run's databases (test/helpers/pg-template.ts).
  const template = spawnSync(process.execPath, ['--import', 'tsx', 'test/helpers/pg-template.ts'], { env, encoding: 'utf8' });
  if (template.status === 0) env.TERMIN_TEST_PG_TEMPLATE = template.stdout.trim();
  else console.error(`no PostgreSQL template (each file migrates its own database): ${template.stderr}`);
}
if (!usePostgres) {
  // One migrated PGlite dump for the whole run (test/helpers/pglite-template.ts).
  const template = spawnSync(process.execPath, ['--import', 'tsx', 'test/helpers/pglite-template.ts'], { env, encoding: 'utf8' });
  if (template.status === 0) env.TERMIN_TEST_PGLITE_TEMPLATE = template.stdout.trim();
  else console.error(`no PGlite template (each file migrates its own database): ${template.stderr}`);
}

// A test (and a whole file) that hangs fails after a bound that grows with the machine's load
// (10 min when quiet, up to 30) instead of holding the run until CI's own time-out.
const perCore = loadavg()[0] / availableParallelism();
const testTimeoutMs = Math.round(600_000 * Math.min(3, Math.max(1, perCore)));

const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', `--test-timeout=${testTimeoutMs}`, '--test-reporter=spec', ...files],
  { stdio: 'inherit', env },
);
process.exit(result.status ?? 1);
