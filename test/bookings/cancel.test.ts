import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type TestApp, type TestCompany, client } from '../helpers/app.ts';
import { type TestHost, bookingBody, parseIcs, slot, testClock, startHostApp } from '../helpers/bookings.ts';

let t: TestApp;
let acme: TestCompany;
let other: TestCompany;
let host: TestHost;
let hour = 9;

before(async () => ({ t, acme, other, host } = await startHostApp()));
after(() => t.close());

/** A fresh booking on its own hour (Tuesday, then Wednesday, …). */
async function book(): Promise<{ id: string; secret: string; start: string }> {
  const index = hour++ - 9;
  const start = slot(1 + Math.floor(index / 8), `${String(9 + (index % 8)).padStart(2, '0')}:00`);
  const res = await host.api.post('/v4/booking', bookingBody(host, start));
  assert.equal(res.statusCode, 201, res.body);
  return { ...res.json(), start };
}

const eventTypes = async (id: string) =>
  (await t.handle.db.selectFrom('outbox_events').select('type').where('subject_id', '=', id).orderBy('id').execute()).map((e) => e.type);

describe('cancel', () => {
  test('POST /v4/appointment/{id}/cancel answers the cancelled appointment with cancel info and frees the slot', async () => {
    const booked = await book();
    const res = await host.api.post(`/v4/appointment/${booked.id}/cancel`, { reason: 'Schedule conflict' });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.isCancelled, true);
    assert.equal(body.status, 'cancelled');
    assert.equal(body.cancel.actionSource, 'host');
    assert.equal(body.cancel.actionBy, host.userId);
    assert.equal(body.cancel.reason, 'Schedule conflict');
    assert.equal(body.cancel.actionAt, '2030-01-07T06:00:00.000Z');
    const ics = parseIcs(body.ics);
    assert.equal(ics.method, 'CANCEL');
    assert.equal(ics.status, 'CANCELLED');
    assert.equal(ics.sequence, 1);
    assert.deepEqual(await eventTypes(booked.id), ['booking_created', 'booking_cancelled']);
    const again = await host.api.post('/v4/booking', bookingBody(host, booked.start, { attendee: { email: 'next@example.com' } }));
    assert.equal(again.statusCode, 201, 'the slot is free at once');
  });

  test('a repeated cancel answers 200, changes nothing and records no event', async () => {
    const booked = await book();
    const first = await host.api.post(`/v4/appointment/${booked.id}/cancel`, { reason: 'first' });
    const second = await host.api.post(`/v4/appointment/${booked.id}/cancel`, { reason: 'second' });
    assert.equal(second.statusCode, 200);
    assert.deepEqual(second.json(), first.json());
    assert.deepEqual(await eventTypes(booked.id), ['booking_created', 'booking_cancelled']);
  });

  test('the booking_cancelled payload carries the appointment with cancel and notifyAttendees', async () => {
    const booked = await book();
    await host.api.delete(`/v4/appointment/${booked.id}`, { reason: 'Customer requested cancellation', notifyAttendees: false });
    const event = await t.handle.db
      .selectFrom('outbox_events')
      .selectAll()
      .where('subject_id', '=', booked.id)
      .where('type', '=', 'booking_cancelled')
      .executeTakeFirstOrThrow();
    const payload = event.payload as { data: { id: string; cancel: { reason: string } }; notifyAttendees: boolean; secret?: string };
    assert.equal(payload.data.id, booked.id);
    assert.equal(payload.data.cancel.reason, 'Customer requested cancellation');
    assert.equal(payload.notifyAttendees, false);
    assert.equal(payload.secret, undefined);
  });

  test('DELETE /v4/appointment/{id} without a body (seed 000) and with JSON content-type but no body (seed 003) cancels', async () => {
    const a = await book();
    const plain = await t.app.inject({
      method: 'DELETE',
      url: `/v4/appointment/${a.id}`,
      headers: { authorization: `Bearer ${acme.apiKey}`, 'x-meetergo-api-user-id': host.userId },
    });
    assert.equal(plain.statusCode, 200, plain.body);
    assert.equal(plain.json().isCancelled, true);
    const b = await book();
    const typed = await t.app.inject({
      method: 'DELETE',
      url: `/v4/appointment/${b.id}`,
      headers: { authorization: `Bearer ${acme.apiKey}`, 'content-type': 'application/json' },
    });
    assert.equal(typed.statusCode, 200, typed.body);
    assert.equal(typed.json().cancel.reason, null);
  });

  test('POST /booking/cancel/{id} takes cancellationReason', async () => {
    const booked = await book();
    const res = await client(t.app, acme.apiKey).post(`/booking/cancel/${booked.id}`, { cancellationReason: 'Unable to attend' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().cancel.reason, 'Unable to attend');
    assert.equal(res.json().cancel.actionBy, null);
  });

  test('POST /booking/confirm/cancel/{id}/{secret} cancels without auth as the attendee', async () => {
    const booked = await book();
    const res = await t.app.inject({
      method: 'POST',
      url: `/booking/confirm/cancel/${booked.id}/${booked.secret}`,
      payload: { cancellationReason: 'Schedule conflict' },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().cancel.actionSource, 'attendee');
    assert.equal(res.json().cancel.actionBy, 'jane@example.com');
    assert.equal(res.json().cancel.reason, 'Schedule conflict');
  });

  test('a wrong secret answers exactly like an unknown appointment', async () => {
    const booked = await book();
    const wrong = await t.app.inject({ method: 'POST', url: `/booking/confirm/cancel/${booked.id}/not-the-secret` });
    const unknown = await t.app.inject({
      method: 'POST',
      url: `/booking/confirm/cancel/00000000-0000-4000-8000-000000000000/${booked.secret}`,
    });
    assert.equal(wrong.statusCode, 404);
    assert.deepEqual(wrong.json(), unknown.json());
    assert.equal((await host.api.get(`/v4/appointment/${booked.id}`)).json().isCancelled, false);
  });

  test('repeated wrong secrets from one address are rate-limited with 429', async () => {
    const booked = await book();
    const attempt = () =>
      t.app.inject({ method: 'POST', url: `/booking/confirm/cancel/${booked.id}/guess`, remoteAddress: '203.0.113.9' });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await attempt()).statusCode);
    assert.deepEqual(statuses.slice(0, 10), Array(10).fill(404));
    assert.equal(statuses[11], 429);
    const right = await t.app.inject({
      method: 'POST',
      url: `/booking/confirm/cancel/${booked.id}/${booked.secret}`,
      remoteAddress: '203.0.113.9',
    });
    assert.equal(right.statusCode, 429, 'a locked-out address cannot try even the right secret');
    const elsewhere = await t.app.inject({ method: 'POST', url: `/booking/confirm/cancel/${booked.id}/${booked.secret}` });
    assert.equal(elsewhere.statusCode, 200);
  });

  test('attendeeId of the only attendee cancels the appointment; an unknown attendeeId is 404', async () => {
    const booked = await book();
    const appointment = (await host.api.get(`/v4/appointment/${booked.id}`)).json();
    const unknown = await host.api.post(`/v4/appointment/${booked.id}/cancel`, { attendeeId: '00000000-0000-4000-8000-000000000000' });
    assert.equal(unknown.statusCode, 404);
    const res = await host.api.post(`/v4/appointment/${booked.id}/cancel`, { attendeeId: appointment.attendeeIds[0], cancelAll: false });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().isCancelled, true);
  });

  test('a reason over 500 characters is a 400', async () => {
    const booked = await book();
    const res = await host.api.post(`/v4/appointment/${booked.id}/cancel`, { reason: 'x'.repeat(501) });
    assert.equal(res.statusCode, 400);
  });

  test('Idempotency-Key on cancel replays the first answer', async () => {
    const booked = await book();
    const headers = { 'idempotency-key': `cancel-${booked.id}` };
    const first = await host.api.post(`/v4/appointment/${booked.id}/cancel`, { reason: 'a' }, headers);
    const second = await host.api.post(`/v4/appointment/${booked.id}/cancel`, { reason: 'a' }, headers);
    assert.deepEqual(second.json(), first.json());
    const mismatch = await host.api.post(`/v4/appointment/${booked.id}/cancel`, { reason: 'b' }, headers);
    assert.equal(mismatch.statusCode, 422);
  });

  test("every cancel form answers 404 for another company's appointment and for a non-UUID id", async () => {
    const booked = await book();
    const theirs = client(t.app, other.apiKey);
    for (const id of [booked.id, 'not-a-uuid']) {
      assert.equal((await theirs.post(`/v4/appointment/${id}/cancel`, {})).statusCode, 404);
      assert.equal((await theirs.delete(`/v4/appointment/${id}`)).statusCode, 404);
      assert.equal((await theirs.post(`/booking/cancel/${id}`, {})).statusCode, 404);
    }
    assert.equal((await host.api.get(`/v4/appointment/${booked.id}`)).json().isCancelled, false);
  });
});

describe('secrets stay out of the logs', () => {
  test('the request log of a self-service cancel shows the path with the secret redacted', async () => {
    const { PassThrough } = await import('node:stream');
    const { buildApp } = await import('../../src/app.ts');
    const { testConfig } = await import('../helpers/app.ts');
    const lines: string[] = [];
    const logStream = new PassThrough();
    logStream.on('data', (chunk) => lines.push(String(chunk)));
    const { app } = await buildApp({ config: testConfig({ LOG_LEVEL: 'info' }), db: t.handle.db, clock: testClock(), logStream });
    try {
      const booked = await book();
      const res = await app.inject({ method: 'POST', url: `/booking/confirm/cancel/${booked.id}/${booked.secret}` });
      assert.equal(res.statusCode, 200);
      const moved = await book();
      await app.inject({ method: 'POST', url: '/booking/confirm/reschedule/', payload: { appointmentId: moved.id, secret: moved.secret, start: slot(4, '16:00') } });
      const log = lines.join('');
      assert.match(log, /\/booking\/confirm\/cancel\/[0-9a-f-]+\/\[redacted\]/);
      assert.ok(!log.includes(booked.secret) && !log.includes(moved.secret), 'no secret in any log line');
    } finally {
      await app.close();
    }
  });
});
