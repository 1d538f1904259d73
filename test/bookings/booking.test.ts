import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type TestApp, type TestCompany, client } from '../helpers/app.ts';
import { insertAppointment } from '../helpers/appointments.factory.ts';
import { type TestHost, bookingBody, newHost, parseIcs, slot, startHostApp } from '../helpers/bookings.ts';
import { withoutSecrets } from '../../src/outbox/event-payload.ts';

let t: TestApp;
let acme: TestCompany;
let other: TestCompany;
let host: TestHost;

before(async () => ({ t, acme, other, host } = await startHostApp()));
after(() => t.close());

const events = (subjectId: string) =>
  t.handle.db.selectFrom('outbox_events').selectAll().where('subject_id', '=', subjectId).orderBy('id').execute();

describe('POST /v4/booking', () => {
  test('books an offered slot: 201 with appointmentId, secret, id, start, end, meetingLink', async () => {
    const res = await host.api.post('/v4/booking', bookingBody(host, slot(1, '10:00')));
    assert.equal(res.statusCode, 201);
    const body = res.json();
    assert.equal(body.appointmentId, body.id);
    assert.ok(body.secret.length >= 43, 'secret carries at least 256 bits in base64url');
    assert.equal(body.start, '2030-01-08T09:00:00.000Z');
    assert.equal(body.end, '2030-01-08T09:30:00.000Z');
    assert.equal(body.meetingLink, null);
    const row = await t.handle.db.selectFrom('appointments').selectAll().where('id', '=', body.id).executeTakeFirstOrThrow();
    assert.notEqual(row.secret_hash, body.secret, 'only the hash is stored');
    assert.equal(row.secret_hash.length, 64);
  });

  test('books without the user header (seed 001) with the meeting type host, storing every attendee field', async () => {
    const api = client(t.app, acme.apiKey);
    const res = await api.post('/v4/booking', {
      meetingTypeId: host.meetingTypeId,
      start: slot(1, '11:00'),
      hostIds: [host.userId],
      attendee: {
        email: 'Jane@Example.com',
        firstname: 'Jane',
        phone: '+1234567890',
        company: 'Doe Inc',
        timezone: 'America/New_York',
        language: 'de',
        customFields: { company_size: '50-200', referral_source: 'Google' },
        notes: { utm_source: 'ads' },
      },
    });
    assert.equal(res.statusCode, 201, res.body);
    const appointment = (await api.get(`/v4/appointment/${res.json().id}`)).json();
    assert.deepEqual(appointment.hostIds, [host.userId]);
    const [attendee] = appointment.attendees;
    assert.equal(attendee.email, 'jane@example.com');
    assert.equal(attendee.fullname, 'Jane');
    assert.equal(attendee.company, 'Doe Inc');
    assert.equal(attendee.timezone, 'America/New_York');
    assert.deepEqual(attendee.customFields, { company_size: '50-200', referral_source: 'Google' });
    assert.deepEqual(attendee.notes, { utm_source: 'ads' });
  });

  test('records booking_created in the outbox with the appointment JSON, notifyAttendees and the secret', async () => {
    const res = await host.api.post('/v4/booking', bookingBody(host, slot(1, '12:00'), { skipNotifications: true }));
    const [event, ...rest] = await events(res.json().id);
    assert.equal(rest.length, 0);
    assert.equal(event!.type, 'booking_created');
    const payload = event!.payload as { data: Record<string, unknown>; notifyAttendees: boolean; secret: string };
    assert.equal(payload.notifyAttendees, false);
    assert.equal(payload.secret, res.json().secret);
    const shown = (await host.api.get(`/v4/appointment/${res.json().id}`)).json();
    assert.deepEqual(payload.data, withoutSecrets(shown), 'the event data is the appointment as GET shows it, its secret blanked');
    assert.equal(shown.secret, res.json().secret);
  });

  test('refuses an already booked slot with 400 The selected time slot is no longer available (SLOT_UNAVAILABLE)', async () => {
    const first = await host.api.post('/v4/booking', bookingBody(host, slot(2, '10:00')));
    assert.equal(first.statusCode, 201);
    const second = await host.api.post('/v4/booking', bookingBody(host, slot(2, '10:00'), { attendee: { email: 'x@example.com' } }));
    assert.equal(second.statusCode, 400);
    assert.equal(second.json().message, 'The selected time slot is no longer available');
    assert.equal(second.json().code, 'slot_unavailable');
  });

  test('refuses starts the availability does not offer: off-grid, outside hours, weekend', async () => {
    for (const start of [slot(1, '10:10'), slot(1, '20:00'), slot(5, '10:00')]) {
      const res = await host.api.post('/v4/booking', bookingBody(host, start));
      assert.equal(res.statusCode, 400, start);
      assert.equal(res.json().message, 'The selected time slot is no longer available');
    }
  });

  test('the database refuses an overlap even when the check in code is skipped (23P01)', async () => {
    const first = await host.api.post('/v4/booking', bookingBody(host, slot(2, '14:00')));
    assert.equal(first.statusCode, 201);
    const direct = insertAppointment(t.handle.db, {
      companyId: acme.companyId,
      meetingTypeId: host.meetingTypeId,
      hostIds: [host.userId],
      start: '2030-01-09T13:15:00Z',
      end: '2030-01-09T13:45:00Z',
    });
    await assert.rejects(direct, (error: { code?: string }) => error.code === '23P01');
  });

  test('accepts a duration from allowedDurations and refuses others with the documented message', async () => {
    await t.handle.db
      .updateTable('meeting_types')
      .set({ meeting_options: JSON.stringify({ allowedDurations: [30, 60] }) })
      .where('id', '=', host.meetingTypeId)
      .execute();
    const ok = await host.api.post('/v4/booking', bookingBody(host, slot(3, '10:00'), { duration: 60 }));
    assert.equal(ok.statusCode, 201, ok.body);
    assert.equal(ok.json().end, '2030-01-10T10:00:00.000Z');
    const bad = await host.api.post('/v4/booking', bookingBody(host, slot(3, '14:00'), { duration: 45 }));
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().message, 'Duration must match one of the allowed durations for this meeting type');
  });

  test('an unknown queueId answers 404 Queue not found', async () => {
    const res = await host.api.post('/v4/booking', { ...bookingBody(host, slot(3, '15:00')), queueId: 'q-1' });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().message, 'Queue not found');
  });

  for (const [name, patch, status, message] of [
    ['a start without offset', { start: '2030-01-08T10:00:00' }, 400, /start must be an ISO 8601 date-time with an offset/],
    ['a past start', { start: '2029-12-31T10:00:00Z' }, 400, /start must be in the future/],
    ['a bad attendee email', { attendee: { email: 'nope' } }, 400, /attendee.email must be a valid email/],
    ['a missing attendee', { attendee: undefined }, 400, /attendee is required/],
    ['a flat body', { attendee: undefined, email: 'jane@example.com' }, 400, /attendee is required/],
    ['an unknown channel', { channel: 'carrier-pigeon' }, 400, /channel must be one of/],
    ['a bad attendee time zone', { attendee: { email: 'a@example.com', timezone: 'Mars/Base' } }, 400, /attendee.timezone/],
    ['a meeting type id that is not a UUID', { meetingTypeId: 'abc' }, 404, /Meeting type not found/],
    ['an unknown meeting type', { meetingTypeId: '00000000-0000-4000-8000-000000000000' }, 404, /Meeting type not found/],
    ['a host id that is not a UUID', { hostIds: ['abc'] }, 400, /hostIds must contain user ids/],
    ['an unknown host', { hostIds: ['00000000-0000-4000-8000-000000000000'] }, 404, /Host .* not found/],
  ] as const) {
    test(`answers ${status} for ${name}`, async () => {
      const res = await host.api.post('/v4/booking', { ...bookingBody(host, slot(4, '10:00')), ...patch });
      assert.equal(res.statusCode, status, res.body);
      assert.match(res.json().message, message);
      assert.equal(res.json().statusCode, status);
    });
  }

  test("another company's meeting type and hosts are 404", async () => {
    const theirs = await newHost(t, other);
    const api = client(t.app, acme.apiKey);
    const byType = await api.post('/v4/booking', bookingBody(theirs, slot(4, '11:00')));
    assert.equal(byType.statusCode, 404);
    const byHost = await api.post('/v4/booking', bookingBody(host, slot(4, '11:00'), { hostIds: [theirs.userId] }));
    assert.equal(byHost.statusCode, 404);
  });

  test('a disabled meeting type cannot be booked; a deleted one is not found', async () => {
    const h = await newHost(t, acme);
    await t.handle.db.updateTable('meeting_types').set({ enabled: false }).where('id', '=', h.meetingTypeId).execute();
    const disabled = await h.api.post('/v4/booking', bookingBody(h, slot(1, '10:00')));
    assert.equal(disabled.statusCode, 400);
    assert.match(disabled.json().message, /disabled/);
    await t.handle.db.updateTable('meeting_types').set({ deleted_at: new Date() }).where('id', '=', h.meetingTypeId).execute();
    const deleted = await h.api.post('/v4/booking', bookingBody(h, slot(1, '10:00')));
    assert.equal(deleted.statusCode, 404);
  });

  test('buffers block around the meeting: a neighbour inside the buffer is refused', async () => {
    const h = await newHost(t, acme);
    await t.handle.db.updateTable('meeting_types').set({ buffer_after: 30 }).where('id', '=', h.meetingTypeId).execute();
    assert.equal((await h.api.post('/v4/booking', bookingBody(h, slot(1, '10:00')))).statusCode, 201);
    const next = await h.api.post('/v4/booking', bookingBody(h, slot(1, '10:30')));
    assert.equal(next.statusCode, 400);
    assert.equal((await h.api.post('/v4/booking', bookingBody(h, slot(1, '11:00')))).statusCode, 201);
  });

  test('a channel alias is stored as the canonical channel and the meeting link comes from the type', async () => {
    const h = await newHost(t, acme);
    await t.handle.db
      .updateTable('meeting_types')
      .set({
        meeting_info: JSON.stringify({ customChannelLink: 'https://meet.example.com/hanna' }),
        meeting_options: JSON.stringify({ allowedChannels: ['google', 'phone'] }),
      })
      .where('id', '=', h.meetingTypeId)
      .execute();
    const res = await h.api.post('/v4/booking', bookingBody(h, slot(1, '10:00'), { channel: 'google_meet', location: 'Room 1' }));
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().meetingLink, 'https://meet.example.com/hanna');
    const appointment = (await h.api.get(`/v4/appointment/${res.json().id}`)).json();
    assert.equal(appointment.channel, 'google');
    assert.equal(appointment.location, 'Room 1');
    assert.equal(appointment.meetingInfo.channel, 'google');
    assert.equal(appointment.hostingInfo.meetingLink, 'https://meet.example.com/hanna');
    assert.equal(parseIcs(appointment.ics).method, 'REQUEST');
  });
});

