// The OpenAPI document is the whole contract: a client generated from it alone (as
// openapi-typescript would generate one) must find every operation with its headers. This test
// plays that client: it reads /openapi.json, checks each operation is fully declared, then calls
// every operation using nothing but what the document says.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type TestApp, type TestCompany, startTestApp } from '../helpers/app.ts';

// biome-ignore lint/suspicious/noExplicitAny: an OpenAPI document is walked as untyped JSON
type Json = Record<string, any>;

let t: TestApp;
let acme: TestCompany;
let doc: Json;

before(async () => {
  t = await startTestApp();
  acme = await t.newCompany('Acme');
  const res = await t.app.inject({ method: 'GET', url: '/openapi.json' });
  assert.equal(res.statusCode, 200);
  doc = res.json();
});
after(() => t.close());

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

function operations(): { method: string; path: string; op: Json }[] {
  return Object.entries(doc.paths as Json).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => ({ method, path, op: item[method] })),
  );
}

function headerNames(op: Json): string[] {
  return (op.parameters ?? []).filter((p: Json) => p.in === 'header').map((p: Json) => p.name.toLowerCase());
}

describe('OpenAPI document', () => {
  test('every operation has a unique operationId and a success response', () => {
    const ids = new Set<string>();
    const ops = operations();
    assert.ok(ops.length > 50, `only ${ops.length} operations`);
    for (const { method, path, op } of ops) {
      const name = `${method.toUpperCase()} ${path}`;
      assert.match(op.operationId ?? '', /^[a-z][A-Za-z0-9]+$/, `${name} lacks an operationId`);
      assert.ok(!ids.has(op.operationId), `${name}: duplicate operationId ${op.operationId}`);
      ids.add(op.operationId);
      assert.ok(Object.keys(op.responses ?? {}).some((status) => /^2/.test(status)), `${name} has no success response`);
    }
  });

  test('Authorization is a declared security scheme; the user and Idempotency-Key headers are declared parameters', () => {
    assert.equal(doc.components.securitySchemes.bearerAuth.scheme, 'bearer');
    for (const { method, path, op } of operations()) {
      const name = `${method.toUpperCase()} ${path}`;
      const isPublic = Array.isArray(op.security) && op.security.length === 0;
      if (path.startsWith('/v4/')) {
        assert.deepEqual(op.security, [{ bearerAuth: [] }], `${name} security`);
        assert.ok(headerNames(op).includes('x-meetergo-api-user-id'), `${name} lacks x-meetergo-api-user-id`);
      }
      if (isPublic) assert.ok(!headerNames(op).includes('x-meetergo-api-user-id'), `${name} is public`);
    }
    for (const [method, path] of [
      ['post', '/v4/booking'],
      ['post', '/v4/appointment/{id}/cancel'],
      ['post', '/v4/appointment/{id}/reschedule'],
      ['delete', '/v4/appointment/{id}'],
    ] as const) {
      assert.ok(headerNames(doc.paths[path][method]).includes('idempotency-key'), `${method} ${path} lacks Idempotency-Key`);
    }
    assert.deepEqual(doc.paths['/healthz'].get.security, []);
  });

  test('the domain objects are named component schemas and every $ref resolves', () => {
    for (const name of ['Appointment', 'AppointmentPage', 'MeetingType', 'Availability', 'User', 'Webhook', 'BookingCreated', 'BookingAvailability', 'ErrorResponse']) {
      assert.ok(doc.components.schemas[name], `${name} missing from components.schemas`);
    }
    const one = doc.paths['/v4/appointment/{id}'].get.responses['200'].content['application/json'].schema;
    assert.deepEqual(one, { $ref: '#/components/schemas/Appointment' });
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    for (const ref of new Set(refs)) {
      const target = ref.slice(8, -1).replace('#/components/schemas/', '');
      assert.ok(doc.components.schemas[target], `${ref} does not resolve`);
    }
  });

  test('servers are host-relative, so the docs work from whatever host they are opened at', () => {
    assert.deepEqual(
      doc.servers.map((server: Json) => server.url),
      ['/'],
    );
  });

  test('a client built from the document alone reaches every operation with its declared auth', async () => {
    const anyId = '00000000-0000-4000-8000-000000000000';
    for (const { method, path, op } of operations()) {
      const name = `${method.toUpperCase()} ${path}`;
      const url = (doc.servers[0].url.replace(/\/$/, '') + path).replace(/\{[^}]+\}/g, anyId);
      const headers: Record<string, string> = {};
      const scheme = Object.keys(op.security?.[0] ?? {})[0];
      if (scheme === 'bearerAuth') headers.authorization = `Bearer ${acme.apiKey}`;
      if (scheme === 'adminKey') headers.authorization = `Bearer ${t.config.adminKey}`;
      if (headerNames(op).includes('x-meetergo-api-user-id')) headers['x-meetergo-api-user-id'] = acme.ownerUserId;
      const hasBody = op.requestBody !== undefined;
      const res = await t.app.inject({
        method: method.toUpperCase() as 'GET',
        url,
        headers: hasBody ? { ...headers, 'content-type': 'application/json' } : headers,
        ...(hasBody ? { payload: '{}' } : {}),
      });
      // Readiness answers 503 by design here: this test app runs no background workers.
      const expectedNotReady = path === '/readyz' && res.statusCode === 503;
      assert.ok(res.statusCode < 500 || expectedNotReady, `${name}: ${res.statusCode} ${res.body.slice(0, 200)}`);
      assert.notEqual(res.statusCode, 401, `${name}: the declared auth was refused`);
      assert.ok(!(res.statusCode === 404 && res.json().message?.startsWith('Cannot ')), `${name}: no such route`);
    }
  });
});
