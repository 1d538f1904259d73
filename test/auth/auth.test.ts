import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fixedClock } from '../../src/lib/clock.ts';
import { ADMIN_KEY, type TestApp, type TestCompany, client, startTestApp } from '../helpers/app.ts';

const clock = fixedClock('2030-01-15T10:00:00Z');
let t: TestApp;
let acme: TestCompany;

before(async () => {
  t = await startTestApp({ clock });
  acme = await t.newCompany('Acme');
});
after(() => t.close());

describe('API key authentication', () => {
  test('no Authorization header → 401 Missing authorization header', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v4/user/me' });
    assert.equal(res.statusCode, 401);
    assert.deepEqual(res.json(), {
      statusCode: 401,
      error: 'Unauthorized',
      message: 'Missing authorization header',
      code: 'unauthenticated',
    });
  });

  test('an unknown key, a malformed header and a non-Bearer scheme → 401 Invalid API key', async () => {
    for (const authorization of ['Bearer ak_live:nope:nope', 'Bearer', 'Basic dXNlcjpwYXNz', `Bearer ${acme.apiKey}x`]) {
      const res = await t.app.inject({ method: 'GET', url: '/v4/user/me', headers: { authorization } });
      assert.equal(res.statusCode, 401, authorization);
      assert.equal(res.json().message, 'Invalid API key');
    }
  });

  test('the scheme is case-insensitive and the user header name is too', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/v4/user/me',
      headers: { authorization: `bearer ${acme.apiKey}`, 'X-Meetergo-Api-User-Id': acme.ownerUserId },
    });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().id, acme.ownerUserId);
  });

  test('an expired key → 401 API key has expired', async () => {
    const issued = (await client(t.app, acme.apiKey).post('/v4/api-key', { name: 'short', expiresInDays: 1 })).json();
    assert.equal((await client(t.app, issued.apiKey).get('/v4/user/me')).statusCode, 200);
    clock.advance(86_400_000 + 1000);
    try {
      const res = await client(t.app, issued.apiKey).get('/v4/user/me');
      assert.equal(res.statusCode, 401);
      assert.equal(res.json().message, 'API key has expired');
    } finally {
      clock.set('2030-01-15T10:00:00Z');
    }
  });

  test('a revoked key stops working at once and disappears from the list', async () => {
    const api = client(t.app, acme.apiKey);
    const issued = (await api.post('/v4/api-key', { name: 'temp' })).json();
    assert.match(issued.apiKey, /^ak_live:[0-9a-f-]{36}:[\w-]{43}$/);
    assert.ok((await api.get('/v4/api-key')).json().some((k: { id: string }) => k.id === issued.id));
    assert.equal((await api.delete(`/v4/api-key/${issued.id}`)).statusCode, 200);
    const res = await client(t.app, issued.apiKey).get('/v4/user/me');
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().message, 'Invalid API key');
    assert.ok(!(await api.get('/v4/api-key')).json().some((k: { id: string }) => k.id === issued.id));
    assert.equal((await api.delete(`/v4/api-key/${issued.id}`)).statusCode, 404);
  });

  test('a key revoked elsewhere (another instance, the CLI) stops working here within the cache TTL', async () => {
    const issued = (await client(t.app, acme.apiKey).post('/v4/api-key', { name: 'cached' })).json();
    assert.equal((await client(t.app, issued.apiKey).get('/v4/user/me')).statusCode, 200);
    await t.handle.db.updateTable('api_keys').set({ revoked_at: new Date() }).where('id', '=', issued.id).execute();
    assert.equal((await client(t.app, issued.apiKey).get('/v4/user/me')).statusCode, 200, 'still remembered');
    clock.advance(t.config.apiKeyCacheMs + 1);
    try {
      const res = await client(t.app, issued.apiKey).get('/v4/user/me');
      assert.equal(res.statusCode, 401);
      assert.equal(res.json().message, 'Invalid API key');
    } finally {
      clock.set('2030-01-15T10:00:00Z');
    }
  });

  test('keys are stored hashed: the database never holds the key', async () => {
    const issued = (await client(t.app, acme.apiKey).post('/v4/api-key', {})).json();
    const rows = await t.handle.db.selectFrom('api_keys').selectAll().execute();
    for (const row of rows) assert.ok(!JSON.stringify(row).includes(issued.apiKey.split(':')[2]));
    const listed = (await client(t.app, acme.apiKey).get('/v4/api-key')).json();
    assert.ok(!JSON.stringify(listed).includes(issued.apiKey));
  });

  test("another company's API key cannot be revoked: 404", async () => {
    const other = await t.newCompany('Other');
    const theirs = (await client(t.app, other.apiKey).get('/v4/api-key')).json()[0];
    assert.equal((await client(t.app, acme.apiKey).delete(`/v4/api-key/${theirs.id}`)).statusCode, 404);
    assert.equal((await client(t.app, other.apiKey).get('/v4/user/me')).statusCode, 200);
  });

  test('expiresInDays must be a positive whole number', async () => {
    const res = await client(t.app, acme.apiKey).post('/v4/api-key', { expiresInDays: 0 });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().errors[0].field, 'expiresInDays');
  });
});

