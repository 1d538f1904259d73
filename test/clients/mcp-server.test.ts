// meetergo's official MCP server (meetergo/meetergo-mcp-server, src/tools.ts + src/client.ts), its
// scheduling tools' requests pinned against a listening Termin over real HTTP. The client below is
// written here from reading theirs: `Bearer <token>`, the user header only for a platform key, a
// versioned base (`…/v4`) with webhooks at the host root, query values set once and arrays
// repeated, undefined/null/'' dropped. Each test sends the exact path, query and body its tool does.
// Personal access tokens are not on this branch yet, so the client uses a company key + user header.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type TestApp, type TestCompany, startTestApp } from '../helpers/app.ts';
import { startReceiver } from '../helpers/receiver.ts';

// biome-ignore lint/suspicious/noExplicitAny: answers are read the way the MCP server reads them
type Json = any;

class McpClient {
  constructor(
    private readonly token: string,
    private readonly baseUrl: string,
    private readonly userId?: string,
  ) {}

  async request(method: string, path: string, options: { query?: Record<string, unknown>; body?: unknown; root?: boolean } = {}): Promise<Json> {
    const base = options.root ? this.baseUrl.replace(/\/v4$/, '') : this.baseUrl;
    const url = new URL(`${base}${path}`);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value === undefined || value === null || value === '') continue;
      if (Array.isArray(value)) for (const entry of value) url.searchParams.append(key, String(entry));
      else url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = { Authorization: `Bearer ${this.token}`, 'Content-Type': 'application/json', 'User-Agent': 'meetergo-mcp' };
    if (this.userId && this.token.startsWith('ak_live:')) headers['x-meetergo-api-user-id'] = this.userId;
    const response = await fetch(url, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
    const text = await response.text();
    if (!response.ok) throw new Error(`meetergo API ${response.status}: ${text.slice(0, 400)}`);
    return text ? JSON.parse(text) : undefined;
  }
}

let t: TestApp;
let acme: TestCompany;
let mcp: McpClient;
let userId: string;
let meetingTypeId: string;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

