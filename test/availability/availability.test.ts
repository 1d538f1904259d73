import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { systemClock } from '../../src/lib/clock.ts';
import { type TestApp, type TestCompany, client } from '../helpers/app.ts';
import { startAcmeApp } from '../helpers/bookings.ts';
import { newHost } from '../helpers/hosts.ts';

let t: TestApp;
let acme: TestCompany;
let other: TestCompany;

before(async () => ({ t, acme, other } = await startAcmeApp({ clock: systemClock })));
after(() => t.close());

const mondayMornings = { monday: { enabled: true, hours: [{ start: '08:00', end: '12:00' }] } };

async function hostApi() {
  const host = await newHost(t, acme);
  return { host, api: client(t.app, acme.apiKey, host.userId) };
}

describe('availabilities', () => {
  test('GET /v4/availability lists the default created with the user, with its exceptions', async () => {
    const { host, api } = await hostApi();
    const res = await api.get('/v4/availability');
    assert.equal(res.statusCode, 200);
    const [only] = res.json();
    assert.equal(only.id, host.availabilityId);
    assert.equal(only.isDefault, true);
    assert.deepEqual(only.availabilityExceptions, []);
    assert.deepEqual(only.schedule.friday, { enabled: true, hours: [{ start: '09:00', end: '17:00' }] });
  });

  test('POST creates one from the weekday-object form; the array form and several intervals a day work too', async () => {
    const { api } = await hostApi();
    const res = await api.post('/v4/availability', { name: 'Mornings', timezone: 'Asia/Kathmandu', schedule: mondayMornings });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().timezone, 'Asia/Kathmandu');
    assert.equal(res.json().isDefault, false);
    assert.deepEqual(res.json().schedule.monday, mondayMornings.monday);
    assert.deepEqual(res.json().schedule.tuesday, { enabled: false, hours: [] });
    const arrayForm = await api.post('/v4/availability', {
      name: 'Split',
      schedule: [{ dayOfWeek: 'Wednesday', intervals: [{ from: '13:00', to: '17:00' }, { from: '08:00', to: '12:00' }] }],
    });
    assert.equal(arrayForm.statusCode, 201, arrayForm.body);
    assert.equal(arrayForm.json().timezone, 'Europe/Berlin', 'defaults to the user zone');
    assert.deepEqual(arrayForm.json().schedule.wednesday.hours, [
      { start: '08:00', end: '12:00' },
      { start: '13:00', end: '17:00' },
    ]);
  });

  test('GET and PATCH one; isDefault moves the default', async () => {
    const { host, api } = await hostApi();
    const created = (await api.post('/v4/availability', { name: 'B', schedule: mondayMornings })).json();
    assert.equal((await api.get(`/v4/availability/${created.id}`)).json().name, 'B');
    const patched = await api.patch(`/v4/availability/${created.id}`, { name: 'B2', timezone: 'America/New_York', isDefault: true });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.equal(patched.json().name, 'B2');
    assert.equal(patched.json().timezone, 'America/New_York');
    assert.equal(patched.json().isDefault, true);
    assert.equal((await api.get(`/v4/availability/${host.availabilityId}`)).json().isDefault, false);
  });

  test('exceptions: added with instants or whole dates, shown on reads, deleted by id', async () => {
    const { host, api } = await hostApi();
    const vacation = await api.post(`/v4/availability/${host.availabilityId}/exception`, {
      start: '2025-07-01',
      end: '2025-07-14',
      available: false,
      title: 'Vacation',
    });
    assert.equal(vacation.statusCode, 201, vacation.body);
    assert.equal(vacation.json().start, '2025-06-30T22:00:00.000Z');
    assert.equal(vacation.json().end, '2025-07-14T22:00:00.000Z', 'a date end is inclusive');
    assert.equal(typeof vacation.json().id, 'number');
    const extra = await api.post(`/v4/availability/${host.availabilityId}/exception`, {
      start: '2025-07-19T10:00:00+02:00',
      end: '2025-07-19T12:00:00+02:00',
      available: true,
    });
    assert.equal(extra.statusCode, 201);
    const read = (await api.get(`/v4/availability/${host.availabilityId}`)).json();
    assert.deepEqual(read.availabilityExceptions.map((e: { title: string | null }) => e.title), ['Vacation', null]);
    const removed = await api.delete(`/v4/availability/${host.availabilityId}/exception/${vacation.json().id}`);
    assert.equal(removed.statusCode, 200);
    assert.equal((await api.get(`/v4/availability/${host.availabilityId}`)).json().availabilityExceptions.length, 1);
    assert.equal((await api.delete(`/v4/availability/${host.availabilityId}/exception/${vacation.json().id}`)).statusCode, 404);
    assert.equal((await api.delete(`/v4/availability/${host.availabilityId}/exception/abc`)).statusCode, 404);
  });

  test('DELETE: 409 naming the meeting types that use it, 400 for the last one, 200 otherwise', async () => {
    const { host, api } = await hostApi();
    const used = await api.delete(`/v4/availability/${host.availabilityId}`);
    assert.equal(used.statusCode, 409);
    assert.match(used.json().message, /used by other meeting types \(30min-meeting\)/);
    assert.deepEqual(used.json().sharedWith, [{ id: host.meetingTypeId, slug: '30min-meeting' }]);
    const spare = (await api.post('/v4/availability', { name: 'Spare' })).json();
    assert.equal((await api.delete(`/v4/availability/${spare.id}`)).statusCode, 200);
    assert.equal((await api.get(`/v4/availability/${spare.id}`)).statusCode, 404);

    const lone = await newHost(t, acme);
    const loneApi = client(t.app, acme.apiKey, lone.userId);
    assert.equal((await loneApi.delete(`/v4/meeting-type/${lone.meetingTypeId}`)).statusCode, 200);
    const last = await loneApi.delete(`/v4/availability/${lone.availabilityId}`);
    assert.equal(last.statusCode, 400);
    assert.equal(last.json().message, 'One availability is required');
  });

  for (const [name, body, field] of [
    ['hours ending before they start', { name: 'x', schedule: { monday: { hours: [{ start: '12:00', end: '09:00' }] } } }, 'schedule.monday.hours[0]'],
    ['end equal to start', { name: 'x', schedule: { monday: { hours: [{ start: '09:00', end: '09:00' }] } } }, 'schedule.monday.hours[0]'],
    ['overlapping intervals', { name: 'x', schedule: { monday: { hours: [{ start: '09:00', end: '12:00' }, { start: '11:00', end: '13:00' }] } } }, 'schedule.monday'],
    ['a time that is not HH:mm', { name: 'x', schedule: { monday: { hours: [{ start: '9:00', end: '12:00' }] } } }, 'schedule.monday.hours[0].start'],
    ['an unknown weekday', { name: 'x', schedule: { funday: { hours: [] } } }, 'schedule.funday'],
    ['an unknown zone', { name: 'x', timezone: 'Mars/Base' }, 'timezone'],
    ['an empty name', { name: '  ' }, 'name'],
    ['a missing name', { timezone: 'UTC' }, 'name'],
  ] as const) {
    test(`POST refuses ${name} with 400 naming ${field}`, async () => {
      const { api } = await hostApi();
      const res = await api.post('/v4/availability', body);
      assert.equal(res.statusCode, 400, res.body);
      assert.ok(res.json().errors.some((e: { field: string }) => e.field === field), res.body);
    });
  }

  test('PATCH with some weekdays in schedule changes only those days (both input forms)', async () => {
    const { host, api } = await hostApi();
    const url = `/v4/availability/${host.availabilityId}`;
    const res = await api.patch(url, { schedule: { saturday: { enabled: true, hours: [{ start: '10:00', end: '14:00' }] } } });
    assert.equal(res.statusCode, 200, res.body);
    const schedule = res.json().schedule;
    assert.deepEqual(schedule.saturday, { enabled: true, hours: [{ start: '10:00', end: '14:00' }] });
    for (const day of ['monday', 'tuesday', 'wednesday', 'thursday', 'friday']) {
      assert.deepEqual(schedule[day], { enabled: true, hours: [{ start: '09:00', end: '17:00' }] }, day);
    }
    assert.deepEqual(schedule.sunday, { enabled: false, hours: [] });
    const closed = await api.patch(url, { schedule: [{ dayOfWeek: 'monday', intervals: [] }] });
    assert.deepEqual(closed.json().schedule.monday, { enabled: false, hours: [] });
    assert.deepEqual(closed.json().schedule.tuesday, { enabled: true, hours: [{ start: '09:00', end: '17:00' }] });
    assert.deepEqual((await api.get(url)).json().schedule.saturday.hours, [{ start: '10:00', end: '14:00' }]);
  });

  test('PATCH refuses bad hours and isDefault false with 400', async () => {
    const { host, api } = await hostApi();
    const url = `/v4/availability/${host.availabilityId}`;
    assert.equal((await api.patch(url, { schedule: { monday: { hours: [{ start: '10:00', end: '25:00' }] } } })).statusCode, 400);
    assert.equal((await api.patch(url, { isDefault: false })).statusCode, 400);
    assert.equal((await api.patch(url, { timezone: 'Nowhere' })).statusCode, 400);
  });

  for (const [name, body] of [
    ['end before start', { start: '2025-07-02T10:00:00Z', end: '2025-07-02T09:00:00Z', available: false }],
    ['a time without offset', { start: '2025-07-02T10:00:00', end: '2025-07-02T11:00:00Z', available: false }],
    ['a missing available flag', { start: '2025-07-02T10:00:00Z', end: '2025-07-02T11:00:00Z' }],
    ['more than a year', { start: '2025-01-01', end: '2026-06-01', available: false }],
    ['an impossible date', { start: '2025-02-30', end: '2025-03-01', available: false }],
  ] as const) {
    test(`POST exception refuses ${name} with 400`, async () => {
      const { host, api } = await hostApi();
      const res = await api.post(`/v4/availability/${host.availabilityId}/exception`, body);
      assert.equal(res.statusCode, 400, res.body);
      assert.equal(res.json().code, 'validation_failed');
    });
  }

  test('requires the user header', async () => {
    const res = await client(t.app, acme.apiKey).get('/v4/availability');
    assert.equal(res.statusCode, 400);
    assert.match(res.json().message, /x-meetergo-api-user-id/);
  });

  test("another company's (or another user's) availability is 404 on every endpoint", async () => {
    const { host } = await hostApi();
    const stranger = await newHost(t, other);
    const theirs = client(t.app, other.apiKey, stranger.userId);
    const colleague = client(t.app, acme.apiKey, (await newHost(t, acme)).userId);
    for (const api of [theirs, colleague]) {
      const url = `/v4/availability/${host.availabilityId}`;
      assert.equal((await api.get(url)).statusCode, 404);
      assert.equal((await api.patch(url, { name: 'Mine now' })).statusCode, 404);
      assert.equal((await api.delete(url)).statusCode, 404);
      assert.equal((await api.post(`${url}/exception`, { start: '2025-07-01', end: '2025-07-02', available: false })).statusCode, 404);
      assert.equal((await api.delete(`${url}/exception/1`)).statusCode, 404);
      assert.ok(!(await api.get('/v4/availability')).json().some((a: { id: string }) => a.id === host.availabilityId));
    }
    assert.equal((await theirs.get('/v4/availability/not-a-uuid')).statusCode, 404);
  });
});
