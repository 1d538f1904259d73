import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type TestApp, openTestDatabase, startTestApp } from '../helpers/app.ts';

// Per-address limits (wrong appointment secrets) must count clients, not the proxy in front.
const UNKNOWN = '/booking/confirm/cancel/00000000-0000-4000-8000-000000000000/not-the-secret';

let handle: Awaited<ReturnType<typeof openTestDatabase>>;
before(async () => {
  handle = await openTestDatabase();
});
after(() => handle.close());

async function failFrom(t: TestApp, client: string) {
  return t.app.inject({ method: 'POST', url: UNKNOWN, headers: { 'x-forwarded-for': client }, payload: {} });
}

describe('behind a reverse proxy', () => {
  test('with TERMIN_TRUST_PROXY_HOPS=1 one client locking itself out does not lock out another', async () => {
    const t = await startTestApp({ handle, env: { TERMIN_TRUST_PROXY_HOPS: '1' } });
    try {
      for (let i = 0; i < 10; i++) assert.equal((await failFrom(t, '203.0.113.7')).statusCode, 404);
      assert.equal((await failFrom(t, '203.0.113.7')).statusCode, 429);
      assert.equal((await failFrom(t, '198.51.100.9')).statusCode, 404);
    } finally {
      await t.close();
    }
  });

  test('without it, X-Forwarded-For is not believed: a client cannot dodge the limit by inventing addresses', async () => {
    const t = await startTestApp({ handle });
    try {
      for (let i = 0; i < 10; i++) assert.equal((await failFrom(t, `203.0.113.${i}`)).statusCode, 404);
      assert.equal((await failFrom(t, '198.51.100.9')).statusCode, 429);
    } finally {
      await t.close();
    }
  });
});
