import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import type { EventWorkers } from '../../src/outbox/outbox.workers.ts';
import { type TestApp, startTestApp } from '../helpers/app.ts';
import { type BookingCompany, newBookingCompany } from '../helpers/booking-company.ts';
import { appointmentJson, enqueueBookingEvent, rescheduledData } from '../helpers/events.factory.ts';
import { type ScriptedAnswer, eventually, startReceiver } from '../helpers/receiver.ts';
import { patienceMs } from '../helpers/patience.ts';
import { scaled } from '../helpers/load.ts';
import { startWorkers } from '../helpers/workers.ts';

let t: TestApp;
let workers: EventWorkers;
const receivers: { close(): Promise<void> }[] = [];

before(async () => {
  t = await startTestApp({ env: { TERMIN_WEBHOOK_RETRY_SCHEDULE: '100ms,200ms,300ms' } });
  workers = await startWorkers(t);
});
after(async () => {
  await workers.stop();
  await Promise.all(receivers.map((r) => r.close()));
  await t.close();
});

async function subscribed(eventTypes: string[], script: ScriptedAnswer[] = []) {
  const co = await newBookingCompany(t);
  const receiver = await startReceiver(script);
  receivers.push(receiver);
  const res = await co.api.post('/webhooks', { endpoint: receiver.url, eventTypes });
  assert.equal(res.statusCode, 201, res.body);
  const { id, secret } = res.json() as { id: string; secret: string };
  return { ...co, receiver, webhookId: id, secret };
}

function booking(co: BookingCompany, extra: Partial<Parameters<typeof appointmentJson>[0]> = {}) {
  return appointmentJson({
    companyId: co.company.companyId,
    meetingTypeId: co.meetingTypeId,
    host: co.host,
    start: new Date(Date.now() + 3 * 86_400_000),
    ...extra,
  });
}

function created(co: BookingCompany, appointment = booking(co)) {
  return enqueueBookingEvent(t.handle.db, 'booking_created', { ...appointment }, { companyId: co.company.companyId, subjectId: appointment.id });
}

async function deliveriesOf(co: BookingCompany & { webhookId: string }) {
  const res = await co.api.get(`/webhooks/${co.webhookId}/deliveries`);
  assert.equal(res.statusCode, 200);
  return res.json().deliveries as { id: string; status: string; eventId: string; replayOf: string | null; attempts: { statusCode: number | null; error: string | null; durationMs: number; responseBody: string | null; attemptedAt: string }[] }[];
}

// What the receivers of seeds 000 and 003 read from `data`.
interface SeedData {
  id?: string;
  secret?: string;
  attendees?: { email: string }[];
  rescheduledAppointment?: { id: string; start: string };
  oldStartDate?: string;
  oldEndDate?: string;
  cancel?: { reason: string };
}

