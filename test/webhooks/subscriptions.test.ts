import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type TestApp, type TestCompany, client, startTestApp } from '../helpers/app.ts';

let t: TestApp;
let acme: TestCompany;
let other: TestCompany;
let strict: TestApp;
let strictCo: TestCompany;

before(async () => {
  t = await startTestApp({ env: { TERMIN_WEBHOOK_LIMIT: '6' } });
  acme = await t.newCompany('Acme');
  other = await t.newCompany('Other');
  strict = await startTestApp({ env: { TERMIN_WEBHOOK_ALLOW_PRIVATE: 'false' } });
  strictCo = await strict.newCompany('Strict');
});
after(async () => {
  await t.close();
  await strict.close();
});

const hook = (overrides: Record<string, unknown> = {}) => ({
  endpoint: 'http://127.0.0.1:9/webhooks/meetergo',
  eventTypes: ['booking_created'],
  description: 'CRM sync',
  ...overrides,
});

describe('POST /webhooks', () => {
  test('creates a subscription and answers 201 with the signing secret once', async () => {
    const api = client(t.app, acme.apiKey);
    const res = await api.post('/webhooks', hook({ eventTypes: ['booking_created', 'booking_cancelled'] }));
    assert.equal(res.statusCode, 201);
    const body = res.json();
    assert.match(body.secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
    assert.equal(body.companyId, acme.companyId);
    assert.deepEqual(body.eventTypes, ['booking_created', 'booking_cancelled']);
    assert.equal(body.description, 'CRM sync');
    const read = await api.get(`/webhooks/${body.id}`);
    assert.equal(read.statusCode, 200);
    assert.equal(read.json().secret, undefined);
    const listed = (await api.get('/webhooks')).json();
    assert.ok(listed.every((w: Record<string, unknown>) => w.secret === undefined));
    await api.delete(`/webhooks/${body.id}`);
  });

  test('stores the secret sealed, never in plaintext', async () => {
    const res = await client(t.app, acme.apiKey).post('/webhooks', hook());
    const { id, secret } = res.json();
    const rows = await t.handle.db.selectFrom('webhook_secrets').selectAll().where('webhook_id', '=', id).execute();
    assert.equal(rows.length, 1);
    assert.ok(!rows[0]!.secret_sealed.includes(secret.slice(6, 20)));
    assert.match(rows[0]!.secret_sealed, /^v1:/);
    await client(t.app, acme.apiKey).delete(`/webhooks/${id}`);
  });

  test('is also served under /v4/webhooks', async () => {
    const api = client(t.app, acme.apiKey);
    const res = await api.post('/v4/webhooks', hook());
    assert.equal(res.statusCode, 201);
    assert.equal((await api.get(`/v4/webhooks/${res.json().id}`)).statusCode, 200);
    assert.equal((await api.delete(`/v4/webhooks/${res.json().id}`)).statusCode, 200);
  });

  test('refuses an unknown event type with 400 naming eventTypes', async () => {
    const res = await client(t.app, acme.apiKey).post('/webhooks', hook({ eventTypes: ['booking_created', 'booking_exploded'] }));
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().errors[0].field, 'eventTypes');
    assert.match(res.json().message, /booking_exploded/);
  });

  test('refuses an empty event type list and a missing endpoint with 400', async () => {
    const api = client(t.app, acme.apiKey);
    assert.equal((await api.post('/webhooks', hook({ eventTypes: [] }))).statusCode, 400);
    assert.equal((await api.post('/webhooks', { eventTypes: ['booking_created'] })).statusCode, 400);
  });

  for (const endpoint of ['ftp://example.com/hook', 'not a url', 'http://user:pw@example.com/hook', 'file:///etc/passwd']) {
    test(`refuses the endpoint ${endpoint} with 400`, async () => {
      const res = await client(t.app, acme.apiKey).post('/webhooks', hook({ endpoint }));
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().errors[0].field, 'endpoint');
    });
  }

  test('answers 406 beyond 6 webhooks per company', async () => {
    const api = client(t.app, other.apiKey);
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await api.post('/webhooks', hook());
      assert.equal(res.statusCode, 201);
      ids.push(res.json().id);
    }
    const seventh = await api.post('/webhooks', hook());
    assert.equal(seventh.statusCode, 406);
    assert.equal(seventh.json().code, 'limit_reached');
    assert.equal(seventh.json().error, 'Not Acceptable');
    await api.delete(`/webhooks/${ids[0]}`);
    assert.equal((await api.post('/webhooks', hook())).statusCode, 201);
    for (const id of (await api.get('/webhooks')).json().map((w: { id: string }) => w.id)) await api.delete(`/webhooks/${id}`);
  });
});