describe('the acting user header', () => {
  test("endpoints that act for a user without the header → 400 Missing required header 'x-meetergo-api-user-id' for API key authentication", async () => {
    for (const url of ['/v4/meeting-type', '/v4/availability']) {
      const res = await client(t.app, acme.apiKey).get(url);
      assert.equal(res.statusCode, 400, url);
      assert.deepEqual(res.json(), {
        statusCode: 400,
        error: 'Bad Request',
        message: "Missing required header 'x-meetergo-api-user-id' for API key authentication",
        code: 'bad_request',
      });
    }
    assert.equal((await client(t.app, acme.apiKey, acme.ownerUserId).get('/v4/meeting-type')).statusCode, 200);
  });

  test('a user of another company, an unknown user and a malformed id → 403', async () => {
    const other = await t.newCompany('Other2');
    for (const userId of [other.ownerUserId, '00000000-0000-4000-8000-000000000000', 'nope']) {
      const res = await client(t.app, acme.apiKey, userId).get('/v4/user/me');
      assert.equal(res.statusCode, 403, userId);
      assert.equal(res.json().code, 'forbidden');
    }
  });
});

describe('/admin', () => {
  test('creates a company with an owner and a working key', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/admin/companies',
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
      payload: { name: 'Globex' },
    });
    assert.equal(res.statusCode, 201);
    const created = res.json();
    const me = (await client(t.app, created.apiKey).get('/v4/user/me')).json();
    assert.equal(me.id, created.ownerUserId);
    assert.equal(me.companyId, created.companyId);
  });

  test('a wrong admin key → 401; a company API key is not an admin key', async () => {
    for (const key of ['wrong', acme.apiKey]) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/admin/companies',
        headers: { authorization: `Bearer ${key}` },
        payload: { name: 'X' },
      });
      assert.equal(res.statusCode, 401);
    }
  });

  test('without TERMIN_ADMIN_KEY the admin surface does not exist (404)', async () => {
    const bare = await startTestApp({ env: { TERMIN_ADMIN_KEY: '' }, handle: t.handle });
    try {
      const res = await bare.app.inject({
        method: 'POST',
        url: '/admin/companies',
        headers: { authorization: `Bearer ${ADMIN_KEY}` },
        payload: { name: 'X' },
      });
      assert.equal(res.statusCode, 404);
      assert.equal(res.json().code, 'not_found');
    } finally {
      await bare.close();
    }
  });
});

describe('rate limit per API key', () => {
  test('bursts up to the limit, then 429 Too Many Requests with Retry-After; refills over time', async () => {
    const limitedClock = fixedClock('2030-01-15T10:00:00Z');
    const limited = await startTestApp({
      clock: limitedClock,
      handle: t.handle,
      env: { TERMIN_RATE_LIMIT_PER_MINUTE: '60', TERMIN_RATE_LIMIT_BURST: '3' },
    });
    try {
      const api = client(limited.app, acme.apiKey);
      for (let i = 0; i < 3; i++) assert.equal((await api.get('/v4/user/me')).statusCode, 200);
      const refused = await api.get('/v4/user/me');
      assert.equal(refused.statusCode, 429);
      assert.equal(refused.json().message, 'Too Many Requests');
      assert.equal(refused.json().error, 'Too Many Requests');
      assert.equal(refused.headers['retry-after'], '1');
      const otherKey = (await client(limited.app, acme.apiKey).post('/v4/api-key', {}).catch(() => undefined))?.statusCode;
      assert.equal(otherKey, 429, 'the same key stays limited for every route');
      limitedClock.advance(1000);
      assert.equal((await api.get('/v4/user/me')).statusCode, 200);
    } finally {
      await limited.close();
    }
  });
});

describe('API key usage', () => {
  test('lastUsedAt is kept, written at most once a minute per key', async () => {
    const api = client(t.app, acme.apiKey);
    const issued = (await api.post('/v4/api-key', { name: 'usage' })).json();
    const lastUsed = async () =>
      (await api.get('/v4/api-key')).json().find((key: { id: string }) => key.id === issued.id).lastUsedAt;
    assert.equal(await lastUsed(), null);
    const first = clock.now();
    await client(t.app, issued.apiKey).get('/v4/user/me');
    assert.equal(await lastUsed(), first.toISOString());
    // Forward only: the per-key request limiter does not expect time to run backwards.
    clock.advance(59_000);
    await client(t.app, issued.apiKey).get('/v4/user/me');
    assert.equal(await lastUsed(), first.toISOString(), 'not rewritten within the minute');
    clock.advance(2_000);
    await client(t.app, issued.apiKey).get('/v4/user/me');
    assert.equal(await lastUsed(), new Date(first.getTime() + 61_000).toISOString());
  });
});
