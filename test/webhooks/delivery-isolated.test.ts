// Delivery with apps of their own: the SSRF check at delivery time, and wake-ups on commit.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startTestApp } from '../helpers/app.ts';
import { newBookingCompany } from '../helpers/booking-company.ts';
import { appointmentJson, enqueueBookingEvent } from '../helpers/events.factory.ts';
import { eventually, startReceiver } from '../helpers/receiver.ts';
import { scaled } from '../helpers/load.ts';
import { startWorkers } from '../helpers/workers.ts';

describe('SSRF check at delivery (TERMIN_WEBHOOK_ALLOW_PRIVATE=false)', () => {
  test('an endpoint that now points at a private address is refused without connecting', async () => {
    const strict = await startTestApp({ env: { TERMIN_WEBHOOK_ALLOW_PRIVATE: 'false', TERMIN_WEBHOOK_RETRY_SCHEDULE: '50ms' } });
    const strictWorkers = await startWorkers(strict);
    const receiver = await startReceiver();
    try {
      const co = await newBookingCompany(strict, 'Rebinding');
      const created = await co.api.post('/webhooks', { endpoint: 'https://93.184.215.14/hook', eventTypes: ['booking_created', 'booking_cancelled'] });
      assert.equal(created.statusCode, 201);
      const webhookId = created.json().id;
      // As if DNS now answered with loopback addresses (the check at create cannot see the future).
      for (const endpoint of [receiver.url, `http://localhost:${receiver.port}/hook`]) {
        await strict.handle.db.updateTable('webhooks').set({ endpoint }).where('id', '=', webhookId).execute();
        const a = appointmentJson({ companyId: co.company.companyId, meetingTypeId: co.meetingTypeId, host: co.host, start: new Date(Date.now() + 86_400_000) });
        await enqueueBookingEvent(strict.handle.db, 'booking_created', { ...a }, { companyId: co.company.companyId, subjectId: a.id });
        const failed = await eventually(async () => {
          const list = (await co.api.get(`/webhooks/${webhookId}/deliveries?status=failed`)).json().deliveries;
          return list.length > 0 ? list : undefined;
        }, 5000);
        assert.match(failed[0].attempts[0].error, /^refused: .*loopback/);
        await strict.handle.db.deleteFrom('webhook_attempts').execute();
        await strict.handle.db.deleteFrom('webhook_deliveries').execute();
      }
      assert.equal(receiver.received.length, 0);
    } finally {
      await strictWorkers.stop();
      await receiver.close();
      await strict.close();
    }
  });
});

describe('wake-ups', () => {
  test('with a 30 s poll, a committed event and a test event still go out within a second', async () => {
    const t2 = await startTestApp();
    const slowPoll = await startWorkers(t2, { pollMs: 30_000 });
    const receiver = await startReceiver();
    try {
      const co = await newBookingCompany(t2, 'Wake-ups');
      const res = await co.api.post('/webhooks', { endpoint: receiver.url, eventTypes: ['booking_created'] });
      await new Promise((resolve) => setTimeout(resolve, 200)); // every loop is asleep now
      // The poll would take up to 30 s; a wake-up takes well under a second on a quiet machine, and
      // the bound grows with the load (at most 10 s, still a third of the poll period).
      const promptly = scaled(1000);
      const committed = Date.now();
      const a = appointmentJson({ companyId: co.company.companyId, meetingTypeId: co.meetingTypeId, host: co.host, start: new Date(Date.now() + 86_400_000) });
      await enqueueBookingEvent(t2.handle.db, 'booking_created', { ...a }, { companyId: co.company.companyId, subjectId: a.id });
      const [first] = await receiver.waitFor(1, 3000);
      assert.ok(first!.at - committed < promptly, `first attempt after ${first!.at - committed} ms`);
      const asked = Date.now();
      assert.equal((await co.api.post(`/webhooks/${res.json().id}/test`)).statusCode, 202);
      const [, second] = await receiver.waitFor(2, 3000);
      assert.ok(second!.at - asked < promptly, `test event after ${second!.at - asked} ms`);
    } finally {
      await slowPoll.stop();
      await receiver.close();
      await t2.close();
    }
  });
});