before(async () => {
  t = await startTestApp();
  receiver = await startReceiver();
  acme = await t.newCompany('MCP');
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/v4`;
  const owner = new McpClient(acme.apiKey, base);
  ({ userId, meetingTypeId } = await owner.request('POST', '/user', {
    body: { email: `mcp-${Date.now()}@example.com`, givenName: 'Mia', familyName: 'Agent', timezone: 'Europe/Berlin' },
  }));
  mcp = new McpClient(acme.apiKey, base, userId);
});
after(async () => {
  await t.close();
  await receiver.close();
});

/** The tool's own scope lookup: GET /meeting-type/{id}, then hostIds [userId] (or queueId). */
async function resolveHostScope(id: string) {
  const type = await mcp.request('GET', `/meeting-type/${id}`);
  if (type?.queueId) return { queueId: type.queueId };
  if (type?.userId) return { hostIds: [type.userId] };
  throw new Error('no host or queue configured');
}

const isoDay = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

async function freeStarts(): Promise<string[]> {
  // get_availability: start/end (not from/to), the resolved scope, an optional timezone.
  const scope = await resolveHostScope(meetingTypeId);
  const answer = await mcp.request('GET', '/booking-availability', {
    query: { meetingTypeId, start: `${isoDay(1)}T00:00:00Z`, end: `${isoDay(15)}T00:00:00Z`, timezone: 'Europe/Berlin', ...scope },
  });
  return answer.availableSlots.map((s: { start: string }) => s.start);
}

async function book(start: string, extra: Record<string, unknown> = {}) {
  // book_appointment: nested attendee with the boilerplate the tool fills in.
  const scope = await resolveHostScope(meetingTypeId);
  return mcp.request('POST', '/booking', {
    body: {
      meetingTypeId,
      start,
      duration: undefined,
      ...scope,
      attendee: {
        email: 'ada@example.com',
        firstname: 'Ada',
        lastname: 'Lovelace',
        fullname: undefined,
        phone: undefined,
        timezone: 'Europe/London',
        receiveReminders: true,
        dataPolicyAccepted: true,
        notes: {},
        bringalongEmails: undefined,
      },
      ...extra,
    },
  });
}

describe('MCP server scheduling tools against Termin', () => {
  test('get_me and list_meeting_types', async () => {
    const me = await mcp.request('GET', '/user/me');
    assert.equal(me.id ?? me.userId, userId);
    const types = await mcp.request('GET', '/meeting-type');
    assert.ok(Array.isArray(types) && types.some((type: Json) => type.id === meetingTypeId));
  });

  test('get_availability with the resolved host scope answers bookable starts', async () => {
    assert.ok((await freeStarts()).length > 0);
  });

  test('book → get_appointment → list_appointments (0-based, search) → get_todays_appointments', async () => {
    const [start] = await freeStarts();
    const booked = await book(start!);
    assert.ok(booked.appointmentId && booked.secret);
    const one = await mcp.request('GET', `/appointment/${booked.appointmentId}`);
    assert.equal(one.status, 'confirmed');
    assert.equal(one.attendees[0].email, 'ada@example.com');
    const list = await mcp.request('GET', '/appointment/paginated', {
      query: { page: 0, pageSize: 20, search: 'lovelace', sortBy: 'appointment.start', sortDirection: 'ASC', status: 'confirmed', meetingTypeId },
    });
    assert.equal(list.page, 0);
    assert.ok(list.appointments.some((a: Json) => a.id === booked.appointmentId));
    const ranged = await mcp.request('GET', '/appointment/paginated', { query: { page: 0, pageSize: 20, start: one.start, end: one.start } });
    assert.deepEqual(ranged.appointments.map((a: Json) => a.id), [booked.appointmentId]);
    const today = await mcp.request('GET', '/appointment/today');
    assert.ok(Array.isArray(today));
  });

  test('reschedule_appointment, add_guest, update_appointment_notes, cancel_appointment', async () => {
    const starts = await freeStarts();
    const booked = await book(starts[1]!);
    const moved = await mcp.request('POST', `/appointment/${booked.appointmentId}/reschedule`, { body: { start: starts[3], ignoreAvailability: false } });
    assert.equal(new Date(moved.appointment.start).getTime(), new Date(starts[3]!).getTime());
    assert.ok(moved.previousStart);
    const detail = await mcp.request('GET', `/appointment/${booked.appointmentId}`);
    const attendeeId = detail.attendees[0].id;
    const guest = await mcp.request('PATCH', `/appointment/${booked.appointmentId}/guest`, { body: { attendeeId, email: 'guest@example.com' } });
    assert.deepEqual(guest.attendees[0].bringalongEmails, ['guest@example.com']);
    const noted = await mcp.request('PATCH', `/appointment/${booked.appointmentId}/notes`, { body: { note: 'Bring the numbers' } });
    assert.equal(noted.note, 'Bring the numbers');
    const cancelled = await mcp.request('POST', `/appointment/${booked.appointmentId}/cancel`, { body: { attendeeId, reason: 'Plans changed' } });
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(cancelled.cancel.reason, 'Plans changed');
    const other = await book(starts[5]!);
    const all = await mcp.request('POST', `/appointment/${other.appointmentId}/cancel`, { body: { cancelAll: true, cancelEntireSeries: false } });
    assert.equal(all.isCancelled, true);
  });

  test('get/create/update/delete meeting type with nested meetingInfo', async () => {
    const created = await mcp.request('POST', '/meeting-type', {
      body: { meetingInfo: { name: 'Discovery call', description: 'A first chat', duration: 30, channel: 'zoom' }, spots: undefined },
    });
    const id = created.id ?? created.meetingTypeId;
    assert.ok(id);
    const updated = await mcp.request('PATCH', `/meeting-type/${id}`, { body: { meetingInfo: { duration: 45 }, slug: 'deep-dive', spots: undefined } });
    assert.equal(updated.meetingInfo.duration, 45);
    const slugOnly = await mcp.request('PATCH', `/meeting-type/${id}`, { body: { slug: 'deeper-dive' } });
    assert.equal(slugOnly.slug, 'deeper-dive');
    const read = await mcp.request('GET', `/meeting-type/${id}`);
    assert.equal(read.userId, userId, 'the scope lookup finds a host');
    await mcp.request('DELETE', `/meeting-type/${id}`);
    await assert.rejects(mcp.request('GET', `/meeting-type/${id}`), /404/);
  });

  test('list/create/update/delete webhooks at the host root, with every event type the tool offers', async () => {
    const eventTypes = ['booking_created', 'booking_rescheduled', 'booking_cancelled', 'form_submission', 'new_employee', 'credential_error', 'review_submitted', 'review_published', 'signature_completed'];
    const hook = await mcp.request('POST', '/webhooks', { root: true, body: { endpoint: receiver.url, eventTypes, description: 'agent' } });
    assert.ok(hook.id);
    const changed = await mcp.request('PATCH', `/webhooks/${hook.id}`, { root: true, body: { eventTypes: ['booking_created'], description: 'narrower' } });
    assert.deepEqual(changed.eventTypes, ['booking_created']);
    const listed = await mcp.request('GET', '/webhooks', { root: true });
    assert.ok(listed.some((h: Json) => h.id === hook.id));
    await mcp.request('DELETE', `/webhooks/${hook.id}`, { root: true });
    assert.ok(!(await mcp.request('GET', '/webhooks', { root: true })).some((h: Json) => h.id === hook.id));
  });
});
