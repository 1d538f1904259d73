// The booking write is one statement built from rows held in memory (booking.repo.ts): what the
// answer and the event say must be exactly what was stored, for every column a client can see.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestApp, TestCompany } from '../helpers/app.ts';
import { type TestHost, bookingBody, newHost, slot, startHostApp } from '../helpers/bookings.ts';
import { withoutSecrets } from '../../src/outbox/event-payload.ts';

let t: TestApp;
let acme: TestCompany;
let main: TestHost;
let second: TestHost;

before(async () => {
  ({ t, acme, host: main } = await startHostApp());
  second = await newHost(t, acme);
});
after(() => t.close());

const createdEvent = async (id: string) => {
  const rows = await t.handle.db.selectFrom('outbox_events').selectAll().where('subject_id', '=', id).execute();
  assert.equal(rows.length, 1);
  assert.equal(rows[0]!.type, 'booking_created');
  return rows[0]!.payload as { data: Record<string, unknown> };
};

describe('booking write', () => {
  for (const idempotent of [false, true]) {
    test(`two hosts, guests, custom fields and a location are stored as the event shows them (${idempotent ? 'with' : 'without'} Idempotency-Key)`, async () => {
      const body = bookingBody(main, slot(2, idempotent ? '11:00' : '10:00'), {
        hostIds: [main.userId, second.userId],
        location: 'Room 4',
        attendee: {
          email: 'Guest.Owner@Example.com',
          firstname: 'Ada',
          lastname: 'Lovelace',
          phone: '+49 30 1234',
          company: 'Engines Ltd',
          timezone: 'Europe/London',
          language: 'en',
          customFields: { size: '10' },
          notes: { source: 'web' },
          bringalongEmails: ['b@example.com', 'c@example.com'],
          receiveReminders: false,
        },
      });
      const headers = idempotent ? { 'idempotency-key': `write-${Date.now()}` } : undefined;
      const res = await main.api.post('/v4/booking', body, headers);
      assert.equal(res.statusCode, 201, res.body);
      const shown = (await main.api.get(`/v4/appointment/${res.json().id}`)).json();
      assert.deepEqual(shown.hostIds, [main.userId, second.userId]);
      assert.equal(shown.location, 'Room 4');
      assert.deepEqual(shown.attendees[0].bringalongEmails, ['b@example.com', 'c@example.com']);
      assert.equal(shown.attendees[0].receiveReminders, false);
      // The event keeps no readable secret; the rest is exactly what GET shows.
      assert.deepEqual((await createdEvent(res.json().id)).data, withoutSecrets(shown));
      assert.equal(res.json().start, shown.start);
      assert.equal(res.json().end, shown.end);
    });
  }

  test('the second host being busy refuses the booking and writes nothing', async () => {
    const start = slot(3, '10:00');
    const first = await second.api.post('/v4/booking', bookingBody(second, start));
    assert.equal(first.statusCode, 201, first.body);
    const before = await t.handle.db.selectFrom('appointments').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const res = await main.api.post('/v4/booking', bookingBody(main, start, { hostIds: [main.userId, second.userId] }));
    assert.equal(res.statusCode, 400, res.body);
    assert.equal(res.json().code, 'slot_unavailable');
    const afterCount = await t.handle.db.selectFrom('appointments').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    assert.equal(afterCount.n, before.n);
  });
});
