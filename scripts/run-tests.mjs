// Runs every test file under test/ with node's test runner through tsx.
// Node 20 expands no globs, so the files are listed here. A non-UTC TZ makes accidental use of
// the machine's local time visible. `--postgres` runs the same suite against PostgreSQL.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

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

/**
 * The test files bundled into plain JavaScript under `.tmp/` (esbuild, as `npm run build` bundles
 * src/: shared code in chunks, typebox and kysely bundled in, the other packages left to Node's
 * own loader), so each file's process loads a few modules instead of hundreds through tsx. Under
 * tsx every module a process loads, each file of each package included, passes tsx's loader
 * thread one message at a time: about 2.5 s of CPU per test file, a third of a CI run over the
 * two passes' 165 files. The code that runs is the same: esbuild strips the types as tsx does
 * (tsx uses esbuild), and each module keeps its own `import.meta.url`/`dirname`/`filename`, so
 * paths computed from a source's place still hold. Stack traces point into the sources (source
 * maps). A file on its own still runs through tsx: `node --import tsx --test test/…`.
 */
async function bundleTests(testFiles, outdir) {
  const [{ build }, { externalExceptBundled }] = await Promise.all([import('esbuild'), import('./build.mjs')]);
  const keepImportMeta = {
    name: 'keep-import-meta',
    setup(build) {
      build.onLoad({ filter: /\.(ts|mjs|js)$/ }, async ({ path }) => {
        if (path.includes('/node_modules/')) return undefined;
        const text = await readFile(path, 'utf8');
        const contents = text
          .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(path).href))
          .replaceAll('import.meta.dirname', JSON.stringify(dirname(path)))
          .replaceAll('import.meta.filename', JSON.stringify(path));
        return { contents, loader: path.endsWith('.ts') ? 'ts' : 'js' };
      });
    },
  };
  await build({
    entryPoints: testFiles,
    outdir,
    outbase: '.',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    plugins: [externalExceptBundled, keepImportMeta],
    logLevel: 'warning',
  });
  return testFiles.map((file) => join(outdir, file.replace(/\.ts$/, '.js')));
}

// Per run: a PGlite run and a PostgreSQL run at the same time each have their own.
const outdir = resolve('.tmp', `tests-${process.pid}`);
process.on('exit', () => rmSync(outdir, { recursive: true, force: true }));
process.on('SIGINT', () => process.exit(130)); // Ctrl-C: the test process stops too, then this
const bundled = await bundleTests(files, outdir);

// A test (and a whole file) that hangs fails after a bound that grows with the machine's load
// (10 min when quiet, up to 30) instead of holding the run until CI's own time-out.
const perCore = loadavg()[0] / availableParallelism();
const testTimeoutMs = Math.round(600_000 * Math.min(3, Math.max(1, perCore)));

const result = spawnSync(
  process.execPath,
  ['--enable-source-maps', '--test', '--test-concurrency=2', `--test-timeout=${testTimeoutMs}`, '--test-reporter=spec', ...bundled],
  { stdio: 'inherit', env },
);
process.exit(result.status ?? 1);
