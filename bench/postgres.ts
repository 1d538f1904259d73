// A throwaway, migrated PostgreSQL database for a benchmark; undefined when PostgreSQL is not
// reachable at BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type DatabaseHandle, openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrator.ts';

export const POSTGRES_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function adminQuery(text: string): Promise<void> {
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query(text);
  } finally {
    await admin.end();
  }
}

export async function benchDatabase(poolSize = 20): Promise<{ handle: DatabaseHandle; drop: () => Promise<void> } | undefined> {
  const name = `termin_bench_${randomBytes(4).toString('hex')}`;
  try {
    await adminQuery(`CREATE DATABASE ${name}`);
  } catch {
    return undefined;
  }
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ databaseUrl: url.toString(), poolSize });
  await migrate(handle.db);
  const drop = async () => {
    await handle.close();
    await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  };
  return { handle, drop };
}
