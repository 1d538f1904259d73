// Calendar connections against a real CalDAV server (Radicale on loopback): connect, list the
// calendars found, choose which count for busy time and which receives appointments, refuse bad
// credentials and private addresses (when not allowed), remove; passwords are sealed at rest.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type TestApp, type TestCompany, client, startTestApp } from '../helpers/app.ts';
import { type TestHost, newHost, testClock } from '../helpers/bookings.ts';
import { RADICALE_USER, type Radicale, skipWithoutRadicale, startRadicale } from '../helpers/radicale.ts';

describe('calendar connections (CalDAV on Radicale)', { skip: skipWithoutRadicale }, () => {
  let t: TestApp;
  let radicale: Radicale;
  let company: TestCompany;
  let host: TestHost;

  before(async () => {
    radicale = await startRadicale();
    await radicale.makeCalendar('work', 'Work');
    await radicale.makeCalendar('private', 'Private');
    t = await startTestApp({ clock: testClock() });
    company = await t.newCompany('Calendars');
    host = await newHost(t, company);
  });
  after(async () => {
    await t?.close();
    await radicale?.close();
  });

  let connectionId: string;

  test('POST /v4/calendar-connections contacts the server at once and lists the calendars it found', async () => {
    const res = await host.api.post('/v4/calendar-connections', { type: 'caldav', url: radicale.url, ...RADICALE_USER });
    assert.equal(res.statusCode, 201, res.body);
    const body = res.json();
    connectionId = body.id;
    assert.equal(body.type, 'caldav');
    assert.equal(body.userId, host.userId);
    assert.equal(body.password, undefined);
    const names = body.calendars.map((c: { name: string }) => c.name).sort();
    assert.deepEqual(names, ['Private', 'Work']);
    for (const calendar of body.calendars) {
      assert.equal(calendar.countsForBusyTime, true);
      assert.ok(calendar.lastSyncedAt, 'read at once');
      assert.equal(calendar.lastError, null);
      assert.equal(calendar.stale, false);
    }
    assert.equal(body.calendars.filter((c: { receivesAppointments: boolean }) => c.receivesAppointments).length, 1);
  });

  test('the password is stored sealed, never in plain text', async () => {
    const row = await t.handle.db.selectFrom('calendar_connections').selectAll().where('id', '=', connectionId).executeTakeFirstOrThrow();
    assert.ok(row.password_sealed?.startsWith('v1:'));
    assert.ok(!row.password_sealed!.includes(RADICALE_USER.password));
  });

  test('GET /v4/calendar-connections/connections lists the acting user’s connections with their calendars', async () => {
    const res = await host.api.get('/v4/calendar-connections/connections');
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json().map((c: { id: string }) => c.id), [connectionId]);
    const other = await client(t.app, (await t.newCompany('Other')).apiKey).get('/v4/calendar-connections/connections');
    assert.deepEqual(other.json(), []);
  });

  test('PATCH chooses the calendar that receives appointments and the ones that count for busy time', async () => {
    const list = (await host.api.get('/v4/calendar-connections/connections')).json()[0];
    const work = list.calendars.find((c: { name: string }) => c.name === 'Work');
    const priv = list.calendars.find((c: { name: string }) => c.name === 'Private');
    const res = await host.api.patch(`/v4/calendar-connections/${connectionId}`, {
      calendars: [{ id: work.id, receivesAppointments: true }, { id: priv.id, countsForBusyTime: false }],
    });
    assert.equal(res.statusCode, 200, res.body);
    const after = res.json().calendars;
    assert.equal(after.find((c: { id: string }) => c.id === work.id).receivesAppointments, true);
    assert.equal(after.find((c: { id: string }) => c.id === priv.id).receivesAppointments, false);
    assert.equal(after.find((c: { id: string }) => c.id === priv.id).countsForBusyTime, false);
    const unknown = await host.api.patch(`/v4/calendar-connections/${connectionId}`, { calendars: [{ id: company.companyId, countsForBusyTime: true }] });
    assert.equal(unknown.statusCode, 400);
  });

  test('wrong credentials answer 400 saying the server refused them; nothing is stored', async () => {
    const res = await host.api.post('/v4/calendar-connections', { type: 'caldav', url: radicale.url, username: RADICALE_USER.username, password: 'wrong' });
    assert.equal(res.statusCode, 400, res.body);
    assert.match(res.json().message, /refused the credentials/);
    assert.equal(res.json().code, 'validation_failed');
    const rows = await t.handle.db.selectFrom('calendar_connections').select('id').execute();
    assert.equal(rows.length, 1);
  });

  test('bad input is a 400 in the error shape: missing password, unknown type, no acting user', async () => {
    const missing = await host.api.post('/v4/calendar-connections', { type: 'caldav', url: radicale.url, username: 'x' });
    assert.equal(missing.statusCode, 400);
    assert.equal(missing.json().errors[0].field, 'password');
    const badType = await host.api.post('/v4/calendar-connections', { type: 'exchange', url: radicale.url });
    assert.equal(badType.statusCode, 400);
    const noUser = await client(t.app, company.apiKey).post('/v4/calendar-connections', { type: 'ics', url: radicale.url });
    assert.equal(noUser.statusCode, 400);
  });

  test('another company’s connection is not found (PATCH and DELETE answer 404)', async () => {
    const other = client(t.app, (await t.newCompany('Stranger')).apiKey);
    assert.equal((await other.patch(`/v4/calendar-connections/${connectionId}`, { calendars: [] })).statusCode, 404);
    assert.equal((await other.delete(`/v4/calendar-connections/${connectionId}`)).statusCode, 404);
  });

  test('DELETE removes the connection and its calendars', async () => {
    const res = await host.api.delete(`/v4/calendar-connections/${connectionId}`);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual((await host.api.get('/v4/calendar-connections/connections')).json(), []);
    const calendars = await t.handle.db.selectFrom('connected_calendars').select('id').execute();
    assert.equal(calendars.length, 0);
  });
});

describe('calendar connections in the OpenAPI document', () => {
  test('the four routes are documented with their operationIds', async () => {
    const t = await startTestApp();
    try {
      const paths = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json().paths;
      assert.equal(paths['/v4/calendar-connections'].post.operationId, 'createCalendarConnection');
      assert.equal(paths['/v4/calendar-connections/connections'].get.operationId, 'listCalendarConnections');
      assert.equal(paths['/v4/calendar-connections/{id}'].patch.operationId, 'updateCalendarConnection');
      assert.equal(paths['/v4/calendar-connections/{id}'].delete.operationId, 'deleteCalendarConnection');
    } finally {
      await t.close();
    }
  });
});

describe('calendar address policy', () => {
  test('without TERMIN_CALENDAR_ALLOW_PRIVATE a loopback calendar server is refused with a 400', async () => {
    const t = await startTestApp({ env: { TERMIN_CALENDAR_ALLOW_PRIVATE: 'false' } });
    try {
      const company = await t.newCompany('Policy');
      const api = client(t.app, company.apiKey, company.ownerUserId);
      const res = await api.post('/v4/calendar-connections', { type: 'ics', url: 'http://127.0.0.1:9/feed.ics' });
      assert.equal(res.statusCode, 400, res.body);
      assert.match(res.json().message, /loopback/);
      assert.equal(res.json().errors[0].field, 'url');
    } finally {
      await t.close();
    }
  });
});
