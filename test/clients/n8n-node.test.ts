// The community n8n node (DominikRapacki/n8n-nodes-meetergo: nodes/Meetergo/api.ts,
// Meetergo.node.ts, MeetergoTrigger.node.ts, credentials/MeetergoApi.credentials.ts), every
// scheduling operation's request pinned against a listening Termin over real HTTP. `apiRequest`
// and `getMany` below are written here from reading theirs: paths from the host root, JSON bodies,
// query `qs`, appointments paged from 0 with pageSize until a short page or `total`.
// Personal access tokens are not on this branch yet, so requests carry a company key + user header.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type TestApp, type TestCompany, startTestApp } from '../helpers/app.ts';
import { startReceiver } from '../helpers/receiver.ts';

// biome-ignore lint/suspicious/noExplicitAny: answers are read the way the n8n node reads them
type Json = any;

let t: TestApp;
let acme: TestCompany;
let root: string;
let userId: string;
let meetingTypeId: string;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

/** n8n's httpRequestWithAuthentication with the credential's Bearer header (json: true, qs). */
async function apiRequest(method: string, path: string, body?: Record<string, unknown>, qs: Record<string, unknown> = {}): Promise<Json> {
  const url = new URL(`${root}${path}`);
  for (const [key, value] of Object.entries(qs)) if (value !== undefined) url.searchParams.set(key, String(value));
  const response = await fetch(url, {
    method,
    headers: {
      Authorization: `Bearer ${acme.apiKey}`,
      'x-meetergo-api-user-id': userId,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${response.status}: ${text}`);
  return text === '' ? undefined : JSON.parse(text);
}

/** Their getMany for appointments: page 0, constant pageSize, stop on a short page or at total. */
async function getManyAppointments(limit: number, filters: Record<string, unknown>): Promise<Json[]> {
  const results: Json[] = [];
  const seen = new Set<string>();
  const pageSize = Math.min(100, limit);
  for (let page = 0; results.length < limit; page++) {
    const response = await apiRequest('GET', '/v4/appointment/paginated', undefined, { ...filters, page, pageSize });
    const records = response.appointments;
    if (!Array.isArray(records)) throw new Error('Unexpected meetergo pagination response');
    if (records.length === 0) break;
    let added = 0;
    for (const record of records) {
      if (typeof record.id !== 'string') throw new Error('meetergo returned a record without an ID');
      if (!seen.has(record.id)) {
        seen.add(record.id);
        results.push(record);
        added++;
      }
    }
    if (!added) throw new Error('meetergo repeated a page; stopped to avoid an endless request loop');
    if (records.length < pageSize || (typeof response.total === 'number' && seen.size >= response.total)) break;
  }
  return results.slice(0, limit);
}

before(async () => {
  t = await startTestApp();
  receiver = await startReceiver();
  acme = await t.newCompany('n8n');
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  root = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  userId = acme.ownerUserId;
  ({ userId, meetingTypeId } = await apiRequest('POST', '/v4/user', {
    email: `n8n-${Date.now()}@example.com`,
    givenName: 'Nina',
    familyName: 'Flow',
    timezone: 'Europe/Berlin',
  }));
});
after(async () => {
  await t.close();
  await receiver.close();
});

const day = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

async function availability(options: Record<string, unknown> = {}): Promise<string[]> {
  // Availability → Get: options spread first, then meetingTypeId/start/end.
  const answer = await apiRequest('GET', '/v4/booking-availability', undefined, {
    ...options,
    meetingTypeId,
    start: `${day(1)}T00:00:00+01:00`,
    end: `${day(15)}T00:00:00+01:00`,
  });
  return answer.availableSlots.map((slot: { start: string }) => slot.start);
}

async function create(start: string, options: Record<string, unknown>) {
  // Appointment → Create, as the node builds it (hostIds split from a comma-separated option).
  const hostIds = String(options.hostIds || '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return apiRequest('POST', '/v4/booking', {
    meetingTypeId,
    start,
    ...(hostIds.length ? { hostIds } : {}),
    ...(options.duration ? { duration: options.duration } : {}),
    attendee: {
      email: 'fixture@example.com',
      fullname: 'Review Fixture',
      receiveReminders: options.receiveReminders ?? true,
      notes: {},
      ...(options.timezone ? { timezone: options.timezone } : {}),
    },
  });
}

describe('n8n node operations against Termin', () => {
  test('the credential test (GET /v4/meeting-type) and the meeting-type picker (meetingInfo.name)', async () => {
    const records = await apiRequest('GET', '/v4/meeting-type');
    const options = records.map((record: Json) => ({ name: String(record.meetingInfo?.name || record.id), value: String(record.id) }));
    assert.ok(options.some((o: Json) => o.value === meetingTypeId && o.name !== meetingTypeId));
  });

  test('Meeting Type → Get and Get Many', async () => {
    const one = await apiRequest('GET', `/v4/meeting-type/${encodeURIComponent(meetingTypeId)}`);
    assert.equal(one.id, meetingTypeId);
    const many = await apiRequest('GET', '/v4/meeting-type');
    assert.ok(Array.isArray(many) && many.slice(0, 1).length === 1);
  });

  test('Availability → Get with its options (timezone, hostIds, meetingDuration)', async () => {
    const starts = await availability({ timezone: 'Europe/Berlin', hostIds: userId, meetingDuration: 30 });
    assert.ok(starts.length > 0);
  });

  test('Appointment → Create, Get, Reschedule, Cancel (attendee scope), and Get Many pages from 0', async () => {
    const starts = await availability();
    const booked = await create(starts[0]!, { hostIds: ` ${userId} `, receiveReminders: false, timezone: 'Europe/Berlin' });
    assert.ok(booked.appointmentId);
    const id = encodeURIComponent(booked.appointmentId);
    const got = await apiRequest('GET', `/v4/appointment/${id}`);
    assert.equal(got.attendees[0].fullname, 'Review Fixture');
    assert.equal(got.attendees[0].receiveReminders, false);
    const moved = await apiRequest('POST', `/v4/appointment/${id}/reschedule`, { start: starts[2] });
    assert.equal(new Date(moved.appointment.start).getTime(), new Date(starts[2]!).getTime());
    const second = await create(starts[4]!, { hostIds: userId });
    const all = await getManyAppointments(Number.POSITIVE_INFINITY, {});
    assert.deepEqual(all.map((a) => a.id).sort(), [booked.appointmentId, second.appointmentId].sort());
    const searched = await getManyAppointments(50, { search: 'review fixture', start: `${day(0)}T00:00:00Z`, meetingTypeId });
    assert.equal(searched.length, 2);
    const cancelled = await apiRequest('POST', `/v4/appointment/${id}/cancel`, { attendeeId: got.attendees[0].id });
    assert.equal(cancelled.isCancelled, true);
    const withReason = await apiRequest('POST', `/v4/appointment/${encodeURIComponent(second.appointmentId)}/cancel`, { cancelAll: true, reason: 'n8n' });
    assert.equal(withReason.cancel.reason, 'n8n');
  });

  test('Get Many with a limit asks for that page size and returns that many', async () => {
    const everything = await getManyAppointments(1, {});
    assert.equal(everything.length, 1, 'a limit of 1 asks for pageSize 1 and stops');
  });

  test('Trigger: create (endpoint, eventTypes, description), checkExists via GET /webhooks, delete its own hook', async () => {
    const events = ['booking_created', 'booking_cancelled'];
    const endpoint = `${receiver.url}/webhook/unique-workflow-id`;
    const hook = await apiRequest('POST', '/webhooks', { endpoint, eventTypes: events, description: 'n8n meetergo Trigger' });
    assert.equal(typeof hook.id, 'string');
    const hooks = await apiRequest('GET', '/webhooks');
    const exists = hooks.some(
      (h: Json) =>
        h.id === hook.id &&
        h.endpoint === endpoint &&
        Array.isArray(h.eventTypes) &&
        h.eventTypes.length === events.length &&
        events.every((e) => h.eventTypes.includes(e)),
    );
    assert.equal(exists, true);
    await apiRequest('DELETE', `/webhooks/${encodeURIComponent(hook.id)}`);
    assert.ok(!(await apiRequest('GET', '/webhooks')).some((h: Json) => h.id === hook.id));
  });
});
