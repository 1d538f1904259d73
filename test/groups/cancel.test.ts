import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestApp, TestCompany } from '../helpers/app.ts';
import { type TestHost, bookingBody, slot } from '../helpers/bookings.ts';
import { startGroupApp, takeSeat } from './helpers.ts';

let t: TestApp;
let acme: TestCompany;
let host: TestHost;

before(async () => {
  ({ t, acme, host } = await startGroupApp(2));
});
after(() => t.close());

const seatCount = async (id: string) =>
  (await t.handle.db.selectFrom('appointments').select(['taken_spots', 'status']).where('id', '=', id).executeTakeFirstOrThrow());

const events = async (id: string) =>
  t.handle.db.selectFrom('outbox_events').select(['type', 'payload']).where('subject_id', '=', id).orderBy('id').execute();

describe('cancelling in a group session (spec AP4)', () => {
  test('cancel with attendeeId removes only that attendee: the seat is free at once, others keep theirs', async () => {
    const start = slot(1, '10:00');
    const ann = await takeSeat(host, start, 'ann@example.com');
    const bob = await takeSeat(host, start, 'bob@example.com');
    const res = await host.api.post(`/v4/appointment/${ann.appointmentId}/cancel`, { attendeeId: bob.attendeeId, reason: 'Cannot come' });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.isCancelled, false, 'the appointment continues');
    assert.deepEqual(body.attendees.map((a: { email: string }) => a.email), ['ann@example.com']);
    assert.equal((await seatCount(ann.appointmentId)).taken_spots, 1);
    const cancelled = (await events(ann.appointmentId)).filter((e) => e.type === 'booking_cancelled');
    assert.equal(cancelled.length, 1);
    const data = (cancelled[0]!.payload as { data: { attendeeId: string; removedAttendee: { email: string; ics: string } } }).data;
    assert.equal(data.attendeeId, bob.attendeeId);
    assert.equal(data.removedAttendee.email, 'bob@example.com');
    assert.match(data.removedAttendee.ics, /METHOD:CANCEL/);
    const again = await takeSeat(host, start, 'cid@example.com');
    assert.equal(again.appointmentId, ann.appointmentId, 'the freed seat is taken by the next booking');
    const repeat = await host.api.post(`/v4/appointment/${ann.appointmentId}/cancel`, { attendeeId: bob.attendeeId });
    assert.equal(repeat.statusCode, 200);
    assert.equal((await events(ann.appointmentId)).filter((e) => e.type === 'booking_cancelled').length, 1, 'a repeat fires nothing');
  });

  test('without attendeeId a group appointment needs cancelAll: true, else 400', async () => {
    const start = slot(1, '12:00');
    const ann = await takeSeat(host, start, 'ann@example.com');
    await takeSeat(host, start, 'bob@example.com');
    const refused = await host.api.post(`/v4/appointment/${ann.appointmentId}/cancel`, { reason: 'oops' });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.json().message, /cancelAll: true/);
    assert.equal((await seatCount(ann.appointmentId)).status, 'active');
    const all = await host.api.post(`/v4/appointment/${ann.appointmentId}/cancel`, { cancelAll: true });
    assert.equal(all.statusCode, 200, all.body);
    assert.equal(all.json().isCancelled, true);
    assert.equal(all.json().attendees.length, 2);
    const next = await takeSeat(host, start, 'new@example.com');
    assert.notEqual(next.appointmentId, ann.appointmentId, 'a new session starts at the freed time');
  });

  test('an unknown attendeeId answers 404', async () => {
    const ann = await takeSeat(host, slot(1, '14:00'), 'ann@example.com');
    const res = await host.api.post(`/v4/appointment/${ann.appointmentId}/cancel`, { attendeeId: '00000000-0000-4000-8000-000000000000' });
    assert.equal(res.statusCode, 404);
  });

  test('the last attendee leaving ends the session and frees the host', async () => {
    const start = slot(1, '16:00');
    const ann = await takeSeat(host, start, 'ann@example.com');
    const res = await host.api.post(`/v4/appointment/${ann.appointmentId}/cancel`, { attendeeId: ann.attendeeId });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().isCancelled, true);
    assert.equal((await seatCount(ann.appointmentId)).taken_spots, 0);
  });

  test('a plain appointment cancels without cancelAll', async () => {
    const { newHost } = await import('../helpers/bookings.ts');
    const solo = await newHost(t, acme);
    const res = await solo.api.post('/v4/booking', bookingBody(solo, slot(2, '10:00')));
    const cancel = await solo.api.post(`/v4/appointment/${res.json().appointmentId}/cancel`, {});
    assert.equal(cancel.statusCode, 200);
    assert.equal(cancel.json().isCancelled, true);
  });
});
