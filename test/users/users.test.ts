import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { systemClock } from '../../src/lib/clock.ts';
import { ADMIN_KEY, type TestApp, type TestCompany, client } from '../helpers/app.ts';
import { startAcmeApp } from '../helpers/bookings.ts';

let t: TestApp;
let acme: TestCompany;
let other: TestCompany;

before(async () => ({ t, acme, other } = await startAcmeApp({ clock: systemClock })));
after(() => t.close());

const newUser = (overrides: Record<string, unknown> = {}) => ({
  email: `u${Math.random().toString(36).slice(2)}@example.com`,
  givenName: 'Ada',
  familyName: 'Lovelace',
  timezone: 'Europe/Berlin',
  ...overrides,
});

describe('POST /v4/user', () => {
  test('creates a user with a default availability and meeting type and answers 201', async () => {
    const api = client(t.app, acme.apiKey);
    const res = await api.post('/v4/user', newUser({ timezone: 'Asia/Kolkata' }));
    assert.equal(res.statusCode, 201);
    const body = res.json();
    assert.equal(body.companyId, acme.companyId);
    assert.match(body.bookingUrl, /^http:\/\/termin\.test\/ada-lovelace(-[0-9a-f]+)?\/30min-meeting$/);
    const availability = await t.handle.db
      .selectFrom('availabilities')
      .selectAll()
      .where('id', '=', body.availabilityId)
      .executeTakeFirstOrThrow();
    assert.equal(availability.timezone, 'Asia/Kolkata');
    assert.deepEqual(availability.schedule.monday, { enabled: true, hours: [{ start: '09:00', end: '17:00' }] });
    assert.deepEqual(availability.schedule.saturday, { enabled: false, hours: [] });
    const meetingType = await t.handle.db
      .selectFrom('meeting_types')
      .selectAll()
      .where('id', '=', body.meetingTypeId)
      .executeTakeFirstOrThrow();
    assert.equal(meetingType.duration, 30);
    assert.equal(meetingType.user_id, body.userId);
  });

  test('accepts a custom availability in the array form and a custom meeting type', async () => {
    const api = client(t.app, acme.apiKey);
    const res = await api.post(
      '/v4/user',
      newUser({
        availability: { name: 'Mornings', schedule: [{ dayOfWeek: 'tuesday', intervals: [{ from: '08:00', to: '12:00' }] }] },
        meetingType: { name: 'Intro', duration: 45, channel: 'google_meet' },
      }),
    );
    assert.equal(res.statusCode, 201);
    const mt = await t.handle.db.selectFrom('meeting_types').selectAll().where('id', '=', res.json().meetingTypeId).executeTakeFirstOrThrow();
    assert.equal(mt.channel, 'google');
    assert.equal(mt.duration, 45);
    assert.equal(mt.slug, 'intro');
  });

  test('records a new_employee event in the outbox', async () => {
    const res = await client(t.app, acme.apiKey).post('/v4/user', newUser());
    const event = await t.handle.db
      .selectFrom('outbox_events')
      .selectAll()
      .where('subject_id', '=', res.json().userId)
      .executeTakeFirstOrThrow();
    assert.equal(event.type, 'new_employee');
    assert.equal(event.company_id, acme.companyId);
  });

  for (const [name, body, field] of [
    ['an invalid time zone', newUser({ timezone: 'Mars/Olympus' }), 'timezone'],
    ['a bad email', newUser({ email: 'not-an-email' }), 'email'],
    ['a missing givenName', { email: 'x@example.com', familyName: 'X', timezone: 'UTC' }, 'givenName'],
    ['a wrong type', newUser({ givenName: 42 }), 'givenName'],
    ['overlapping hours', newUser({ availability: { schedule: { monday: { enabled: true, hours: [{ start: '09:00', end: '12:00' }, { start: '11:00', end: '13:00' }] } } } }), 'availability.schedule.monday'],
    ['hours ending before they start', newUser({ availability: { schedule: { monday: { enabled: true, hours: [{ start: '12:00', end: '09:00' }] } } } }), 'availability.schedule.monday.hours[0]'],
    ['a time that is not HH:mm', newUser({ availability: { schedule: { monday: { enabled: true, hours: [{ start: '9am', end: '12:00' }] } } } }), 'availability.schedule.monday.hours[0].start'],
  ] as const) {
    test(`refuses ${name} with 400 naming the field`, async () => {
      const res = await client(t.app, acme.apiKey).post('/v4/user', body);
      assert.equal(res.statusCode, 400);
      const error = res.json();
      assert.equal(error.statusCode, 400);
      assert.equal(error.error, 'Bad Request');
      assert.equal(error.code, 'validation_failed');
      assert.ok(error.errors.some((e: { field: string }) => e.field === field), JSON.stringify(error));
    });
  }

  test('accepts Asia/Kolkata and every zone Intl can format', async () => {
    for (const timezone of ['Asia/Kolkata', 'Asia/Calcutta', 'America/Argentina/Buenos_Aires', 'UTC', 'Etc/GMT+5']) {
      const res = await client(t.app, acme.apiKey).post('/v4/user', newUser({ timezone }));
      assert.equal(res.statusCode, 201, `${timezone}: ${res.body}`);
    }
  });

  test('answers 409 for an email that already exists in the same company, in any case', async () => {
    const body = newUser();
    assert.equal((await client(t.app, acme.apiKey).post('/v4/user', body)).statusCode, 201);
    const again = await client(t.app, acme.apiKey).post('/v4/user', { ...body, email: body.email.toUpperCase() });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().code, 'conflict');
  });

  test("another company's email is not discoverable: the same address creates a user there", async () => {
    const body = newUser();
    assert.equal((await client(t.app, acme.apiKey).post('/v4/user', body)).statusCode, 201);
    const there = await client(t.app, other.apiKey).post('/v4/user', { ...body, email: body.email.toUpperCase() });
    assert.equal(there.statusCode, 201, there.body);
    const user = (await client(t.app, other.apiKey).get(`/v4/user/${there.json().userId}`)).json();
    assert.equal(user.companyId, other.companyId);
    // A deleted user frees the address within the company.
    await client(t.app, other.apiKey).delete(`/v4/user/${there.json().userId}`);
    assert.equal((await client(t.app, other.apiKey).post('/v4/user', body)).statusCode, 201);
  });

  test('a new company may name an owner whose email another company uses', async () => {
    const body = newUser();
    assert.equal((await client(t.app, acme.apiKey).post('/v4/user', body)).statusCode, 201);
    const res = await t.app.inject({
      method: 'POST',
      url: '/admin/companies',
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
      payload: { name: 'Second home', ownerEmail: body.email },
    });
    assert.equal(res.statusCode, 201, res.body);
  });
});