describe('delivery to a receiver written from seed 003', () => {
  test('booking_created, booking_rescheduled and booking_cancelled arrive with the documented fields and verify', async () => {
    const co = await subscribed(['booking_created', 'booking_rescheduled', 'booking_cancelled']);
    const appointment = booking(co);
    await created(co, appointment);
    const moved = rescheduledData(appointment, { companyId: co.company.companyId, meetingTypeId: co.meetingTypeId, host: co.host, start: new Date(Date.now() + 4 * 86_400_000) });
    await enqueueBookingEvent(t.handle.db, 'booking_rescheduled', moved, { companyId: co.company.companyId, subjectId: appointment.id });
    const cancelled = booking(co, { id: appointment.id, cancel: { reason: 'Customer requested' }, sequence: 2 });
    await enqueueBookingEvent(t.handle.db, 'booking_cancelled', { ...cancelled }, { companyId: co.company.companyId, subjectId: appointment.id });
    const received = await co.receiver.waitFor(3);
    const verifier = new Webhook(co.secret);
    for (const r of received) {
      verifier.verify(r.body, r.headers as Record<string, string>);
      // Flat: `id` is the appointment's; the event's own id is the webhook-id header.
      assert.equal(r.json.id, appointment.id);
      assert.match(String(r.headers['webhook-id']), /^[0-9a-f-]{36}$/);
      assert.notEqual(r.headers['webhook-id'], r.json.id);
      assert.equal(r.json.event, r.json.webhookType);
    }
    const data = (event: string) => received.find((r) => r.json.event === event)!.json.data as unknown as SeedData;
    assert.equal(data('booking_created').id, appointment.id);
    assert.equal(data('booking_created').attendees![0]!.email, 'attendee0@example.com');
    assert.equal(data('booking_created').secret, undefined);
    assert.equal(data('booking_rescheduled').rescheduledAppointment!.id, appointment.id);
    assert.equal(data('booking_rescheduled').rescheduledAppointment!.start, moved.rescheduledAppointment.start);
    assert.equal(data('booking_rescheduled').oldStartDate, appointment.start);
    assert.equal(data('booking_rescheduled').oldEndDate, appointment.end);
    assert.equal(data('booking_cancelled').id, appointment.id);
    assert.equal(data('booking_cancelled').cancel!.reason, 'Customer requested');
  });

  test('a body tampered with in transit does not verify', async () => {
    const co = await subscribed(['booking_created']);
    await created(co);
    const [r] = await co.receiver.waitFor(1);
    assert.throws(() => new Webhook(co.secret).verify(r!.body.replace('attendee0', 'attendeeX'), r!.headers as Record<string, string>));
  });

  test('delivery starts within a second of the commit', async () => {
    const co = await subscribed(['booking_created']);
    const committed = Date.now();
    await created(co);
    const [r] = await co.receiver.waitFor(1, 3000);
    // A second on a quiet machine, more on a loaded one (that wake-ups beat the poll is shown in
    // delivery-isolated.test.ts with a 30 s poll).
    assert.ok(r!.at - committed < scaled(1000), `first attempt after ${r!.at - committed} ms`);
  });

  test('new_employee from POST /v4/user reaches its subscribers only', async () => {
    const co = await subscribed(['new_employee']);
    const bookingsOnly = await subscribed(['booking_created']);
    const email = `n${Date.now()}@example.com`;
    const res = await co.api.post('/v4/user', { email, givenName: 'Nina', familyName: 'New', timezone: 'Europe/Berlin' });
    assert.equal(res.statusCode, 201);
    const [r] = await co.receiver.waitFor(1);
    assert.equal(r!.json.event, 'new_employee');
    assert.equal((r!.json.data as { id: string }).id, res.json().userId);
    assert.equal((r!.json.data as { email: string }).email, email);
    assert.equal((r!.json.data as { data?: unknown }).data, undefined);
    new Webhook(co.secret).verify(r!.body, r!.headers as Record<string, string>);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(bookingsOnly.receiver.received.length, 0);
  });

  test("another company's subscriber gets nothing of this company's events", async () => {
    const mine = await subscribed(['booking_created']);
    const theirs = await subscribed(['booking_created']);
    await created(mine);
    await mine.receiver.waitFor(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(theirs.receiver.received.length, 0);
  });

  test('nothing is sent for a rolled-back change', async () => {
    const co = await subscribed(['booking_created']);
    const appointment = booking(co);
    await assert.rejects(
      t.handle.db.transaction().execute(async (tx) => {
        await enqueueBookingEvent(tx, 'booking_created', { ...appointment }, { companyId: co.company.companyId, subjectId: appointment.id });
        throw new Error('booking failed after the event was written');
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 700));
    assert.equal(co.receiver.received.length, 0);
    assert.deepEqual(await deliveriesOf(co), []);
  });

  test('a repeated cancel of one appointment is delivered once', async () => {
    const co = await subscribed(['booking_cancelled']);
    const cancelled = booking(co, { cancel: { reason: 'twice' } });
    for (let i = 0; i < 2; i++) {
      await enqueueBookingEvent(t.handle.db, 'booking_cancelled', { ...cancelled }, { companyId: co.company.companyId, subjectId: cancelled.id });
    }
    await co.receiver.waitFor(1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(co.receiver.received.length, 1);
  });
});

describe('several workers on one database', () => {
  test("share the work: every event is delivered at least once, duplicates carry the same webhook-id", async () => {
    const others = await Promise.all([startWorkers(t), startWorkers(t)]);
    try {
      const co = await subscribed(['booking_created']);
      const ids = await Promise.all(Array.from({ length: 30 }, () => created(co)));
      await co.receiver.waitFor(30, patienceMs(10_000));
      // The contract is at least once: a repeat (a lease lost on a busy machine) has the same
      // webhook-id and body, so receivers deduplicate by webhook-id.
      const seen = co.receiver.received.map((r) => String(r.headers['webhook-id']));
      assert.deepEqual(new Set(seen), new Set(ids));
      const bodies = new Map<string, string>();
      for (const r of co.receiver.received) {
        const id = String(r.headers['webhook-id']);
        assert.equal(bodies.get(id) ?? r.body, r.body, 'a repeat is the same message');
        bodies.set(id, r.body);
      }
    } finally {
      await Promise.all(others.map((w) => w.stop()));
    }
  });
});

describe('retries', () => {
  test('a receiver answering 500 twice gets the event on the third attempt with the same webhook-id', async () => {
    const co = await subscribed(['booking_created'], [{ status: 500, body: 'boom' }, { status: 500, body: 'boom' }]);
    const eventId = await created(co);
    const received = await co.receiver.waitFor(3);
    assert.deepEqual(received.map((r) => r.headers['webhook-id']), [eventId, eventId, eventId]);
    assert.deepEqual(new Set(received.map((r) => r.body)).size, 1);
    const [delivery] = await eventually(async () => {
      const list = await deliveriesOf(co);
      return list[0]?.status === 'succeeded' ? list : undefined;
    });
    assert.deepEqual(delivery!.attempts.map((a) => a.statusCode), [500, 500, 200]);
    assert.equal(delivery!.attempts[0]!.error, 'HTTP 500');
    assert.equal(delivery!.attempts[0]!.responseBody, 'boom');
    assert.ok(delivery!.attempts.every((a) => a.durationMs >= 0 && Date.parse(a.attemptedAt) > 0));
  });

  test('after the last retry the delivery is marked failed', async () => {
    const co = await subscribed(['booking_created'], Array.from({ length: 10 }, () => ({ status: 503 })));
    await created(co);
    const [delivery] = await eventually(async () => {
      const list = await deliveriesOf(co);
      return list[0]?.status === 'failed' ? list : undefined;
    });
    assert.equal(delivery!.attempts.length, 4);
    assert.equal(co.receiver.received.length, 4);
  });

  test('Retry-After is honoured: the next attempt waits at least as long', async () => {
    const co = await subscribed(['booking_created'], [{ status: 429, headers: { 'retry-after': '1' } }]);
    await created(co);
    const [first, second] = await co.receiver.waitFor(2, 4000);
    assert.ok(second!.at - first!.at >= 950, `retried after ${second!.at - first!.at} ms`);
  });

  test('410 Gone disables the subscription and no further event is queued for it', async () => {
    const co = await subscribed(['booking_created'], [{ status: 410 }]);
    await created(co);
    const webhook = await eventually(async () => {
      const w = (await co.api.get(`/webhooks/${co.webhookId}`)).json();
      return w.active === false ? w : undefined;
    });
    assert.match(webhook.disabledReason, /410/);
    await created(co);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(co.receiver.received.length, 1);
    const list = await deliveriesOf(co);
    assert.equal(list.length, 1);
    assert.equal(list[0]!.status, 'failed');
    assert.equal((await co.api.post(`/webhooks/${co.webhookId}/test`)).statusCode, 409);
    const enabled = await co.api.patch(`/webhooks/${co.webhookId}`, { active: true });
    assert.equal(enabled.json().active, true);
  });

  test('long answers are truncated in the log', async () => {
    const co = await subscribed(['booking_created'], [{ status: 500, body: 'x'.repeat(5000) }]);
    await created(co);
    await co.receiver.waitFor(2);
    const list = await eventually(async () => {
      const l = await deliveriesOf(co);
      return l[0]?.status === 'succeeded' ? l : undefined;
    });
    assert.equal(list[0]!.attempts[0]!.responseBody!.length, 1024);
  });
});

describe('replay, test event and secret rotation', () => {
  test('replay sends the event again with the same webhook-id as a new delivery in the log', async () => {
    const co = await subscribed(['booking_created']);
    const eventId = await created(co);
    await co.receiver.waitFor(1);
    const [original] = await eventually(async () => {
      const l = await deliveriesOf(co);
      return l[0]?.status === 'succeeded' ? l : undefined;
    });
    const res = await co.api.post(`/webhooks/${co.webhookId}/deliveries/${original!.id}/replay`);
    assert.equal(res.statusCode, 202);
    assert.equal(res.json().replayOf, original!.id);
    const received = await co.receiver.waitFor(2);
    assert.equal(received[1]!.headers['webhook-id'], eventId);
    assert.equal(received[1]!.body, received[0]!.body);
    new Webhook(co.secret).verify(received[1]!.body, received[1]!.headers as Record<string, string>);
    const unknown = await co.api.post(`/webhooks/${co.webhookId}/deliveries/00000000-0000-4000-8000-000000000000/replay`);
    assert.equal(unknown.statusCode, 404);
  });

  test('POST /webhooks/{id}/test sends a signed sample event', async () => {
    const co = await subscribed(['booking_created']);
    const res = await co.api.post(`/webhooks/${co.webhookId}/test`);
    assert.equal(res.statusCode, 202);
    const [r] = await co.receiver.waitFor(1);
    assert.equal(r!.json.event, 'webhook_test');
    assert.equal((r!.json.data as { test: boolean }).test, true);
    new Webhook(co.secret).verify(r!.body, r!.headers as Record<string, string>);
  });

  test('after a rotation both the old and the new secret verify', async () => {
    const co = await subscribed(['booking_created']);
    const rotated = (await co.api.post(`/webhooks/${co.webhookId}/rotate-secret`)).json();
    await created(co);
    const [r] = await co.receiver.waitFor(1);
    assert.equal(String(r!.headers['webhook-signature']).split(' ').length, 2);
    new Webhook(co.secret).verify(r!.body, r!.headers as Record<string, string>);
    new Webhook(rotated.secret).verify(r!.body, r!.headers as Record<string, string>);
  });

  test('the delivery log lists the event, attempts and status, newest first, and filters by status', async () => {
    const co = await subscribed(['booking_created']);
    await created(co);
    await created(co);
    await co.receiver.waitFor(2);
    const list = await eventually(async () => {
      const l = await deliveriesOf(co);
      return l.length === 2 && l.every((d) => d.status === 'succeeded') ? l : undefined;
    });
    assert.ok(list.every((d) => d.attempts.length === 1 && d.attempts[0]!.statusCode === 200));
    const failed = await co.api.get(`/webhooks/${co.webhookId}/deliveries?status=failed`);
    assert.equal(failed.json().total, 0);
    const page = await co.api.get(`/webhooks/${co.webhookId}/deliveries?limit=1`);
    assert.equal(page.json().deliveries.length, 1);
    assert.equal(page.json().total, 2);
  });
});
