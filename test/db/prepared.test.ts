import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../../src/db/database.ts';
import type { Tx } from '../../src/db/database.ts';
import { PREPARED_MARK } from '../../src/db/prepared.ts';
import { openTestDatabase } from '../helpers/app.ts';

let handle: DatabaseHandle;
before(async () => {
  handle = await openTestDatabase();
});
after(() => handle.close());

/** Statements prepared on the transaction's connection whose text contains `needle`. */
async function preparedWith(tx: Tx, needle: string): Promise<string[]> {
  const rows = await sql<{ name: string; statement: string }>`SELECT name, statement FROM pg_prepared_statements`.execute(tx);
  return rows.rows.filter((row) => row.statement.includes(needle)).map((row) => row.name);
}

describe('named statements', () => {
  test('a marked statement is prepared on its first run and answers as before', async () => {
    await handle.db.transaction().execute(async (tx) => {
      const result = await sql<{ n: number }>`${sql.raw(`${PREPARED_MARK} test_marked */`)} SELECT ${41}::int + 1 AS n`.execute(tx);
      assert.equal(result.rows[0]!.n, 42);
      assert.equal((await preparedWith(tx, 'test_marked')).length, 1);
    });
  });

  test('an unmarked statement with parameters is prepared once seen three times; its answers never change', async () => {
    await handle.db.transaction().execute(async (tx) => {
      const run = (value: number) => sql<{ n: number }>`SELECT ${value}::int * 2 AS n /* auto-check */`.execute(tx);
      for (const value of [1, 2]) assert.equal((await run(value)).rows[0]!.n, value * 2);
      assert.deepEqual(await preparedWith(tx, 'auto-check'), []);
      assert.equal((await run(3)).rows[0]!.n, 6);
      assert.equal((await preparedWith(tx, 'auto-check')).length, 1);
    });
  });

  test('a text built per call (an inline literal) is never prepared', async () => {
    await handle.db.transaction().execute(async (tx) => {
      for (let i = 0; i < 5; i++) await sql`SELECT ${sql.lit(i)}::int + ${1}::int AS n /* literal-check */`.execute(tx);
      assert.deepEqual(await preparedWith(tx, 'literal-check'), []);
    });
  });
});
