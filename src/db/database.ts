// Opens the database: embedded PGlite (persisted in a directory, or in memory for tests) or a
// PostgreSQL pool. Both are driven through node-postgres and Kysely's PostgresDialect, so every
// query and every SQLSTATE is the same on both engines.
import { mkdirSync } from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import { lockDataDir } from './data-dir-lock.ts';
import { withNamedStatements } from './prepared.ts';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** What a repo function runs on: the database or an open transaction the service owns. */
export type Executor = Db | Tx;

export type Engine = 'pglite' | 'postgres';

export interface DatabaseHandle {
  db: Db;
  engine: Engine;
  pool: pg.Pool;
  /** The embedded instance, when there is one (for dumps/clones in tests). */
  pglite?: PGlite;
  close(): Promise<void>;
}

// timestamptz → Date, bigint (bigserial ids, counts) stays a string; int8 counts are cast in SQL.
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => value);

export interface OpenOptions {
  databaseUrl?: string;
  /** Directory for PGlite; `memory://` for an in-memory database. */
  dataDir?: string;
  /** A prepared PGlite data dump to start from (test templates). */
  loadDataDir?: Blob | File;
  poolSize?: number;
}

export async function openDatabase(options: OpenOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize ?? 10);
  return openPglite(options.dataDir ?? './data', options.loadDataDir);
}

function openPostgres(connectionString: string, max: number): DatabaseHandle {
  const pool = new pg.Pool({ connectionString, max });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: withNamedStatements(pool) }) });
  return {
    db,
    engine: 'postgres',
    pool,
    close: () => db.destroy(),
  };
}

/**
 * PGlite's WebAssembly memory only grows, so PostgreSQL's server-sized defaults (128 MB of shared
 * buffers) become resident for good. One embedded process with the operating system's file cache
 * beneath it needs far less (peak RSS under the booking benchmark: BENCHMARKS.md).
 */
const PGLITE_MEMORY = ['shared_buffers=16MB', 'work_mem=1MB', 'maintenance_work_mem=8MB', 'temp_buffers=1MB', 'wal_buffers=1MB'].flatMap(
  (setting) => ['-c', setting],
);

async function openPglite(dataDir: string, loadDataDir?: Blob | File): Promise<DatabaseHandle> {
  const inMemory = dataDir.startsWith('memory://');
  if (!inMemory) mkdirSync(dataDir, { recursive: true });
  // Before PGlite touches a file: a second process on this directory refuses here, at once.
  const lock = inMemory ? undefined : lockDataDir(dataDir);
  // Loaded only for the embedded engine: a PostgreSQL start never loads PGlite.
  const [{ PGlite }, { btree_gist }, { createPgConfig }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/contrib/btree_gist'),
    import('@electric-sql/pglite/node-postgres'),
  ]);
  let pglite: PGlite;
  try {
    pglite = await PGlite.create(inMemory ? undefined : dataDir, {
      extensions: { btree_gist },
      startParams: [...PGlite.defaultStartParams, ...PGLITE_MEMORY],
      ...(loadDataDir ? { loadDataDir } : {}),
    });
  } catch (error) {
    lock?.release();
    throw error;
  }
  // PGlite is one connection: a pool of one queues callers, so a transaction owns it until done.
  const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1, idleTimeoutMillis: 0 });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: withNamedStatements(pool) }) });
  return {
    db,
    engine: 'pglite',
    pool,
    pglite,
    async close() {
      try {
        await db.destroy();
        await pglite.close();
      } finally {
        lock?.release();
      }
    },
  };
}
