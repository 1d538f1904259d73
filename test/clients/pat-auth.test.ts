// How meetergo's own clients authenticate, pinned against Termin with a personal access token:
// the official MCP server (`meetergo/meetergo-mcp-server`, src/client.ts) sends
// `Authorization: Bearer <token>` and `Content-Type: application/json` on every request (GETs
// too) against a base URL ending in /v4; the hosted MCP also sends `X-Meetergo-Api-User-Id`. The
// community n8n node (`DominikRapacki/n8n-nodes-meetergo`) sends only `Authorization: Bearer`,
// tests a credential with `GET /v4/meeting-type`, and pages appointments from page 0.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type TestApp, type TestCompany, client } from '../helpers/app.ts';
import { type TestHost, bookingBody, newHost, slot, startHostApp } from '../helpers/bookings.ts';

let t: TestApp;
let acme: TestCompany;
let host: TestHost;
let pat: string;

before(async () => {
  ({ t, acme, host } = await startHostApp());
  const res = await client(t.app, acme.apiKey, host.userId).post('/v4/personal-access-token', {
    name: 'clients',
    scopes: ['scheduling', 'account'],
  });
  assert.equal(res.statusCode, 201, res.body);
  pat = res.json().token;
});
after(() => t.close());

/** The MCP client's request: base URL …/v4, bearer token, JSON content type even on GETs. */
function mcpRequest(method: 'GET' | 'POST', path: string, body?: unknown, extraHeaders: Record<string, string> = {}) {
  return t.app.inject({
    method,
    url: `/v4${path}`,
    headers: { Authorization: `Bearer ${pat}`, 'Content-Type': 'application/json', ...extraHeaders },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
}

/** The n8n node's request: only the Authorization header its credential adds. */
function n8nRequest(method: 'GET' | 'POST', path: string, query: Record<string, string | number> = {}) {
  return t.app.inject({ method, url: path, query: Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)])), headers: { authorization: `Bearer ${pat}` } });
}

describe('n8n node with a personal access token', () => {
  test("the credential test GET /v4/meeting-type passes with only the token", async () => {
    const res = await n8nRequest('GET', '/v4/meeting-type');
    assert.equal(res.statusCode, 200, res.body);
    const types = res.json();
    assert.ok(Array.isArray(types));
    assert.equal(types[0].id, host.meetingTypeId);
    assert.equal(typeof types[0].meetingInfo.name, 'string');
  });

  test('appointments are read with page 0 and pageSize, no user header', async () => {
    const booked = await n8nBook();
    const res = await n8nRequest('GET', '/v4/appointment/paginated', { page: 0, pageSize: 100 });
    assert.equal(res.statusCode, 200, res.body);
    assert.ok(Array.isArray(res.json().appointments));
    assert.equal((await n8nRequest('GET', `/v4/appointment/${booked}`)).statusCode, 200);
  });

  test('the trigger manages webhooks with the token (the account scope)', async () => {
    const res = await n8nRequest('GET', '/webhooks');
    assert.equal(res.statusCode, 200, res.body);
  });

  test('a wrong token answers 401 with a message n8n shows', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v4/meeting-type', headers: { authorization: 'Bearer rgo-0123456789abcdef0123456789abcdef' } });
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().message, 'Invalid personal access token');
  });
});

async function n8nBook(): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/v4/booking',
    headers: { authorization: `Bearer ${pat}` },
    payload: bookingBody(host, slot(2, '10:00')),
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().appointmentId;
}

describe('MCP server with a personal access token', () => {
  test('GETs carry Content-Type: application/json and no body, and succeed', async () => {
    for (const path of ['/meeting-type', '/user/me', '/appointment/today', '/availability']) {
      const res = await mcpRequest('GET', path);
      assert.equal(res.statusCode, 200, `${path}: ${res.body}`);
    }
    assert.equal((await mcpRequest('GET', '/user/me')).json().id, host.userId);
  });

  test('a booking with the token needs no user header', async () => {
    const res = await mcpRequest('POST', '/booking', bookingBody(host, slot(3, '11:00')));
    assert.equal(res.statusCode, 201, res.body);
    const appointment = await mcpRequest('GET', `/appointment/${res.json().appointmentId}`);
    assert.equal(appointment.statusCode, 200);
  });

  test('the hosted form with X-Meetergo-Api-User-Id naming the owner works; naming someone else is 403', async () => {
    const own = await mcpRequest('GET', '/meeting-type', undefined, { 'X-Meetergo-Api-User-Id': host.userId });
    assert.equal(own.statusCode, 200);
    const other = await newHost(t, acme);
    const res = await mcpRequest('GET', '/meeting-type', undefined, { 'X-Meetergo-Api-User-Id': other.userId });
    assert.equal(res.statusCode, 403);
    // The MCP client surfaces `message` to the agent: it must say what is wrong.
    assert.match(res.json().message, /must not name another user/);
  });
});
