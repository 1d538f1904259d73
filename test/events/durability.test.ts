// Durability across a crash: a real server process commits an event and is killed with SIGKILL
// before the receiver has accepted it; a new process on the same database delivers it.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { after, test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import type { DatabaseHandle } from '../../src/db/database.ts';
import { TEST_DATABASE_URL, openTestDatabase } from '../helpers/app.ts';
import { scaled } from '../helpers/load.ts';
import { type RunningServer, migratedDataDir, startServer as startProcess } from '../helpers/process.ts';
import { type ScriptedAnswer, eventually, startReceiver } from '../helpers/receiver.ts';

const API_KEY = `ak_live:durability-test-key-${'x'.repeat(24)}`;
const cleanups: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function databaseEnv(): Promise<Record<string, string>> {
  if (!TEST_DATABASE_URL) {
    // Migrated already: this is about the outbox across a crash, not a first start (process.test.ts).
    const dir = await migratedDataDir();
    cleanups.push(() => rmSync(dirname(dir), { recursive: true, force: true }));
    return { DATA_DIR: dir };
  }
  const handle: DatabaseHandle = await openTestDatabase();
  cleanups.push(() => handle.close());
  const url = (handle.pool as unknown as { options: { connectionString: string } }).options.connectionString;
  return { DATABASE_URL: url };
}

const SERVER_ENV = {
  TZ: 'America/Sao_Paulo',
  TERMIN_API_KEY: API_KEY,
  TERMIN_WEBHOOK_ALLOW_PRIVATE: 'true',
  TERMIN_WEBHOOK_RETRY_SCHEDULE: '200ms,200ms,200ms,200ms,200ms,200ms,200ms,200ms,200ms,200ms',
};

async function startServer(env: Record<string, string>): Promise<RunningServer> {
  const server = await startProcess({ ...SERVER_ENV, ...env }, 90_000);
  cleanups.push(() => server.stop('SIGKILL').then(() => {}));
  return server;
}

async function call(base: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> & Record<string, unknown>[] };
}

test('an event committed just before a SIGKILL is delivered after restart', { timeout: scaled(240_000) }, async () => {
  const env = await databaseEnv();
  // The receiver refuses until the crash, so nothing can be delivered by the first process.
  const script: ScriptedAnswer[] = Array.from({ length: 1000 }, () => ({ status: 503 }));
  const receiver = await startReceiver(script);
  cleanups.push(() => receiver.close());

  const first = await startServer(env);
  const hook = await call(first.base, 'POST', '/webhooks', { endpoint: receiver.url, eventTypes: ['new_employee'] });
  assert.equal(hook.status, 201);
  const user = await call(first.base, 'POST', '/v4/user', { email: `crash${Date.now()}@example.com`, givenName: 'Cora', familyName: 'Crash', timezone: 'Europe/Berlin' });
  assert.equal(user.status, 201);
  await first.stop('SIGKILL');
  const beforeRestart = receiver.received.length;

  script.length = 0; // from now on the receiver accepts
  const second = await startServer(env);
  const delivered = await eventually(async () => receiver.received.slice(beforeRestart).find((r) => r.json.event === 'new_employee'), 30_000, 'the delivery after restart');
  assert.equal((delivered.json.data as { id: string }).id, user.json.userId);
  new Webhook(String(hook.json.secret)).verify(delivered.body, delivered.headers as Record<string, string>);
  const log = await eventually(async () => {
    const res = await call(second.base, 'GET', `/webhooks/${hook.json.id}/deliveries`);
    const list = (res.json as unknown as { deliveries: { status: string; eventId: string }[] }).deliveries;
    return list.length === 1 && list[0]!.status === 'succeeded' ? list : undefined;
  }, 10_000, 'the succeeded delivery');
  assert.equal(log[0]!.eventId, delivered.headers['webhook-id']);
  assert.equal(await second.stop('SIGTERM'), 0);
});
