import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fixedClock } from '../../src/lib/clock.ts';
import { type TestApp, type TestCompany, client, startTestApp } from '../helpers/app.ts';
import { type TestHost, newHost } from '../helpers/hosts.ts';

const clock = fixedClock('2030-01-15T10:00:00Z');
let t: TestApp;
let acme: TestCompany;
let ada: TestHost;
let bob: TestHost;

before(async () => {
  t = await startTestApp({ clock });
  acme = await t.newCompany('Acme');
  ada = await newHost(t, acme, { givenName: 'Ada' });
  bob = await newHost(t, acme, { givenName: 'Bob' });
});
after(() => t.close());

async function issue(body: Record<string, unknown>, userId = ada.userId) {
  const res = await client(t.app, acme.apiKey, userId).post('/v4/personal-access-token', body);
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as { id: string; token: string; userId: string; scopes: string[] | null; prefix: string };
}

describe('personal access tokens: issuing and managing', () => {
  test('a company key creates a token for the user it acts as: rgo- + 32 characters, shown once, stored hashed', async () => {
    const issued = await issue({ name: 'n8n' });
    assert.match(issued.token, /^rgo-[\w-]{32}$/);
    assert.equal(issued.userId, ada.userId);
    assert.equal(issued.scopes, null);
    assert.ok(issued.token.startsWith(issued.prefix.replace('…', '')));
    const listed = (await client(t.app, acme.apiKey, ada.userId).get('/v4/personal-access-token')).json();
    const entry = listed.find((item: { id: string }) => item.id === issued.id);
    assert.ok(entry);
    assert.equal(entry.token, undefined, 'never shown again');
    const stored = await t.handle.db.selectFrom('personal_access_tokens').selectAll().where('id', '=', issued.id).executeTakeFirstOrThrow();
    assert.notEqual(stored.token_hash, issued.token);
    assert.ok(!JSON.stringify(stored).includes(issued.token));
  });

  test('a company key creates one for another user with userId; names are unique per user', async () => {
    const api = client(t.app, acme.apiKey);
    const res = await api.post('/v4/personal-access-token', { name: 'CRM', userId: bob.userId });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().userId, bob.userId);
    const again = await api.post('/v4/personal-access-token', { name: 'crm', userId: bob.userId });
    assert.equal(again.statusCode, 409);
    assert.match(again.json().message, /already exists/);
    const noOwner = await api.post('/v4/personal-access-token', { name: 'x' });
    assert.equal(noOwner.statusCode, 400);
    assert.match(noOwner.json().message, /userId or x-meetergo-api-user-id/);
    const badScope = await api.post('/v4/personal-access-token', { name: 'y', userId: bob.userId, scopes: ['root'] });
    assert.equal(badScope.statusCode, 400);
    assert.equal(badScope.json().code, 'validation_failed');
  });

  test("another company's user is not found", async () => {
    const globex = await t.newCompany('Globex');
    const res = await client(t.app, globex.apiKey).post('/v4/personal-access-token', { name: 'z', userId: ada.userId });
    assert.equal(res.statusCode, 404);
  });

  test('a revoked token stops working at once; revoking twice is 404', async () => {
    const issued = await issue({ name: 'temp' });
    assert.equal((await client(t.app, issued.token).get('/v4/user/me')).statusCode, 200);
    const api = client(t.app, acme.apiKey, ada.userId);
    assert.equal((await api.delete(`/v4/personal-access-token/${issued.id}`)).statusCode, 200);
    const res = await client(t.app, issued.token).get('/v4/user/me');
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().message, 'Invalid personal access token');
    assert.equal((await api.delete(`/v4/personal-access-token/${issued.id}`)).statusCode, 404);
  });

  test('an expired token → 401 Personal access token has expired', async () => {
    const issued = await issue({ name: 'short', expiresInDays: 1 });
    assert.equal((await client(t.app, issued.token).get('/v4/meeting-type')).statusCode, 200);
    // Forward only: the per-credential request limiter does not expect time to run backwards.
    clock.advance(86_400_000 + 1000);
    const res = await client(t.app, issued.token).get('/v4/meeting-type');
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().message, 'Personal access token has expired');
    const past = await client(t.app, acme.apiKey, ada.userId).post('/v4/personal-access-token', {
      name: 'past',
      expiresAt: '2020-01-01T00:00:00Z',
    });
    assert.equal(past.statusCode, 400);
  });

  test('a deleted user’s tokens stop working', async () => {
    const carl = await newHost(t, acme, { givenName: 'Carl' });
    const issued = await issue({ name: 'carl' }, carl.userId);
    assert.equal((await client(t.app, issued.token).get('/v4/user/me')).statusCode, 200);
    assert.equal((await client(t.app, acme.apiKey).delete(`/v4/user/${carl.userId}`)).statusCode, 200);
    assert.equal((await client(t.app, issued.token).get('/v4/user/me')).statusCode, 401);
  });
});

