import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fixedClock } from '../../src/lib/clock.ts';
import { insertAppointment } from '../helpers/appointments.factory.ts';
import { type TestApp, type TestCompany, client, startTestApp } from '../helpers/app.ts';

// Monday 2025-03-24 06:00 UTC: before business hours in Berlin (+01:00 until the 30th).
const clock = fixedClock('2025-03-24T06:00:00Z');
let t: TestApp;
let acme: TestCompany;
let other: TestCompany;

before(async () => {
  t = await startTestApp({ clock });
  acme = await t.newCompany('Acme');
  other = await t.newCompany('Other');
});
after(() => t.close());

async function newHost(company: TestCompany, body: Record<string, unknown> = {}) {
  const res = await client(t.app, company.apiKey).post('/v4/user', {
    email: `h${Math.random().toString(36).slice(2)}@example.com`,
    givenName: 'Host',
    familyName: 'Person',
    timezone: 'Europe/Berlin',
    ...body,
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as { userId: string; meetingTypeId: string; availabilityId: string };
}

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
});
