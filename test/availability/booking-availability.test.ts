import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fixedClock } from '../../src/lib/clock.ts';
import { insertAppointment } from '../helpers/appointments.factory.ts';
import { type TestApp, type TestCompany, client } from '../helpers/app.ts';
import { startAcmeApp } from '../helpers/bookings.ts';
import { newHost as hostFor } from '../helpers/hosts.ts';

// Monday 2025-03-24 06:00 UTC: before business hours in Berlin (+01:00 until the 30th).
const clock = fixedClock('2025-03-24T06:00:00Z');
let t: TestApp;
let acme: TestCompany;
let other: TestCompany;

before(async () => ({ t, acme, other } = await startAcmeApp({ clock })));
after(() => t.close());

const newHost = (company: TestCompany, body: Record<string, unknown> = {}) => hostFor(t, company, body);

const starts = (body: { availableSlots: { start: string }[] }) => body.availableSlots.map((s) => s.start);

describe('GET /v4/booking-availability', () => {
  test('a user created with POST /v4/user gets 30-minute slots 09:00–16:30 on weekdays at once', async () => {
    const host = await newHost(acme);
    const res = await client(t.app, acme.apiKey).get(
      `/v4/booking-availability?meetingTypeId=${host.meetingTypeId}&start=2025-03-24&end=2025-03-24`,
    );
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.timezone, 'Europe/Berlin');
    assert.equal(body.availableSlots.length, 16);
    assert.deepEqual(body.availableSlots[0], { start: '2025-03-24T09:00:00+01:00', end: '2025-03-24T09:30:00+01:00' });
    assert.equal(starts(body).at(-1), '2025-03-24T16:30:00+01:00');
    assert.equal(body.dates.length, 1);
    assert.equal(body.dates[0].date, '2025-03-24');
    assert.equal(body.dates[0].spots[0].startTime, '2025-03-24T09:00:00+01:00');
    assert.deepEqual(body.timeframes, [{ start: '2025-03-24T09:00:00+01:00', end: '2025-03-24T17:00:00+01:00' }]);
  });

  test('an active appointment blocks its time; a cancelled one does not; existingAppointmentId ignores it', async () => {
    const host = await newHost(acme);
    const base = { companyId: acme.companyId, meetingTypeId: host.meetingTypeId, hostIds: [host.userId] };
    const busy = await insertAppointment(t.handle.db, { ...base, start: '2025-03-25T09:00:00Z', end: '2025-03-25T10:00:00Z' });
    await insertAppointment(t.handle.db, { ...base, start: '2025-03-25T13:00:00Z', end: '2025-03-25T14:00:00Z', status: 'cancelled' });
    const url = `/v4/booking-availability?meetingTypeId=${host.meetingTypeId}&start=2025-03-25&end=2025-03-25`;
    const api = client(t.app, acme.apiKey);
    const offered = starts((await api.get(url)).json());
    assert.ok(!offered.includes('2025-03-25T10:00:00+01:00'));
    assert.ok(!offered.includes('2025-03-25T10:30:00+01:00'));
    assert.ok(offered.includes('2025-03-25T09:30:00+01:00'));
    assert.ok(offered.includes('2025-03-25T11:00:00+01:00'));
    assert.ok(offered.includes('2025-03-25T14:00:00+01:00'));
    const rescheduling = starts((await api.get(`${url}&existingAppointmentId=${busy}`)).json());
    assert.ok(rescheduling.includes('2025-03-25T10:00:00+01:00'));
  });

  test('the slot oracle agrees with the search, start by start', async () => {
    const host = await newHost(acme);
    await insertAppointment(t.handle.db, {
      companyId: acme.companyId,
      meetingTypeId: host.meetingTypeId,
      hostIds: [host.userId],
      start: '2025-03-26T10:00:00Z',
      end: '2025-03-26T11:00:00Z',
    });
    const body = (
      await client(t.app, acme.apiKey).get(`/v4/booking-availability?meetingTypeId=${host.meetingTypeId}&start=2025-03-26&end=2025-03-26`)
    ).json();
    const offered = new Set(body.availableSlots.map((s: { start: string }) => Date.parse(s.start)));
    const question = { companyId: acme.companyId, meetingTypeId: host.meetingTypeId, hostIds: [] };
    for (let at = Date.parse('2025-03-26T06:00:00Z'); at < Date.parse('2025-03-26T18:00:00Z'); at += 15 * 60_000) {
      const answer = await t.services.slotOracle.isOffered({ ...question, start: new Date(at) });
      assert.equal(answer, offered.has(at), new Date(at).toISOString());
    }
    assert.equal(await t.services.slotOracle.isOffered({ ...question, companyId: other.companyId, start: new Date('2025-03-26T08:00:00Z') }), false);
  });

  test("another company's meeting type answers 404", async () => {
    const host = await newHost(acme);
    const res = await client(t.app, other.apiKey).get(
      `/v4/booking-availability?meetingTypeId=${host.meetingTypeId}&start=2025-03-24&end=2025-03-24`,
    );
    assert.equal(res.statusCode, 404);
  });

  test('a new user builds a schedule, blocks a vacation, creates a 60-minute type with buffers and sees exactly the right starts across the DST change', async () => {
    const host = await newHost(acme, { timezone: 'America/New_York' });
    const api = client(t.app, acme.apiKey, host.userId);
    const availability = (
      await api.post('/v4/availability', {
        name: 'Custom',
        timezone: 'America/New_York',
        schedule: { saturday: { enabled: true, hours: [{ start: '08:00', end: '12:00' }] }, sunday: { enabled: true, hours: [{ start: '00:00', end: '03:00' }, { start: '09:00', end: '11:00' }] } },
      })
    ).json();
    const vacation = await api.post(`/v4/availability/${availability.id}/exception`, { start: '2025-11-08', end: '2025-11-09', available: false, title: 'Vacation' });
    assert.equal(vacation.statusCode, 201);
    const type = await api.post('/v4/meeting-type', {
      meetingInfo: { name: 'Hour', description: '', duration: 60, channel: 'zoom', bufferBefore: 15, bufferAfter: 15 },
      availabilityId: availability.id,
      timeslotInterval: 30,
      daysIntoFuture: { mode: 'limit', bookingLimit: 525600 },
    });
    assert.equal(type.statusCode, 201, type.body);
    await insertAppointment(t.handle.db, { companyId: acme.companyId, meetingTypeId: type.json().id, hostIds: [host.userId], start: '2025-11-01T14:00:00Z', end: '2025-11-01T15:00:00Z', bufferBefore: 15, bufferAfter: 15 });
    const res = await api.get(`/v4/booking-availability?meetingTypeId=${type.json().id}&start=2025-11-01&end=2025-11-09`);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(starts(res.json()), [
      // Saturday 08:00–12:00 EDT; the appointment 10:00–11:00 blocks 09:45–11:15, which with this
      // type's own 15-minute buffers leaves only 08:00 and 08:30.
      '2025-11-01T08:00:00-04:00',
      '2025-11-01T08:30:00-04:00',
      // Sunday: fall back at 02:00; the 00:00–03:00 window is four real hours; 01:00 and 01:30 appear once.
      '2025-11-02T00:00:00-04:00',
      '2025-11-02T00:30:00-04:00',
      '2025-11-02T01:00:00-04:00',
      '2025-11-02T01:30:00-04:00',
      '2025-11-02T02:00:00-05:00',
      '2025-11-02T09:00:00-05:00',
      '2025-11-02T09:30:00-05:00',
      '2025-11-02T10:00:00-05:00',
      // The next weekend is the vacation.
    ]);
  });

  test('answers in the requested timezone; accepts startDate/endDate and ISO instants', async () => {
    const host = await newHost(acme);
    const base = `/v4/booking-availability?meetingTypeId=${host.meetingTypeId}`;
    const api = client(t.app, acme.apiKey);
    const kolkata = (await api.get(`${base}&startDate=2025-03-24&endDate=2025-03-24&timezone=Asia/Kolkata`)).json();
    assert.equal(kolkata.timezone, 'Asia/Kolkata');
    assert.equal(kolkata.availableSlots[0].start, '2025-03-24T13:30:00+05:30');
    const instants = (await api.get(`${base}&start=2025-03-24T10:00:00%2B01:00&end=2025-03-24T11:00:00Z`)).json();
    assert.deepEqual(starts(instants), ['2025-03-24T10:00:00+01:00', '2025-03-24T10:30:00+01:00', '2025-03-24T11:00:00+01:00', '2025-03-24T11:30:00+01:00']);
  });

  test('meetingDuration picks one of allowedDurations; anything else is 400 with the contract message', async () => {
    const host = await newHost(acme);
    const api = client(t.app, acme.apiKey, host.userId);
    assert.equal((await api.patch(`/v4/meeting-type/${host.meetingTypeId}`, { meetingOptions: { allowedDurations: [60] } })).statusCode, 200);
    const base = `/v4/booking-availability?meetingTypeId=${host.meetingTypeId}&start=2025-03-24&end=2025-03-24`;
    const hour = (await api.get(`${base}&meetingDuration=60`)).json();
    assert.deepEqual(hour.availableSlots.at(-1), { start: '2025-03-24T16:00:00+01:00', end: '2025-03-24T17:00:00+01:00' });
    const bad = await api.get(`${base}&meetingDuration=45`);
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().message, 'Duration must match one of the allowed durations for this meeting type');
  });

  test('bookingMinimum, daysIntoFuture and disabling are honoured', async () => {
    const host = await newHost(acme);
    const api = client(t.app, acme.apiKey, host.userId);
    const url = `/v4/booking-availability?meetingTypeId=${host.meetingTypeId}&start=2025-03-24&end=2025-03-25`;
    await api.patch(`/v4/meeting-type/${host.meetingTypeId}`, { bookingMinimum: 240, daysIntoFuture: { mode: 'limit', bookingLimit: 1440 } });
    // now is 07:00 Berlin: notice until 11:00; the window closes 07:00 the next day.
    assert.deepEqual(starts((await api.get(url)).json()).slice(0, 2), ['2025-03-24T11:00:00+01:00', '2025-03-24T11:30:00+01:00']);
    assert.equal(starts((await api.get(url)).json()).at(-1), '2025-03-24T16:30:00+01:00');
    await api.patch(`/v4/meeting-type/${host.meetingTypeId}`, { enabled: false });
    assert.deepEqual((await api.get(url)).json().availableSlots, []);
  });

  test('a blocking exception (vacation) removes its days; an opening one adds a Saturday', async () => {
    const host = await newHost(acme);
    const api = client(t.app, acme.apiKey, host.userId);
    await api.post(`/v4/availability/${host.availabilityId}/exception`, { start: '2025-03-25', end: '2025-03-26', available: false });
    await api.post(`/v4/availability/${host.availabilityId}/exception`, { start: '2025-03-29T10:00:00+01:00', end: '2025-03-29T11:00:00+01:00', available: true });
    const body = (await api.get(`/v4/booking-availability?meetingTypeId=${host.meetingTypeId}&start=2025-03-24&end=2025-03-30`)).json();
    assert.deepEqual(body.dates.map((d: { date: string; spots: unknown[] }) => [d.date, d.spots.length]), [
      ['2025-03-24', 16],
      ['2025-03-27', 16],
      ['2025-03-28', 16],
      ['2025-03-29', 2],
    ]);
  });

  test('hostIds, repeated or comma-separated: anyone unions, everyone intersects; troubleshoot explains', async () => {
    const a = await newHost(acme);
    const b = await newHost(acme, { timezone: 'UTC', availability: { schedule: { monday: { enabled: true, hours: [{ start: '09:00', end: '10:00' }] } } } });
    const busy = await insertAppointment(t.handle.db, { companyId: acme.companyId, meetingTypeId: a.meetingTypeId, hostIds: [a.userId], start: '2025-03-24T09:00:00Z', end: '2025-03-24T09:30:00Z' });
    const api = client(t.app, acme.apiKey);
    const base = `/v4/booking-availability?meetingTypeId=${a.meetingTypeId}&start=2025-03-24&end=2025-03-24&timezone=UTC`;
    const anyone = (await api.get(`${base}&hostIds=${a.userId}&hostIds=${b.userId}`)).json();
    assert.equal(anyone.availableSlots.length, 16);
    const everyone = (await api.get(`${base}&hostIds=${a.userId},${b.userId}&calculationMethod=everyone&troubleshoot=true`)).json();
    assert.deepEqual(starts(everyone), ['2025-03-24T09:30:00+00:00']);
    const blocked = everyone.troubleshoot.blockedTimeslots;
    assert.ok(blocked.some((x: { start: string; hostId: string; reason: string; appointmentId?: string }) => x.start === '2025-03-24T09:00:00+00:00' && x.hostId === a.userId && x.reason === 'busy' && x.appointmentId === busy));
    assert.ok(blocked.some((x: { start: string; hostId: string; reason: string }) => x.start === '2025-03-24T10:00:00+00:00' && x.hostId === b.userId && x.reason === 'outside_hours'));
  });

  test('start/end without an offset are wall times in the requested timezone', async () => {
    const host = await newHost(acme);
    const api = client(t.app, acme.apiKey);
    const search = (range: string) =>
      api.get(`/v4/booking-availability?meetingTypeId=${host.meetingTypeId}&${range}&timezone=America/New_York`);
    // 04:00–07:00 in New York is 09:00–12:00 in Berlin: the host's first working hours of the day.
    const local = await search('start=2025-03-24T04:00:00&end=2025-03-24T07:00');
    assert.equal(local.statusCode, 200, local.body);
    const offered = starts(local.json());
    assert.equal(offered[0], '2025-03-24T04:00:00-04:00');
    assert.ok(offered.every((start) => start < '2025-03-24T07:00:00-04:00'), offered.join());
    const explicit = await search('start=2025-03-24T04:00:00-04:00&end=2025-03-24T07:00:00-04:00');
    assert.deepEqual(local.json().availableSlots, explicit.json().availableSlots);
  });

  test('GET /booking-availability/v2 answers the legacy shape: free timeframes in UTC from the same search', async () => {
    const host = await newHost(acme);
    const query = `meetingTypeId=${host.meetingTypeId}&start=2025-03-24&end=2025-03-25`;
    const legacy = await client(t.app, acme.apiKey).get(`/booking-availability/v2?${query}`);
    assert.equal(legacy.statusCode, 200, legacy.body);
    assert.deepEqual(legacy.json(), {
      timezone: 'utc',
      timeframes: [
        { start: '2025-03-24T08:00:00.000Z', end: '2025-03-24T16:00:00.000Z' },
        { start: '2025-03-25T08:00:00.000Z', end: '2025-03-25T16:00:00.000Z' },
      ],
    });
    const bad = await client(t.app, acme.apiKey).get(`/booking-availability/v2?meetingTypeId=${host.meetingTypeId}`);
    assert.equal(bad.statusCode, 400);
    assert.equal((await t.app.inject({ method: 'GET', url: `/booking-availability/v2?${query}` })).statusCode, 401);
  });

  const bad: [string, string, RegExp][] = [
    ['a missing meetingTypeId', 'start=2025-03-24&end=2025-03-24', /meetingTypeId/],
    ['a malformed meetingTypeId', 'meetingTypeId=abc&start=2025-03-24&end=2025-03-24', /meetingTypeId must be a UUID/],
    ['a missing start', 'MT&end=2025-03-24', /start is required/],
    ['a missing end', 'MT&start=2025-03-24', /end is required/],
    ['a malformed start', 'MT&start=24.03.2025&end=2025-03-24', /start must be a date/],
    ['an impossible local time', 'MT&start=2025-03-24T25:00:00&end=2025-03-24', /start must be a date/],
    ['an impossible date', 'MT&start=2025-02-30&end=2025-03-24', /start must be a date/],
    ['end before start', 'MT&start=2025-03-24&end=2025-03-20', /end must be after start/],
    ['a window over 62 days', 'MT&start=2025-03-24&end=2025-06-30', /at most 62 days/],
    ['a malformed hostId', 'MT&start=2025-03-24&end=2025-03-24&hostIds=xyz', /hostIds must be UUIDs/],
    ['an unknown calculationMethod', 'MT&start=2025-03-24&end=2025-03-24&calculationMethod=most', /calculationMethod/],
    ['a non-numeric meetingDuration', 'MT&start=2025-03-24&end=2025-03-24&meetingDuration=long', /meetingDuration/],
    ['an unknown timezone', 'MT&start=2025-03-24&end=2025-03-24&timezone=Mars/Base', /timezone must be a valid IANA time zone/],
    ['a malformed existingAppointmentId', 'MT&start=2025-03-24&end=2025-03-24&existingAppointmentId=1', /existingAppointmentId must be a UUID/],
    ['over 100 hostIds', `MT&start=2025-03-24&end=2025-03-24&hostIds=${Array.from({ length: 101 }, () => '00000000-0000-4000-8000-000000000000').join(',')}`, /at most 100/],
  ];
  for (const [name, query, message] of bad) {
    test(`refuses ${name} with 400`, async () => {
      const host = await newHost(acme);
      const res = await client(t.app, acme.apiKey).get(`/v4/booking-availability?${query.replace('MT', `meetingTypeId=${host.meetingTypeId}`)}`);
      assert.equal(res.statusCode, 400, res.body);
      assert.equal(res.json().statusCode, 400);
      assert.match(res.json().message, message);
    });
  }

  test("other companies' hosts, unknown and deleted meeting types answer 404; a foreign user header 403", async () => {
    const mine = await newHost(acme);
    const theirs = await newHost(other);
    const api = client(t.app, acme.apiKey);
    const base = '/v4/booking-availability?start=2025-03-24&end=2025-03-24';
    const foreignHost = await api.get(`${base}&meetingTypeId=${mine.meetingTypeId}&hostIds=${theirs.userId}`);
    assert.equal(foreignHost.statusCode, 404);
    assert.equal((await api.get(`${base}&meetingTypeId=00000000-0000-4000-8000-000000000000`)).statusCode, 404);
    await client(t.app, acme.apiKey, mine.userId).delete(`/v4/meeting-type/${mine.meetingTypeId}`);
    assert.equal((await api.get(`${base}&meetingTypeId=${mine.meetingTypeId}`)).statusCode, 404);
    const header = await client(t.app, other.apiKey, mine.userId).get(`${base}&meetingTypeId=${theirs.meetingTypeId}`);
    assert.equal(header.statusCode, 403);
  });
});
