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

async function hostApi() {
  const host = await newHost(t, acme);
  return { host, api: client(t.app, acme.apiKey, host.userId) };
}

const sixty = {
  meetingInfo: { name: 'Deep Dive', description: '', duration: 60, channel: 'google_meet', bufferBefore: 10, bufferAfter: 15 },
};

describe('meeting types', () => {
  test('POST creates a type with defaults, the channel alias mapped and a bookingUrl', async () => {
    const { host, api } = await hostApi();
    const res = await api.post('/v4/meeting-type', sixty);
    assert.equal(res.statusCode, 201, res.body);
    const body = res.json();
    assert.equal(body.slug, 'deep-dive');
    assert.equal(body.userId, host.userId);
    assert.equal(body.companyId, acme.companyId);
    assert.equal(body.availabilityId, host.availabilityId, 'the default availability');
    assert.equal(body.meetingInfo.channel, 'google');
    assert.equal(body.meetingInfo.bufferBefore, 10);
    assert.equal(body.meetingInfo.bufferAfter, 15);
    assert.equal(body.timeslotInterval, 60, 'defaults to the duration');
    assert.deepEqual(body.daysIntoFuture, { mode: 'limit', bookingLimit: 86400 });
    assert.deepEqual(body.reminderMinutes, [1440]);
    assert.deepEqual(body.meetingOptions, {
      allowedDurations: [],
      allowedChannels: [],
      allowAddingGuests: false,
      doubleOptIn: 'disabled',
      requireHostConfirmation: 'disabled',
    });
    assert.equal(body.spots, 1);
    assert.equal(body.enabled, true);
    const user = (await api.get(`/v4/user/${host.userId}`)).json();
    assert.equal(body.bookingUrl, `http://termin.test/${user.slug}/deep-dive`);
  });

  test('POST keeps every documented field and an inline availability with exceptions', async () => {
    const { api } = await hostApi();
    const res = await api.post('/v4/meeting-type', {
      meetingInfo: { name: { en: 'Intro', de: 'Einführung' }, description: 'Hi', duration: 30, channel: 'custom', customChannelName: 'Room', customChannelLink: 'https://meet.example.com/x' },
      meetingOptions: { allowedDurations: [15, 45], allowedChannels: ['teams', 'zoom'], allowAddingGuests: true, doubleOptIn: true, requireHostConfirmation: 'useCompanySettings' },
      slug: 'My Intro',
      timeslotInterval: 15,
      bookingMinimum: 120,
      daysIntoFuture: { mode: 'range', rangeMin: '2025-01-01', rangeMax: '2025-12-31' },
      spots: 5,
      locations: ['Main St 1'],
      metadata: { crmId: 'abc' },
      reminderMinutes: [60, 1440, 60],
      availability: { name: 'Tickets', timezone: 'Asia/Kolkata', exceptions: [{ start: '2025-05-01T10:00:00+05:30', end: '2025-05-01T12:00:00+05:30', available: true }] },
    });
    assert.equal(res.statusCode, 201, res.body);
    const body = res.json();
    assert.equal(body.slug, 'my-intro');
    assert.deepEqual(body.meetingInfo.name, { en: 'Intro', de: 'Einführung' });
    assert.equal(body.meetingInfo.customChannelLink, 'https://meet.example.com/x');
    assert.deepEqual(body.meetingOptions.allowedDurations, [15, 30, 45]);
    assert.deepEqual(body.meetingOptions.allowedChannels, ['teamsForBusiness2', 'zoom']);
    assert.equal(body.meetingOptions.doubleOptIn, 'enabled');
    assert.equal(body.meetingOptions.requireHostConfirmation, 'useCompanySettings');
    assert.equal(body.timeslotInterval, 15);
    assert.equal(body.bookingMinimum, 120);
    assert.equal(body.spots, 5);
    assert.deepEqual(body.locations, ['Main St 1']);
    assert.deepEqual(body.metadata, { crmId: 'abc' });
    assert.deepEqual(body.reminderMinutes, [1440, 60]);
    const availability = (await api.get(`/v4/availability/${body.availabilityId}`)).json();
    assert.equal(availability.timezone, 'Asia/Kolkata');
    assert.equal(availability.availabilityExceptions.length, 1);
    assert.equal(availability.schedule.monday.enabled, false, 'exceptions-only');
  });

  test('GET lists the acting user\'s types as an array and reads one by id', async () => {
    const { host, api } = await hostApi();
    const created = (await api.post('/v4/meeting-type', sixty)).json();
    const list = (await api.get('/v4/meeting-type')).json();
    assert.deepEqual(list.map((m: { id: string }) => m.id).sort(), [host.meetingTypeId, created.id].sort());
    const one = await client(t.app, acme.apiKey).get(`/v4/meeting-type/${created.id}`);
    assert.equal(one.statusCode, 200);
    assert.equal(one.json().meetingInfo.name, 'Deep Dive');
  });

  test('PATCH changes only what is sent; meetingInfo and meetingOptions merge', async () => {
    const { api } = await hostApi();
    const created = (await api.post('/v4/meeting-type', { ...sixty, meetingOptions: { allowAddingGuests: true } })).json();
    const res = await api.patch(`/v4/meeting-type/${created.id}`, {
      meetingInfo: { duration: 45 },
      meetingOptions: { allowedDurations: [30] },
      enabled: false,
      slug: 'renamed',
      reminderMinutes: [],
    });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.meetingInfo.duration, 45);
    assert.equal(body.meetingInfo.name, 'Deep Dive');
    assert.equal(body.meetingInfo.bufferAfter, 15);
    assert.equal(body.meetingOptions.allowAddingGuests, true);
    assert.deepEqual(body.meetingOptions.allowedDurations, [30, 45]);
    assert.equal(body.enabled, false);
    assert.equal(body.slug, 'renamed');
    assert.deepEqual(body.reminderMinutes, []);
    assert.match(body.bookingUrl, /\/renamed$/);
  });

  test('slugs: derived names get a suffix, an explicit clash is 409 on POST and PATCH', async () => {
    const { api } = await hostApi();
    const a = (await api.post('/v4/meeting-type', sixty)).json();
    const b = (await api.post('/v4/meeting-type', sixty)).json();
    assert.equal(a.slug, 'deep-dive');
    assert.equal(b.slug, 'deep-dive-2');
    const clash = await api.post('/v4/meeting-type', { ...sixty, slug: 'deep-dive' });
    assert.equal(clash.statusCode, 409);
    assert.equal((await api.patch(`/v4/meeting-type/${b.id}`, { slug: 'deep-dive' })).statusCode, 409);
    // another user may use the same slug
    const { api: someoneElse } = await hostApi();
    assert.equal((await someoneElse.post('/v4/meeting-type', { ...sixty, slug: 'deep-dive' })).statusCode, 201);
  });

  test('DELETE is soft: 200 with an empty body, then 404; deleteAvailability removes an unshared schedule', async () => {
    const { api } = await hostApi();
    const created = (await api.post('/v4/meeting-type', { ...sixty, availability: { name: 'Own', timezone: 'UTC' } })).json();
    const res = await api.delete(`/v4/meeting-type/${created.id}?deleteAvailability=true`);
    assert.equal(res.statusCode, 200);
    assert.equal(res.body, '');
    assert.equal((await api.get(`/v4/meeting-type/${created.id}`)).statusCode, 404);
    assert.equal((await api.get(`/v4/availability/${created.availabilityId}`)).statusCode, 404);
    const row = await t.handle.db.selectFrom('meeting_types').select('deleted_at').where('id', '=', created.id).executeTakeFirstOrThrow();
    assert.ok(row.deleted_at instanceof Date);
  });

  test('DELETE with deleteAvailability of a shared schedule is 409 and deletes nothing', async () => {
    const { host, api } = await hostApi();
    const created = (await api.post('/v4/meeting-type', sixty)).json();
    const res = await api.delete(`/v4/meeting-type/${created.id}?deleteAvailability=true`);
    assert.equal(res.statusCode, 409);
    assert.deepEqual(res.json().sharedWith.map((s: { id: string }) => s.id), [host.meetingTypeId]);
    assert.equal((await api.get(`/v4/meeting-type/${created.id}`)).statusCode, 200);
  });

  test('a member cannot change or delete a colleague\'s type (403)', async () => {
    const { host } = await hostApi();
    const { api: colleague } = await hostApi();
    const patch = await colleague.patch(`/v4/meeting-type/${host.meetingTypeId}`, { enabled: false });
    assert.equal(patch.statusCode, 403);
    const del = await colleague.delete(`/v4/meeting-type/${host.meetingTypeId}`);
    assert.equal(del.statusCode, 403);
    assert.equal(del.json().message, 'Not authorized to delete this meeting type');
  });

  const info = sixty.meetingInfo;
  for (const [name, body, field] of [
    ['a duration below 5', { meetingInfo: { ...info, duration: 4 } }, 'meetingInfo.duration'],
    ['a duration above 480', { meetingInfo: { ...info, duration: 481 } }, 'meetingInfo.duration'],
    ['a missing duration', { meetingInfo: { name: 'x' } }, 'meetingInfo.duration'],
    ['a missing name', { meetingInfo: { duration: 30 } }, 'meetingInfo.name'],
    ['an empty name', { meetingInfo: { ...info, name: ' ' } }, 'meetingInfo.name'],
    ['an unknown channel', { meetingInfo: { ...info, channel: 'pigeon' } }, 'meetingInfo.channel'],
    ['custom without a link', { meetingInfo: { ...info, channel: 'custom' } }, 'meetingInfo.customChannelLink'],
    ['a buffer above 120', { meetingInfo: { ...info, bufferBefore: 121 } }, 'meetingInfo.bufferBefore'],
    ['a negative buffer', { meetingInfo: { ...info, bufferAfter: -1 } }, 'meetingInfo.bufferAfter'],
    ['an interval below 5', { ...sixty, timeslotInterval: 4 }, 'timeslotInterval'],
    ['an interval above 60', { ...sixty, timeslotInterval: 61 }, 'timeslotInterval'],
    ['spots above 100', { ...sixty, spots: 101 }, 'spots'],
    ['spots of 0', { ...sixty, spots: 0 }, 'spots'],
    ['a negative bookingMinimum', { ...sixty, bookingMinimum: -5 }, 'bookingMinimum'],
    ['too many metadata keys', { ...sixty, metadata: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v'])) }, 'metadata'],
    ['a metadata value over 500 chars', { ...sixty, metadata: { k: 'x'.repeat(501) } }, 'metadata.k'],
    ['a reminder over a week', { ...sixty, reminderMinutes: [10081] }, 'reminderMinutes.0'],
    ['six reminders', { ...sixty, reminderMinutes: [1, 2, 3, 4, 5, 6] }, 'reminderMinutes'],
    ['an allowed duration out of range', { ...sixty, meetingOptions: { allowedDurations: [500] } }, 'meetingOptions.allowedDurations.0'],
    ['an unknown allowed channel', { ...sixty, meetingOptions: { allowedChannels: ['fax'] } }, 'meetingOptions.allowedChannels[0]'],
    ['a bad doubleOptIn', { ...sixty, meetingOptions: { doubleOptIn: 'sometimes' } }, 'meetingOptions.doubleOptIn'],
    ['an unknown daysIntoFuture mode', { ...sixty, daysIntoFuture: { mode: 'forever' } }, 'daysIntoFuture'],
    ['a range ending before it starts', { ...sixty, daysIntoFuture: { mode: 'range', rangeMin: '2025-02-01', rangeMax: '2025-01-01' } }, 'daysIntoFuture.rangeMax'],
    ['both availabilityId and availability', { ...sixty, availabilityId: '00000000-0000-4000-8000-000000000000', availability: { name: 'x', timezone: 'UTC' } }, 'availability'],
    ['a malformed availabilityId', { ...sixty, availabilityId: 'abc' }, 'availabilityId'],
    ['an inline availability with a bad zone', { ...sixty, availability: { name: 'x', timezone: 'Moon/Base' } }, 'availability.timezone'],
    ['an inline availability with bad hours', { ...sixty, availability: { name: 'x', timezone: 'UTC', schedule: { monday: { hours: [{ start: '10:00', end: '09:00' }] } } } }, 'availability.schedule.monday.hours[0]'],
    ['a slug without letters', { ...sixty, slug: '---' }, 'slug'],
  ] as const) {
    test(`POST refuses ${name} with 400 naming ${field}`, async () => {
      const { api } = await hostApi();
      const res = await api.post('/v4/meeting-type', body);
      assert.equal(res.statusCode, 400, res.body);
      const fields = (res.json().errors ?? []).map((e: { field: string }) => e.field);
      assert.ok(fields.some((f: string) => f === field || f.startsWith(`${field}`)), `${field} not in ${res.body}`);
    });
  }

  test('PATCH to channel custom without a link is 400; with one it is accepted', async () => {
    const { host, api } = await hostApi();
    const url = `/v4/meeting-type/${host.meetingTypeId}`;
    assert.equal((await api.patch(url, { meetingInfo: { channel: 'custom' } })).statusCode, 400);
    const ok = await api.patch(url, { meetingInfo: { channel: 'custom', customChannelLink: 'https://x.example' } });
    assert.equal(ok.statusCode, 200, ok.body);
  });

  test("another company's meeting type is 404 on every endpoint and absent from lists", async () => {
    const { host } = await hostApi();
    const stranger = await newHost(t, other);
    const theirs = client(t.app, other.apiKey, stranger.userId);
    const url = `/v4/meeting-type/${host.meetingTypeId}`;
    assert.equal((await theirs.get(url)).statusCode, 404);
    assert.equal((await theirs.patch(url, { enabled: false })).statusCode, 404);
    assert.equal((await theirs.delete(url)).statusCode, 404);
    assert.ok(!(await theirs.get('/v4/meeting-type')).json().some((m: { id: string }) => m.id === host.meetingTypeId));
    const foreignAvailability = await theirs.post('/v4/meeting-type', { ...sixty, availabilityId: (await newHost(t, acme)).availabilityId });
    assert.equal(foreignAvailability.statusCode, 404);
    assert.equal((await theirs.get('/v4/meeting-type/nope')).statusCode, 404);
  });
});
