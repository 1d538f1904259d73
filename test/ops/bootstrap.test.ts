import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { openDatabase } from '../../src/db/database.ts';
import { TEST_DATABASE_URL } from '../helpers/app.ts';
import { migratedDataDir, runTermin, startServer } from '../helpers/process.ts';

// The first start is atomic: a process killed anywhere in the bootstrap either showed a key that
// works, or left nothing behind so that the next start bootstraps again (and shows a key).
const KEY_LINE = /API key:\s+(ak_live:\S+)/;

async function companies(dataDir: string): Promise<number> {
  const handle = await openDatabase({ dataDir });
  try {
    const row = await handle.db.selectFrom('companies').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  } finally {
    await handle.close();
  }
}

async function status(base: string, key: string): Promise<number> {
  return (await fetch(`${base}/v4/user/me`, { headers: { authorization: `Bearer ${key}` } })).status;
}

describe('the atomic first start', { skip: TEST_DATABASE_URL ? 'the embedded database only' : false }, () => {
  // One kill before the commit stands for all: 'bootstrap:created' (the company inserted, no key
  // shown yet) is the same open transaction as 'bootstrap:printed', which is the harder case —
  // a key was shown and must be void.
  test('killed after the key was shown but before the commit: nothing is left behind and the restart bootstraps again', async () => {
    const dataDir = await migratedDataDir();
    const killed = await runTermin(['serve'], { DATA_DIR: dataDir, TERMIN_TEST_CRASH_AT: 'bootstrap:printed' });
    assert.equal(killed.signal, 'SIGKILL', killed.stderr);
    const shown = KEY_LINE.exec(killed.stdout)?.[1];
    assert.ok(shown, 'the key was shown, then the process died before committing');
    assert.equal(await companies(dataDir), 0, 'no company survives the kill');

    const restarted = await startServer({ DATA_DIR: dataDir });
    try {
      const key = KEY_LINE.exec(restarted.stdout())?.[1];
      assert.ok(key, restarted.stdout());
      assert.equal(await status(restarted.base, key), 200);
      assert.equal(await status(restarted.base, shown), 401, 'the key shown before the kill is void');
    } finally {
      assert.equal(await restarted.stop(), 0);
    }
    assert.equal(await companies(dataDir), 1);
  });

  test('killed right after the commit: the key shown works and no second one is made', async () => {
    const dataDir = await migratedDataDir();
    const killed = await runTermin(['serve'], { DATA_DIR: dataDir, TERMIN_TEST_CRASH_AT: 'bootstrap:committed' });
    assert.equal(killed.signal, 'SIGKILL', killed.stderr);
    const shown = KEY_LINE.exec(killed.stdout)?.[1];
    assert.ok(shown, killed.stdout);

    const restarted = await startServer({ DATA_DIR: dataDir });
    try {
      assert.doesNotMatch(restarted.stdout(), KEY_LINE);
      assert.equal(await status(restarted.base, shown), 200);
    } finally {
      await restarted.stop();
    }
    assert.equal(await companies(dataDir), 1);
  });
});
