// One company's slow webhook endpoints cannot hold up another company's deliveries: every endpoint
// has its own small concurrency budget. And delivery is at least once: a lease renewed while a slow
// send is in flight keeps other workers from sending the same delivery again meanwhile.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { EventWorkers } from '../../src/outbox/outbox.workers.ts';
import { type TestApp, startTestApp } from '../helpers/app.ts';
import { type BookingCompany, newBookingCompany } from '../helpers/booking-company.ts';
import { appointmentJson, enqueueBookingEvent } from '../helpers/events.factory.ts';
import { patienceMs } from '../helpers/patience.ts';
import { startReceiver } from '../helpers/receiver.ts';
import { startSlowReceiver } from '../helpers/slow-receiver.ts';
import { startWorkers } from '../helpers/workers.ts';

// 20 s on a quiet machine, longer on a busy one, so "before any slow answer" means the same.
const SLOW_MS = patienceMs(20_000);
let t: TestApp;
let workers: EventWorkers;
const closers: (() => Promise<void>)[] = [];

before(async () => {
  t = await startTestApp();
  // The send time-out is longer than the slow endpoints take: their sends stay in flight.
  workers = await startWorkers(t, { timeoutMs: SLOW_MS + 10_000 });
});
after(async () => {
  for (const close of closers.splice(0)) await close().catch(() => {});
  await workers.stop();
  await t.close();
});

function created(co: BookingCompany) {
  const appointment = appointmentJson({
    companyId: co.company.companyId,
    meetingTypeId: co.meetingTypeId,
    host: co.host,
    start: new Date(Date.now() + 3 * 86_400_000),
  });
  return enqueueBookingEvent(t.handle.db, 'booking_created', { ...appointment }, { companyId: co.company.companyId, subjectId: appointment.id });
}

describe('per-endpoint delivery isolation', () => {
  test("six endpoints answering after 20 s do not delay another company's delivery", async () => {
    const slowCo = await newBookingCompany(t, 'Slow');
    const slowReceivers: Awaited<ReturnType<typeof startSlowReceiver>>[] = [];
    for (let i = 0; i < 6; i++) {
      const receiver = await startSlowReceiver(SLOW_MS);
      closers.push(receiver.close);
      slowReceivers.push(receiver);
      const res = await slowCo.api.post('/webhooks', { endpoint: receiver.url, eventTypes: ['booking_created'] });
      assert.equal(res.statusCode, 201, res.body);
    }
    // A backlog of 10 events × 6 endpoints = 60 slow deliveries, more than a whole claim batch.
    for (let i = 0; i < 10; i++) await created(slowCo);
    const holding = () => slowReceivers.reduce((sum, r) => sum + r.holding, 0);
    const deadline = Date.now() + patienceMs(10_000);
    while (holding() < 6 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    assert.ok(holding() >= 6, 'every slow endpoint is being sent to');

    const fastCo = await newBookingCompany(t, 'Fast');
    const fast = await startReceiver();
    closers.push(fast.close);
    const res = await fastCo.api.post('/webhooks', { endpoint: fast.url, eventTypes: ['booking_created'] });
    assert.equal(res.statusCode, 201, res.body);
    const eventId = await created(fastCo);
    const [got] = await fast.waitFor(1, patienceMs(2000));
    assert.equal(got!.headers['webhook-id'], eventId);
    const answered = slowReceivers.reduce((sum, r) => sum + r.answered, 0);
    assert.equal(answered, 0, 'it arrived before any slow endpoint had answered: nothing waited for them');
    for (const receiver of slowReceivers) assert.ok(receiver.arrived <= 2, 'no endpoint got more than its budget of 2 at once');
  });
});