describe('SSRF checks (TERMIN_WEBHOOK_ALLOW_PRIVATE=false)', () => {
  for (const endpoint of [
    'http://127.0.0.1/hook',
    'http://10.1.2.3/hook',
    'http://169.254.169.254/latest/meta-data',
    'http://localhost:8080/hook',
    'http://[::1]/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/hook',
    'http://[2002:7f00:1::1]/hook',
    'http://[64:ff9b::7f00:1]/hook',
    'http://[64:ff9b:1::a00:1]/hook',
    'http://[::7f00:1]/hook',
    'http://192.168.1.10/hook',
    'http://100.64.0.1/hook',
    'http://2130706433/hook',
  ]) {
    test(`refuses ${endpoint} at create with 400`, async () => {
      const res = await client(strict.app, strictCo.apiKey).post('/webhooks', hook({ endpoint }));
      assert.equal(res.statusCode, 400, res.body);
      assert.match(res.json().message, /must not resolve to a/);
    });
  }

  test('accepts a public address', async () => {
    const res = await client(strict.app, strictCo.apiKey).post('/webhooks', hook({ endpoint: 'https://93.184.215.14/hook' }));
    assert.equal(res.statusCode, 201, res.body);
  });

  test('checks a changed endpoint again on PATCH', async () => {
    const api = client(strict.app, strictCo.apiKey);
    const { id } = (await api.post('/webhooks', hook({ endpoint: 'https://93.184.215.14/hook' }))).json();
    const res = await api.patch(`/webhooks/${id}`, { endpoint: 'http://10.0.0.5/hook' });
    assert.equal(res.statusCode, 400);
    assert.equal((await api.get(`/webhooks/${id}`)).json().endpoint, 'https://93.184.215.14/hook');
  });
});

describe('GET/PATCH/DELETE /webhooks/{id}', () => {
  test('PATCH replaces the event types, changes the description and endpoint', async () => {
    const api = client(t.app, acme.apiKey);
    const { id } = (await api.post('/webhooks', hook())).json();
    const res = await api.patch(`/webhooks/${id}`, {
      eventTypes: ['booking_rescheduled', 'new_employee'],
      description: 'new',
      endpoint: 'http://127.0.0.1:10/x',
    });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json().eventTypes, ['booking_rescheduled', 'new_employee']);
    assert.equal(res.json().description, 'new');
    assert.equal(res.json().endpoint, 'http://127.0.0.1:10/x');
    assert.equal((await api.patch(`/webhooks/${id}`, { eventTypes: ['nope'] })).statusCode, 400);
    await api.delete(`/webhooks/${id}`);
  });

  test('DELETE removes it: afterwards 404', async () => {
    const api = client(t.app, acme.apiKey);
    const { id } = (await api.post('/webhooks', hook())).json();
    const res = await api.delete(`/webhooks/${id}`);
    assert.equal(res.statusCode, 200);
    assert.equal((await api.get(`/webhooks/${id}`)).statusCode, 404);
    assert.equal((await api.delete(`/webhooks/${id}`)).statusCode, 404);
  });

  test('another company can neither see nor touch a subscription (404)', async () => {
    const { id } = (await client(t.app, acme.apiKey).post('/webhooks', hook())).json();
    const intruder = client(t.app, other.apiKey);
    assert.equal((await intruder.get(`/webhooks/${id}`)).statusCode, 404);
    assert.equal((await intruder.patch(`/webhooks/${id}`, { description: 'mine' })).statusCode, 404);
    assert.equal((await intruder.delete(`/webhooks/${id}`)).statusCode, 404);
    assert.equal((await intruder.post(`/webhooks/${id}/rotate-secret`)).statusCode, 404);
    assert.equal((await intruder.get(`/webhooks/${id}/deliveries`)).statusCode, 404);
    assert.equal((await intruder.post(`/webhooks/${id}/test`)).statusCode, 404);
    assert.ok(!(await intruder.get('/webhooks')).json().some((w: { id: string }) => w.id === id));
    assert.equal((await client(t.app, acme.apiKey).get(`/webhooks/${id}`)).json().description, 'CRM sync');
  });

  test('a malformed id answers 404, a request without a key 401', async () => {
    assert.equal((await client(t.app, acme.apiKey).get('/webhooks/123')).statusCode, 404);
    assert.equal((await t.app.inject({ method: 'GET', url: '/webhooks' })).statusCode, 401);
  });

  test('rotate-secret answers a new secret and keeps the old one signing for 24 hours', async () => {
    const api = client(t.app, acme.apiKey);
    const created = (await api.post('/webhooks', hook())).json();
    const res = await api.post(`/webhooks/${created.id}/rotate-secret`);
    assert.equal(res.statusCode, 200);
    const rotated = res.json();
    assert.notEqual(rotated.secret, created.secret);
    assert.match(rotated.secret, /^whsec_/);
    const graceMs = Date.parse(rotated.previousSecretExpiresAt) - Date.now();
    assert.ok(graceMs > 23.9 * 3_600_000 && graceMs <= 24 * 3_600_000, `grace ${graceMs}`);
    const secrets = await t.handle.db.selectFrom('webhook_secrets').selectAll().where('webhook_id', '=', created.id).orderBy('id').execute();
    assert.equal(secrets.length, 2);
    assert.ok(secrets[0]!.expires_at);
    assert.equal(secrets[1]!.expires_at, null);
  });
});
