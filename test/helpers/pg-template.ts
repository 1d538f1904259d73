// PostgreSQL runs: one migrated template database per set of migrations, which every test file's
// database is created from (`CREATE DATABASE … TEMPLATE`) instead of migrating its own.
// `scripts/run-tests.mjs --postgres` makes it and names it in TERMIN_TEST_PG_TEMPLATE.
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openDatabase } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrator.ts';
import { migrationsHash } from './pglite-template.ts';

/** Creates the template unless it exists; returns its name. */
export async function ensurePgTemplate(adminUrl: string): Promise<string> {
  const name = `termin_tpl_${migrationsHash()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return name;
    // Built aside and renamed: a concurrent run never copies a half-migrated template.
    const partial = `${name}_${process.pid}`;
    await admin.query(`CREATE DATABASE ${partial}`);
    const url = new URL(adminUrl);
    url.pathname = `/${partial}`;
    const handle = await openDatabase({ databaseUrl: url.toString(), poolSize: 1 });
    await migrate(handle.db);
    await handle.close();
    await admin.query(`ALTER DATABASE ${partial} RENAME TO ${name}`).catch(async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${partial} WITH (FORCE)`);
    });
    return name;
  } finally {
    await admin.end();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.stdout.write(await ensurePgTemplate(process.env.TEST_DATABASE_URL!));
}
