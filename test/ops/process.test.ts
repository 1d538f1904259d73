import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { migratedDataDir, runCli, runTermin, startServer, tempDataDir } from '../helpers/process.ts';
import { TEST_DATABASE_URL } from '../helpers/app.ts';

// These start the real process on the embedded database: that is what a new user runs.
const KEY_LINE = /API key:\s+(ak_live:\S+)/;

async function call(port: number, path: string, key?: string, init: RequestInit = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  return fetch(`http://127.0.0.1:${port}${path}`, { ...init, headers: { ...headers, ...(init.headers as object) } });
}

describe('the embedded server process', { skip: TEST_DATABASE_URL ? 'runs on the embedded database only' : false }, () => {
  test('first start prints a working key once; data survives a SIGTERM restart', async () => {
    // Migrated but empty: the start from a directory that does not exist yet is the bundle test's.
    const dataDir = await migratedDataDir();
    const first = await startServer({ DATA_DIR: dataDir });
    let key: string;
    try {
      key = KEY_LINE.exec(first.stdout())?.[1] ?? '';
      assert.ok(key, first.stdout());
      assert.match(first.stdout(), /curl -H "Authorization: Bearer ak_live:\S+" http:\/\/localhost:\d+\/v4\/user\/me/);
      const me = await call(first.port, '/v4/user/me', key);
      assert.equal(me.status, 200);
      const created = await call(first.port, '/v4/user', key, {
        method: 'POST',
        body: JSON.stringify({ email: 'kept@example.com', givenName: 'Kept', familyName: 'User', timezone: 'Europe/Berlin' }),
      });
      assert.equal(created.status, 201);
      const docs = await call(first.port, '/docs/');
      assert.equal(docs.status, 200);
      assert.match(await docs.text(), /swagger/i);
      const logLines = first.stdout().split('\n').filter((line) => line.startsWith('{'));
      assert.ok(logLines.length > 0);
      assert.ok(!logLines.some((line) => line.includes(key.split(':')[2]!)), 'the key never appears in a log line');
    } finally {
      assert.equal(await first.stop('SIGTERM'), 0);
    }

    const second = await startServer({ DATA_DIR: dataDir });
    try {
      assert.doesNotMatch(second.stdout(), KEY_LINE, 'no second key on restart');
      const list = await (await call(second.port, '/v4/user?limit=100', key)).json();
      assert.ok(list.users.some((u: { email: string }) => u.email === 'kept@example.com'));
    } finally {
      assert.equal(await second.stop('SIGTERM'), 0);
    }
  });

  test('TERMIN_API_KEY becomes the key and is not printed', async () => {
    const chosen = 'my-own-bootstrap-key-0123456789abcdefghijkl';
    const server = await startServer({ DATA_DIR: await migratedDataDir(), TERMIN_API_KEY: chosen });
    try {
      assert.ok(!server.stdout().includes(chosen));
      assert.match(server.stdout(), /<the value of TERMIN_API_KEY>/);
      assert.equal((await call(server.port, '/v4/user/me', chosen)).status, 200);
      assert.equal((await call(server.port, '/healthz')).status, 200);
    } finally {
      await server.stop();
    }
  });

  test('the CLI creates companies and keys on a stopped database; the server accepts them', async () => {
    const dataDir = tempDataDir();
    const migrated = runCli(['migrate', '--json'], { DATA_DIR: dataDir });
    assert.equal(migrated.status, 0, migrated.stderr);
    assert.ok(JSON.parse(migrated.stdout).applied.includes('0001_init'));
    const company = runCli(['company', 'create', '--name', 'CLI Co', '--json'], { DATA_DIR: dataDir });
    assert.equal(company.status, 0, company.stderr);
    const { companyId, apiKey } = JSON.parse(company.stdout);
    const key = runCli(['api-key', 'create', '--company', companyId, '--json'], { DATA_DIR: dataDir });
    assert.equal(key.status, 0, key.stderr);
    const second = JSON.parse(key.stdout).apiKey;
    const unknown = runCli(['api-key', 'create', '--company', '00000000-0000-4000-8000-000000000000'], { DATA_DIR: dataDir });
    assert.notEqual(unknown.status, 0);
    assert.match(unknown.stderr, /not found/);

    const server = await startServer({ DATA_DIR: dataDir });
    try {
      assert.doesNotMatch(server.stdout(), KEY_LINE, 'a database with a company is not bootstrapped');
      for (const k of [apiKey, second]) {
        const me = await (await call(server.port, '/v4/user/me', k)).json();
        assert.equal(me.companyId, companyId);
      }
    } finally {
      await server.stop();
    }
  });

  test('bad configuration: one clear line per bad variable, exit code 1', async () => {
    const result = runCli(['serve'], { PORT: 'abc', LOG_LEVEL: 'loud', TERMIN_API_KEY: 'short', DATABASE_URL: 'mysql://x' });
    assert.equal(result.status, 1);
    for (const name of ['PORT', 'LOG_LEVEL', 'TERMIN_API_KEY', 'DATABASE_URL']) {
      assert.match(result.stderr, new RegExp(`- ${name} `), result.stderr);
    }
    assert.doesNotMatch(result.stderr, /at .*\.ts:\d+/, 'no stack trace');
  });

  test('--help and --version answer without configuration or a database', async () => {
    const dataDir = join(tempDataDir(), 'untouched');
    const env = { DATA_DIR: dataDir, PORT: 'not-a-port' };
    const help = await runTermin(['--help'], env);
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /^Usage: termin <command>/);
    const version = await runTermin(['--version'], env);
    assert.equal(version.status, 0, version.stderr);
    const { version: expected } = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8'));
    assert.equal(version.stdout, `termin ${expected}\n`);
    assert.ok(!existsSync(dataDir));
  });

  test('the compiled bundle (what npm start runs) serves, and loads no TypeScript tooling', async () => {
    // Without TERMIN_FROM_SOURCE the command runs dist/termin.js, building it first when stale;
    // from a directory that does not exist yet, as a new user's first `npm start`.
    const server = await startServer({ DATA_DIR: join(tempDataDir(), 'new') });
    try {
      const health = await call(server.port, '/healthz');
      assert.equal(health.status, 200);
      assert.match(server.stdout(), KEY_LINE);
      const bundle = readFileSync(join(import.meta.dirname, '..', '..', 'dist', 'termin.js'), 'utf8');
      assert.doesNotMatch(bundle, /from ["'](tsx|typescript|esbuild)[/"']/);
      assert.doesNotMatch(bundle, /import\(["'](tsx|typescript|esbuild)/);
    } finally {
      assert.equal(await server.stop('SIGTERM'), 0);
    }
  });
});
