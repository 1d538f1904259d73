// One migrated PGlite data directory per test run, dumped to a file that every test file loads
// instead of migrating anew (which costs each file seconds). `scripts/run-tests.mjs` builds it once
// and names it in TERMIN_TEST_PGLITE_TEMPLATE; a test file run on its own migrates as before.
// The file's name carries a hash of the migrations and PGlite's version, so a stale dump is
// never loaded.
import { createHash } from 'node:crypto';
import { existsSync, openAsBlob, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrator.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** A short hash of the migrations (and PGlite's version): a template made from others is never used. */
export function migrationsHash(): string {
  const hash = createHash('sha256');
  const migrations = join(root, 'migrations');
  for (const name of readdirSync(migrations).sort()) hash.update(name).update(readFileSync(join(migrations, name)));
  hash.update(readFileSync(join(root, 'node_modules/@electric-sql/pglite/package.json')));
  return hash.digest('hex').slice(0, 16);
}

function templateFile(): string {
  return join(tmpdir(), `termin-pglite-template-${migrationsHash()}.tar`);
}

/**
 * The template dump named by the runner, when it is there. A Blob backed by the file: PGlite reads
 * it whole with `arrayBuffer()`, which costs half the CPU of the same read from a Blob made of the
 * file's bytes (0.4 s against 0.8 s for the 42 MB, per database opened). The file is only ever
 * replaced by a rename, never written in place, so what the Blob reads does not change under it.
 */
export async function templateDump(): Promise<Blob | undefined> {
  const path = process.env.TERMIN_TEST_PGLITE_TEMPLATE;
  if (!path || !existsSync(path)) return undefined;
  return openAsBlob(path);
}

/** Builds the dump unless a current one exists; returns its path. */
export async function ensureTemplate(): Promise<string> {
  const path = templateFile();
  if (existsSync(path)) return path;
  const handle = await openDatabase({ dataDir: 'memory://' });
  try {
    await migrate(handle.db);
    const dump = await handle.pglite!.dumpDataDir('none');
    // Written aside and renamed: a concurrent run never reads half a file.
    const partial = `${path}.${process.pid}.partial`;
    writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    renameSync(partial, path);
  } finally {
    await handle.close();
  }
  return path;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.stdout.write(await ensureTemplate());
}
