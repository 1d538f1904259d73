import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { buildApp } from '../../src/app.ts';
import { type TestApp, type TestCompany, client, startTestApp, testConfig } from '../helpers/app.ts';

let t: TestApp;
let acme: TestCompany;

before(async () => {
  t = await startTestApp();
  acme = await t.newCompany('Acme');
});
after(() => t.close());

function assertErrorShape(body: Record<string, unknown>, statusCode: number, code: string) {
  assert.equal(body.statusCode, statusCode);
  assert.equal(typeof body.error, 'string');
  assert.equal(typeof body.message, 'string');
  assert.equal(body.code, code);
  assert.ok(!('stack' in body));
}

describe('one error model', () => {
  test('malformed JSON → 400 in the error shape', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v4/user',
      headers: { authorization: `Bearer ${acme.apiKey}`, 'content-type': 'application/json' },
      payload: '{"email": ',
    });
    assert.equal(res.statusCode, 400);
    assertErrorShape(res.json(), 400, 'bad_request');
  });

  test('prototype pollution in JSON is refused, not merged', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v4/user',
      headers: { authorization: `Bearer ${acme.apiKey}`, 'content-type': 'application/json' },
      payload: '{"__proto__": {"admin": true}, "email": "p@example.com"}',
    });
    assert.equal(res.statusCode, 400);
  });

  test('a body over 1 MiB → 413', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v4/user',
      headers: { authorization: `Bearer ${acme.apiKey}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ email: 'x'.repeat(1_100_000) }),
    });
    assert.equal(res.statusCode, 413);
    assertErrorShape(res.json(), 413, 'payload_too_large');
  });

  test('a body that is not JSON → 415', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v4/user',
      headers: { authorization: `Bearer ${acme.apiKey}`, 'content-type': 'text/plain' },
      payload: 'hello',
    });
    assert.equal(res.statusCode, 415);
    assertErrorShape(res.json(), 415, 'unsupported_media_type');
  });

  test('an empty body with a JSON content type is no body (seed 003 sends DELETE that way)', async () => {
    const api = client(t.app, acme.apiKey);
    const { userId } = (
      await api.post('/v4/user', { email: 'e@example.com', givenName: 'E', familyName: 'F', timezone: 'UTC' })
    ).json();
    const res = await t.app.inject({
      method: 'DELETE',
      url: `/v4/user/${userId}`,
      headers: { authorization: `Bearer ${acme.apiKey}`, 'content-type': 'application/json' },
    });
    assert.equal(res.statusCode, 200);
  });

  test('unknown routes → 404 in the error shape', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v4/nothing-here?x=1' });
    assert.equal(res.statusCode, 404);
    assertErrorShape(res.json(), 404, 'not_found');
    assert.equal(res.json().message, 'Cannot GET /v4/nothing-here');
  });

  test('huge and wrongly typed query values → 400 naming the field', async () => {
    const api = client(t.app, acme.apiKey);
    for (const query of ['limit=abc', 'limit=99999999999999999999', 'offset=-1']) {
      const res = await api.get(`/v4/user?${query}`);
      assert.equal(res.statusCode, 400, query);
      assertErrorShape(res.json(), 400, 'validation_failed');
      assert.ok(res.json().errors.length > 0);
    }
  });

  test('every answer carries a request id; a sane incoming x-request-id is kept', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'abc-123' } });
    assert.equal(res.headers['x-request-id'], 'abc-123');
    const other = await t.app.inject({ method: 'GET', url: '/healthz' });
    assert.match(String(other.headers['x-request-id']), /^[0-9a-f-]{36}$/);
  });
});

describe('internal failures', () => {
  test('a 500 carries no internals; the log line has no message data or parameters', async () => {
    let logged = '';
    const logStream = new Writable({
      write(chunk, _enc, done) {
        logged += chunk;
        done();
      },
    });
    const { app } = await buildApp({ config: testConfig({ LOG_LEVEL: 'error' }), db: t.handle.db, logStream });
    app.get('/boom', async () => {
      const error = Object.assign(new Error('duplicate key value (email)=(secret@example.com)'), { code: 'XX000' });
      throw error;
    });
    await app.ready();
    try {
      const res = await app.inject({ method: 'GET', url: '/boom' });
      assert.equal(res.statusCode, 500);
      assert.deepEqual(res.json(), {
        statusCode: 500,
        error: 'Internal Server Error',
        message: 'Internal server error',
        code: 'internal',
      });
      assert.ok(logged.includes('request failed'));
      assert.ok(!logged.includes('secret@example.com'));
    } finally {
      await app.close();
    }
  });

  test('health answers 503 when the database is gone', async () => {
    const { openTestDatabase } = await import('../helpers/app.ts');
    const handle = await openTestDatabase();
    const broken = await startTestApp({ handle });
    await handle.close();
    try {
      const res = await broken.app.inject({ method: 'GET', url: '/healthz' });
      assert.equal(res.statusCode, 503);
      assertErrorShape(res.json(), 503, 'unavailable');
    } finally {
      await broken.app.close();
    }
  });
});

describe('documentation', () => {
  test('/openapi.json is an OpenAPI 3 document of the routes; /docs renders', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    assert.match(doc.openapi, /^3\./);
    for (const path of ['/v4/user', '/v4/user/me', '/v4/user/{id}', '/v4/api-key', '/healthz']) {
      assert.ok(doc.paths[path], `missing ${path}`);
    }
    assert.ok(doc.paths['/v4/user'].post.requestBody);
    const docs = await t.app.inject({ method: 'GET', url: '/docs/' });
    assert.equal(docs.statusCode, 200);
    assert.match(docs.body, /swagger-ui/i);
  });
});
