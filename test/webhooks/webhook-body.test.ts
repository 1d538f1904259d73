// One webhook body for both documented readers: seed 003's Express handler (`{ event, data }`) and
// the n8n trigger (`body.webhookType`, the appointment's own fields flat). Bookings are made over
// HTTP; the body a real receiver gets carries the appointment's stable secret, which the stored
// event and delivery rows do not hold in readable form.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { EventWorkers } from '../../src/outbox/outbox.workers.ts';
import { type TestApp, type TestCompany, startTestApp } from '../helpers/app.ts';
import { type TestHost, bookingBody, newHost, slot, testClock } from '../helpers/bookings.ts';
import { type Received, eventually, startReceiver, subscribeToBookingEvents } from '../helpers/receiver.ts';
import { startWorkers } from '../helpers/workers.ts';

// biome-ignore lint/suspicious/noExplicitAny: bodies are read the way their untyped receivers read them
type Json = Record<string, any>;

let t: TestApp;
let workers: EventWorkers;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let company: TestCompany;
let host: TestHost;

before(async () => {
  receiver = await startReceiver();
  t = await startTestApp({ clock: testClock(), env: { TERMIN_WEBHOOK_RETRY_SCHEDULE: '100ms,200ms' } });
  workers = await startWorkers(t);
  company = await t.newCompany('Webhook bodies');
  host = await newHost(t, company);
  await subscribeToBookingEvents(host, receiver.url);
});
after(async () => {
  await workers.stop();
  await t.close();
  await receiver.close();
});

/** The body of the first delivery of `event` (deliveries may repeat and need not arrive in order). */
async function delivered(event: string): Promise<Received> {
  return eventually(async () => receiver.received.find((r) => r.json.webhookType === event), 20_000, `a ${event} delivery`);
}

// Seed 003's handler, as written (the switch on `event`, reading `data`).
function seed003Handler(body: { event: string; data: Json }): string | undefined {
  const { event, data } = body;
  switch (event) {
    case 'booking_created':
      return `New booking: ${data.id}`;
    case 'booking_cancelled':
      return `Booking cancelled: ${data.id}`;
    case 'booking_rescheduled':
      return `Booking rescheduled: ${data.rescheduledAppointment.id}`;
  }
  return undefined;
}

// The n8n trigger's filter: emit the whole body when `webhookType` is one of the chosen events.
function n8nTrigger(body: Record<string, unknown>, events: string[]): Record<string, unknown>[] {
  if (typeof body.webhookType !== 'string' || !events.includes(body.webhookType)) return [];
  return [body];
}