describe('reading, updating and deleting users', () => {
  test('GET /v4/user pages with limit and offset', async () => {
    const company = await t.newCompany('Pager');
    const api = client(t.app, company.apiKey);
    for (let i = 0; i < 3; i++) await api.post('/v4/user', newUser());
    const page = (await api.get('/v4/user?limit=2&offset=1')).json();
    assert.equal(page.total, 4);
    assert.equal(page.count, 2);
    assert.equal(page.offset, 1);
    assert.equal(page.users.length, 2);
    assert.equal((await api.get('/v4/user?limit=500')).statusCode, 400);
    assert.equal((await api.get('/v4/user?userType=api-platform')).json().total, 4);
    assert.equal((await api.get('/v4/user?userType=resource')).json().total, 0);
    assert.equal((await api.get('/v4/user?userType=robot')).statusCode, 400);
  });

  test('GET /v4/user/me is the acting user, or the owner without the header', async () => {
    const api = client(t.app, acme.apiKey);
    const owner = (await api.get('/v4/user/me')).json();
    assert.equal(owner.id, acme.ownerUserId);
    const created = (await api.post('/v4/user', newUser({ givenName: 'Grace' }))).json();
    const me = (await api.as(created.userId).get('/v4/user/me')).json();
    assert.equal(me.id, created.userId);
    assert.equal(me.givenName, 'Grace');
  });

  test('PATCH changes names, zone and slug; bad zone and short slug are 400', async () => {
    const api = client(t.app, acme.apiKey);
    const { userId } = (await api.post('/v4/user', newUser())).json();
    const res = await api.patch(`/v4/user/${userId}`, { givenName: 'Augusta', timezone: 'America/New_York', slug: 'Augusta King' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().givenName, 'Augusta');
    assert.equal(res.json().timezone, 'America/New_York');
    assert.equal(res.json().slug, 'augusta-king');
    assert.equal((await api.patch(`/v4/user/${userId}`, { timezone: 'Nowhere/Land' })).statusCode, 400);
    assert.equal((await api.patch(`/v4/user/${userId}`, { slug: 'ab' })).statusCode, 400);
  });

  test('PATCH to a slug another user of the company has answers 409', async () => {
    const api = client(t.app, acme.apiKey);
    const a = (await api.post('/v4/user', newUser())).json();
    const b = (await api.post('/v4/user', newUser())).json();
    assert.equal((await api.patch(`/v4/user/${a.userId}`, { slug: 'taken-slug' })).statusCode, 200);
    assert.equal((await api.patch(`/v4/user/${b.userId}`, { slug: 'taken-slug' })).statusCode, 409);
  });

  test("PATCH to a slug another company's user has gets a free variant, not a 409", async () => {
    const mine = (await client(t.app, acme.apiKey).post('/v4/user', newUser())).json();
    const theirs = (await client(t.app, other.apiKey).post('/v4/user', newUser())).json();
    assert.equal((await client(t.app, acme.apiKey).patch(`/v4/user/${mine.userId}`, { slug: 'shared-name' })).statusCode, 200);
    const res = await client(t.app, other.apiKey).patch(`/v4/user/${theirs.userId}`, { slug: 'shared-name' });
    assert.equal(res.statusCode, 200, res.body);
    assert.match(res.json().slug, /^shared-name-[0-9a-f]{6}$/);
    assert.equal(res.json().bookingUrl, `http://termin.test/${res.json().slug}`);
  });

  test('DELETE removes a user; the owner cannot be deleted', async () => {
    const api = client(t.app, acme.apiKey);
    const { userId } = (await api.post('/v4/user', newUser())).json();
    const res = await api.delete(`/v4/user/${userId}`);
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().message, 'User deleted successfully');
    assert.equal((await api.get(`/v4/user/${userId}`)).statusCode, 404);
    assert.equal((await api.delete(`/v4/user/${acme.ownerUserId}`)).statusCode, 400);
  });

  test('unknown and malformed ids answer 404', async () => {
    const api = client(t.app, acme.apiKey);
    assert.equal((await api.get('/v4/user/00000000-0000-4000-8000-000000000000')).statusCode, 404);
    const res = await api.get('/v4/user/not-a-uuid');
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().code, 'not_found');
  });
});

describe('company isolation', () => {
  test("another company's user is 404 on every users endpoint", async () => {
    const mine = client(t.app, acme.apiKey);
    const theirs = client(t.app, other.apiKey);
    const { userId } = (await mine.post('/v4/user', newUser())).json();
    assert.equal((await theirs.get(`/v4/user/${userId}`)).statusCode, 404);
    assert.equal((await theirs.patch(`/v4/user/${userId}`, { givenName: 'Mallory' })).statusCode, 404);
    assert.equal((await theirs.delete(`/v4/user/${userId}`)).statusCode, 404);
    const list = (await theirs.get('/v4/user?limit=100')).json();
    assert.ok(!list.users.some((u: { id: string }) => u.id === userId));
    assert.equal((await mine.get(`/v4/user/${userId}`)).json().givenName, 'Ada');
  });

  test("naming another company's user in the header answers 403", async () => {
    const res = await client(t.app, other.apiKey, acme.ownerUserId).get('/v4/user/me');
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().code, 'forbidden');
  });
});