describe('personal access tokens: acting as the owner', () => {
  test('the token acts as its owner with no user header', async () => {
    const { token } = await issue({ name: 'acting' });
    const me = await client(t.app, token).get('/v4/user/me');
    assert.equal(me.statusCode, 200);
    assert.equal(me.json().id, ada.userId);
    const types = await client(t.app, token).get('/v4/meeting-type');
    assert.equal(types.statusCode, 200);
    assert.deepEqual(
      types.json().map((type: { id: string }) => type.id),
      [ada.meetingTypeId],
    );
  });

  test('the header naming the owner is accepted; naming another user → 403 with a clear message', async () => {
    const { token } = await issue({ name: 'header' });
    assert.equal((await client(t.app, token, ada.userId).get('/v4/meeting-type')).statusCode, 200);
    const res = await client(t.app, token, bob.userId).get('/v4/meeting-type');
    assert.equal(res.statusCode, 403);
    assert.deepEqual(res.json(), {
      statusCode: 403,
      error: 'Forbidden',
      message: 'A personal access token acts as its owner; x-meetergo-api-user-id must not name another user',
      code: 'forbidden',
    });
  });

  test('a token cannot create, update or delete users, nor manage API keys or tokens', async () => {
    const { token } = await issue({ name: 'limits' });
    const api = client(t.app, token);
    const refused = [
      await api.post('/v4/user', { email: 'x@example.com', givenName: 'X', familyName: 'Y', timezone: 'UTC' }),
      await api.patch(`/v4/user/${ada.userId}`, { givenName: 'Eve' }),
      await api.delete(`/v4/user/${bob.userId}`),
      await api.get('/v4/api-key'),
      await api.post('/v4/api-key', { name: 'escalate' }),
      await api.get('/v4/personal-access-token'),
      await api.post('/v4/personal-access-token', { name: 'another' }),
    ];
    for (const res of refused) {
      assert.equal(res.statusCode, 403, res.body);
      assert.match(res.json().message, /^Personal access tokens cannot (manage credentials|create, update or delete users)/);
    }
    assert.equal((await client(t.app, acme.apiKey).get(`/v4/user/${bob.userId}`)).statusCode, 200, 'Bob still exists');
  });

  test('scopes: a call outside the granted groups is refused, reads included', async () => {
    const { token, scopes } = await issue({ name: 'scheduling only', scopes: ['scheduling'] });
    assert.deepEqual(scopes, ['scheduling']);
    const api = client(t.app, token);
    assert.equal((await api.get('/v4/meeting-type')).statusCode, 200);
    assert.equal((await api.get('/v4/availability')).statusCode, 200);
    assert.equal((await api.get('/v4/user/me')).statusCode, 200, 'who-am-I needs no scope');
    for (const url of ['/webhooks', '/v4/user']) {
      const res = await api.get(url);
      assert.equal(res.statusCode, 403, url);
      assert.equal(res.json().message, 'This personal access token lacks the "account" scope');
    }
    const account = await issue({ name: 'account only', scopes: ['account'] });
    const res = await client(t.app, account.token).get('/v4/meeting-type');
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().message, 'This personal access token lacks the "scheduling" scope');
    assert.equal((await client(t.app, account.token).get('/webhooks')).statusCode, 200);
  });

  test('lastUsedAt is kept, at most once a minute', async () => {
    const issued = await issue({ name: 'usage' });
    const api = client(t.app, acme.apiKey, ada.userId);
    const lastUsed = async () =>
      (await api.get('/v4/personal-access-token')).json().find((item: { id: string }) => item.id === issued.id).lastUsedAt;
    assert.equal(await lastUsed(), null);
    const first = clock.now();
    await client(t.app, issued.token).get('/v4/user/me');
    assert.equal(await lastUsed(), first.toISOString());
    clock.advance(30_000);
    await client(t.app, issued.token).get('/v4/user/me');
    assert.equal(await lastUsed(), first.toISOString(), 'not rewritten within the minute');
    clock.advance(31_000);
    await client(t.app, issued.token).get('/v4/user/me');
    assert.equal(await lastUsed(), new Date(first.getTime() + 61_000).toISOString());
  });
});

describe('GET /v4/user with tokens, paged as the live API pages', () => {
  test("a member's token may not list users; the owner's token walks every user once with limit and offset", async () => {
    const member = await issue({ name: 'member list' });
    const refused = await client(t.app, member.token).get('/v4/user');
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.json().message, 'Admin access required');
    const owner = await issue({ name: 'owner list' }, acme.ownerUserId);
    const api = client(t.app, owner.token);
    const seen: string[] = [];
    let total = -1;
    for (let offset = 0; total < 0 || offset < total; offset += 2) {
      const page = await api.get(`/v4/user?limit=2&offset=${offset}`);
      assert.equal(page.statusCode, 200, page.body);
      const body = page.json();
      total = body.total;
      assert.equal(body.offset, offset);
      assert.equal(body.count, body.users.length);
      seen.push(...body.users.map((user: { id: string }) => user.id));
    }
    assert.equal(seen.length, total);
    assert.equal(new Set(seen).size, total, 'each user exactly once');
    assert.ok(seen.includes(ada.userId) && seen.includes(acme.ownerUserId));
  });
});