describe('a booking’s webhook bodies', () => {
  let appointmentId: string;
  let secret: string;

  test('booking_created: seed 003 reads data.id, n8n reads the flat appointment; both carry the secret', async () => {
    const booked = await host.api.post('/v4/booking', bookingBody(host, slot(1, '10:00')));
    assert.equal(booked.statusCode, 201, booked.body);
    ({ appointmentId, secret } = booked.json());
    const received = await delivered('booking_created');
    const body = received!.json as unknown as Json;
    assert.equal(seed003Handler(body as never), `New booking: ${appointmentId}`);
    const [item] = n8nTrigger(body, ['booking_created']);
    assert.ok(item, 'n8n emits it');
    assert.deepEqual(n8nTrigger(body, ['booking_cancelled']), [], 'and filters other types out');
    assert.equal(item!.id, appointmentId, 'flat id is the appointment id');
    assert.notEqual(received!.headers['webhook-id'], appointmentId, 'the event id travels in the header');
    const shown = (await host.api.get(`/v4/appointment/${appointmentId}`)).json();
    for (const key of ['start', 'end', 'attendees', 'hosts', 'hostIds', 'meetingTypeId', 'companyId', 'companySlug', 'meetingTypeSlug']) {
      assert.deepEqual(body[key], shown[key], key);
    }
    assert.deepEqual(body.meetingType, shown.meetingType);
    assert.ok(body.meetingType.slug && body.meetingType.meetingInfo.name === 'Discovery Call');
    assert.equal(body.secret, secret, 'the owner’s webhook carries the secret');
    assert.equal(body.data.secret, secret);
    assert.equal(body.attendees[0].secret, secret);
  });

  test('no readable secret rests in the outbox or the delivery log', async () => {
    const events = await t.handle.db.selectFrom('outbox_events').select('payload').where('subject_id', '=', appointmentId).execute();
    const deliveries = await t.handle.db.selectFrom('webhook_deliveries').select(['body', 'secret_sealed']).execute();
    assert.ok(deliveries.length > 0);
    for (const row of deliveries) {
      assert.ok(!row.body.includes(secret), 'the stored body holds no secret');
      assert.ok(row.secret_sealed && !row.secret_sealed.includes(secret));
    }
    for (const row of events) assert.ok(!JSON.stringify((row.payload as { data: unknown }).data).includes(secret));
  });

  test('booking_rescheduled: flat oldStartDate/oldEndDate beside data.rescheduledAppointment; the secret is unchanged', async () => {
    const moved = await host.api.post(`/v4/appointment/${appointmentId}/reschedule`, { start: slot(2, '14:00') });
    assert.equal(moved.statusCode, 200, moved.body);
    const body = (await delivered('booking_rescheduled')).json as unknown as Json;
    assert.equal(seed003Handler(body as never), `Booking rescheduled: ${appointmentId}`);
    assert.equal(n8nTrigger(body, ['booking_rescheduled']).length, 1);
    assert.equal(body.id, appointmentId);
    assert.equal(body.start, '2030-01-09T13:00:00.000Z');
    assert.equal(body.oldStartDate, '2030-01-08T09:00:00.000Z');
    assert.equal(body.oldEndDate, '2030-01-08T09:30:00.000Z');
    assert.equal(body.data.oldStartDate, body.oldStartDate);
    assert.equal(body.data.rescheduledAppointment.start, body.start);
    assert.equal(body.secret, secret);
    assert.equal(body.data.rescheduledAppointment.secret, secret);
  });

  test('booking_cancelled: cancel carries cancelledAt beside actionAt (seed 000’s handler reads it)', async () => {
    const res = await host.api.post(`/v4/appointment/${appointmentId}/cancel`, { reason: 'Customer requested' });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().cancel.cancelledAt, res.json().cancel.actionAt);
    const body = (await delivered('booking_cancelled')).json as unknown as Json;
    assert.equal(seed003Handler(body as never), `Booking cancelled: ${appointmentId}`);
    // Seed 000's handleCancellation
    const { id, cancel } = body.data;
    assert.equal(id, appointmentId);
    assert.equal(cancel?.reason, 'Customer requested');
    assert.equal(cancel?.cancelledAt, cancel?.actionAt);
    assert.ok(!Number.isNaN(Date.parse(cancel.cancelledAt)));
    assert.equal(body.isCancelled, true);
    assert.equal(body.cancel.cancelledAt, cancel.cancelledAt);
  });
});

describe('subscriptions', () => {
  test('accept every event type meetergo accepts, even those Termin never sends', async () => {
    const eventTypes = [
      'booking_created',
      'booking_rescheduled',
      'booking_cancelled',
      'form_submission',
      'new_employee',
      'credential_error',
      'review_submitted',
      'review_published',
      'signature_completed',
    ];
    const res = await host.api.post('/webhooks', { endpoint: `${receiver.url}/all`, eventTypes });
    assert.equal(res.statusCode, 201, res.body);
    assert.deepEqual([...res.json().eventTypes].sort(), [...eventTypes].sort());
    const bad = await host.api.post('/webhooks', { endpoint: `${receiver.url}/bad`, eventTypes: ['booking_exploded'] });
    assert.equal(bad.statusCode, 400);
    await host.api.delete(`/webhooks/${res.json().id}`);
  });
});
