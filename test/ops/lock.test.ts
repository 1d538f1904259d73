import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { TEST_DATABASE_URL } from '../helpers/app.ts';
import { migratedDataDir, runTermin, startServer, tempDataDir } from '../helpers/process.ts';

// One process per embedded data directory: what a second server or the CLI sees while a server
// runs, and that a lock left by a killed process does not block the next start.
const LOCK = 'termin.lock';

function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('the data directory lock', { skip: TEST_DATABASE_URL ? 'the embedded database only' : false }, () => {
  test('a second server and the CLI refuse at once with one line while a server runs', async () => {
    const dataDir = await migratedDataDir();
    const server = await startServer({ DATA_DIR: dataDir });
    try {
      const holder = JSON.parse(readFileSync(join(dataDir, LOCK), 'utf8'));
      assert.equal(holder.pid, server.child.pid);

      const second = await runTermin(['serve'], { DATA_DIR: dataDir });
      assert.equal(second.status, 1);
      assert.equal(second.stderr.trim().split('\n').length, 1, second.stderr);
      assert.match(second.stderr, new RegExp(`in use by another Termin process \\(pid ${server.child.pid}\\)`));
      assert.doesNotMatch(second.stdout, /Termin is serving/);

      const cli = await runTermin(['company', 'create', '--name', 'Sneaky'], { DATA_DIR: dataDir });
      assert.equal(cli.status, 4);
      assert.equal(cli.stderr.trim().split('\n').length, 1, cli.stderr);
      assert.match(cli.stderr, /POST \/admin\/companies/);
      assert.match(cli.stderr, /TERMIN_ADMIN_KEY/);

      // The running server is unharmed and still holds the lock.
      assert.equal((await fetch(`${server.base}/healthz`)).status, 200);
      assert.equal(JSON.parse(readFileSync(join(dataDir, LOCK), 'utf8')).pid, server.child.pid);
    } finally {
      assert.equal(await server.stop('SIGTERM'), 0);
    }
    assert.ok(!existsSync(join(dataDir, LOCK)), 'released on a clean stop');
    const migrate = await runTermin(['migrate'], { DATA_DIR: dataDir });
    assert.equal(migrate.status, 0, migrate.stderr);
  });

  test('a lock left by a killed process is recognised as stale', async () => {
    const dataDir = await migratedDataDir();
    const first = await startServer({ DATA_DIR: dataDir });
    await first.stop('SIGKILL');
    assert.ok(existsSync(join(dataDir, LOCK)), 'SIGKILL leaves the file behind');
    const second = await startServer({ DATA_DIR: dataDir });
    try {
      assert.equal(JSON.parse(readFileSync(join(dataDir, LOCK), 'utf8')).pid, second.child.pid);
      assert.equal((await fetch(`${second.base}/healthz`)).status, 200);
    } finally {
      await second.stop();
    }
  });

  test('stale forms: a dead pid, a torn file; a live pid on this machine is not stale', async () => {
    const dataDir = await migratedDataDir();
    writeFileSync(join(dataDir, LOCK), JSON.stringify({ pid: deadPid(), host: (await import('node:os')).hostname(), started: null }));
    const dead = await runTermin(['migrate'], { DATA_DIR: dataDir });
    assert.equal(dead.status, 0, dead.stderr);

    writeFileSync(join(dataDir, LOCK), '{"pid":');
    const old = new Date(Date.now() - 60_000);
    utimesSync(join(dataDir, LOCK), old, old);
    const torn = await runTermin(['migrate'], { DATA_DIR: dataDir });
    assert.equal(torn.status, 0, torn.stderr);

    // This test process is alive: its pid in the file means "held".
    writeFileSync(join(dataDir, LOCK), JSON.stringify({ pid: process.pid, host: (await import('node:os')).hostname(), started: null }));
    const held = await runTermin(['migrate'], { DATA_DIR: dataDir });
    assert.equal(held.status, 4);
    assert.match(held.stderr, new RegExp(`pid ${process.pid}`));
  });

  test('a port clash is reported in one line before the database is touched', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const dataDir = join(tempDataDir(), 'never-created');
    try {
      const result = await runTermin(['serve'], { DATA_DIR: dataDir, PORT: String(port) });
      assert.equal(result.status, 1);
      assert.equal(result.stderr.trim(), `termin: port ${port} on 127.0.0.1 is already in use by another process; choose a free one with PORT`);
      assert.ok(!existsSync(dataDir), 'no database was opened or migrated');
    } finally {
      blocker.close();
    }
  });
});
