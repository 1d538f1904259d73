import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestApp, TestCompany } from '../helpers/app.ts';
import { type TestHost, bookingBody, slot } from '../helpers/bookings.ts';
import { startGroupApp, takeSeat } from './helpers.ts';

let t: TestApp;
let acme: TestCompany;
let host: TestHost;

before(async () => {
  ({ t, acme, host } = await startGroupApp(3));
});
after(() => t.close());

describe('joining a group session', () => {
  test('later bookings of a start join the first one: same appointment id, each attendee their own secret', async () => {
    const start = slot(1, '10:00');
    const first = await takeSeat(host, start, 'ann@example.com');
    const second = await takeSeat(host, start, 'bob@example.com');
    assert.equal(second.appointmentId, first.appointmentId);
    assert.notEqual(second.secret, first.secret);
    assert.ok(second.attendeeId);
    const res = await host.api.get(`/v4/appointment/${first.appointmentId}`);
    assert.equal(res.statusCode, 200, res.body);
    const appointment = res.json();
    assert.deepEqual(appointment.attendees.map((a: { email: string }) => a.email), ['ann@example.com', 'bob@example.com']);
    const bob = appointment.attendees.find((a: { id: string }) => a.id === second.attendeeId);
    assert.equal(bob.secret, second.secret, 'the seat shows its own secret');
    assert.equal(appointment.attendees[0].secret, first.secret);
  });

  test('a full session answers 400 "The selected time slot is no longer available"', async () => {
    const start = slot(1, '12:00');
    for (const name of ['a', 'b', 'c']) await takeSeat(host, start, `${name}@example.com`);
    const res = await host.api.post('/v4/booking', bookingBody(host, start, { attendee: { email: 'd@example.com' } }));
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().message, 'The selected time slot is no longer available');
  });

  test('the same email twice in one session answers 400 with a clear message', async () => {
    const start = slot(1, '14:00');
    await takeSeat(host, start, 'same@example.com');
    const res = await host.api.post('/v4/booking', bookingBody(host, start, { attendee: { email: 'SAME@example.com' } }));
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().message, 'This email already has a seat in this session');
  });

  test('one booking_created per joining attendee, naming that attendee', async () => {
    const start = slot(2, '10:00');
    const first = await takeSeat(host, start, 'x@example.com');
    const second = await takeSeat(host, start, 'y@example.com');
    const events = await t.handle.db
      .selectFrom('outbox_events')
      .select(['type', 'payload'])
      .where('subject_id', '=', first.appointmentId)
      .orderBy('id')
      .execute();
    assert.deepEqual(events.map((e) => e.type), ['booking_created', 'booking_created']);
    const data = (events[1]!.payload as { data: { attendeeId: string; attendees: unknown[] } }).data;
    assert.equal(data.attendeeId, second.attendeeId);
    assert.equal(data.attendees.length, 2);
  });

  test('a plain meeting type (one spot) still refuses a second booking of a start', async () => {
    const { newHost } = await import('../helpers/bookings.ts');
    const solo = await newHost(t, acme);
    const start = slot(3, '10:00');
    await takeSeat(solo, start, 'one@example.com');
    const res = await solo.api.post('/v4/booking', bookingBody(solo, start, { attendee: { email: 'two@example.com' } }));
    assert.equal(res.statusCode, 400);
  });
});
