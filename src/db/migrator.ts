// Applies the numbered .sql files in migrations/ once each, in order, each in its own transaction.
// An advisory lock serialises instances that start together against one PostgreSQL.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { PACKAGE_ROOT } from '../lib/package-root.ts';
import type { Db } from './database.ts';

export const MIGRATIONS_DIR = join(PACKAGE_ROOT, 'migrations');

const MIGRATION_LOCK = 7_238_114_001;

export function listMigrations(dir = MIGRATIONS_DIR): { version: string; file: string }[] {
  return readdirSync(dir)
    .filter((name) => /^\d{4}_[\w-]+\.sql$/.test(name))
    .sort()
    .map((name) => ({ version: name.replace(/\.sql$/, ''), file: join(dir, name) }));
}

/**
 * The versions recorded as applied, or undefined when the table does not exist yet: one query,
 * so a start against an up-to-date database does no per-migration transactions.
 */
async function appliedVersions(db: Db): Promise<Set<string> | undefined> {
  try {
    const result = await sql<{ version: string }>`SELECT version FROM schema_migrations`.execute(db);
    return new Set(result.rows.map((row) => row.version));
  } catch (error) {
    if ((error as { code?: string }).code === '42P01') return undefined; // undefined_table: a new database
    throw error;
  }
}

/** Returns the versions applied by this call. */
export async function migrate(db: Db, dir = MIGRATIONS_DIR): Promise<string[]> {
  const migrations = listMigrations(dir);
  const known = await appliedVersions(db);
  if (known && migrations.every((migration) => known.has(migration.version))) return [];
  await sql`CREATE TABLE IF NOT EXISTS schema_migrations (
    version text PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`.execute(db);
  const applied: string[] = [];
  for (const migration of migrations) {
    await db.transaction().execute(async (tx) => {
      await sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`.execute(tx);
      const done = await tx
        .selectFrom('schema_migrations')
        .select('version')
        .where('version', '=', migration.version)
        .executeTakeFirst();
      if (done) return;
      await sql.raw(readFileSync(migration.file, 'utf8')).execute(tx);
      await tx.insertInto('schema_migrations').values({ version: migration.version }).execute();
      applied.push(migration.version);
    });
  }
  return applied;
}