describe('Idempotency-Key on POST /v4/booking', () => {
  test('the same key and body replays the first answer: one appointment, one event', async () => {
    const body = bookingBody(host, slot(8, '10:00'));
    const headers = { 'idempotency-key': 'order-4711' };
    const first = await host.api.post('/v4/booking', body, headers);
    const second = await host.api.post('/v4/booking', body, headers);
    assert.equal(first.statusCode, 201);
    assert.equal(second.statusCode, 201);
    assert.deepEqual(second.json(), first.json());
    assert.equal((await events(first.json().id)).length, 1);
    const stored = await t.handle.db.selectFrom('idempotency_keys').select(['key_hash', 'response']).execute();
    assert.ok(stored.every((row) => !row.response.includes(first.json().secret) && row.key_hash !== 'order-4711'));
  });

  test('the same key with a different body is 422', async () => {
    const headers = { 'idempotency-key': 'order-4712' };
    assert.equal((await host.api.post('/v4/booking', bookingBody(host, slot(8, '11:00')), headers)).statusCode, 201);
    const res = await host.api.post('/v4/booking', bookingBody(host, slot(8, '12:00')), headers);
    assert.equal(res.statusCode, 422);
    assert.equal(res.json().code, 'idempotency_mismatch');
  });

  test('keys are per company: another company may use the same key', async () => {
    const theirs = await newHost(t, other);
    const headers = { 'idempotency-key': 'shared-key' };
    assert.equal((await host.api.post('/v4/booking', bookingBody(host, slot(8, '13:00')), headers)).statusCode, 201);
    assert.equal((await theirs.api.post('/v4/booking', bookingBody(theirs, slot(8, '13:00')), headers)).statusCode, 201);
  });

  test('a failed request does not use up its key', async () => {
    const headers = { 'idempotency-key': 'retry-after-fix' };
    const bad = await host.api.post('/v4/booking', bookingBody(host, slot(8, '14:00'), { attendee: { email: 'bad' } }), headers);
    assert.equal(bad.statusCode, 400);
    const body = bookingBody(host, slot(8, '14:00'));
    assert.equal((await host.api.post('/v4/booking', body, headers)).statusCode, 201, 'nothing was stored for the failure');
  });

  test('an unusable key is a 400', async () => {
    const res = await host.api.post('/v4/booking', bookingBody(host, slot(8, '15:00')), { 'idempotency-key': 'x'.repeat(300) });
    assert.equal(res.statusCode, 400);
    assert.match(res.json().message, /Idempotency-Key/);
  });
});
