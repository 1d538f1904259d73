import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type TestApp, type TestCompany, client } from '../helpers/app.ts';
import { type TestHost, bookingBody, newHost, parseIcs, slot, startAcmeApp } from '../helpers/bookings.ts';

let t: TestApp;
let acme: TestCompany;
let other: TestCompany;
let host: TestHost;

before(async () => ({ t, acme, other } = await startAcmeApp()));
after(() => t.close());

/** Each test gets its own host, so slots never collide between tests. */
async function bookFresh(start = slot(1, '10:00'), meetingType: Record<string, unknown> = {}) {
  host = await newHost(t, acme, meetingType);
  // Half-hour starts for every duration, so a 60-minute meeting can move by 30 minutes.
  await t.handle.db.updateTable('meeting_types').set({ timeslot_interval: 30 }).where('id', '=', host.meetingTypeId).execute();
  const res = await host.api.post('/v4/booking', bookingBody(host, start));
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as { id: string; secret: string };
}

const outbox = (id: string, type: string) =>
  t.handle.db.selectFrom('outbox_events').selectAll().where('subject_id', '=', id).where('type', '=', type).execute();

describe('reschedule in place', () => {
  test('POST /v4/appointment/{id}/reschedule moves it: same id and UID, SEQUENCE + 1, duration kept', async () => {
    const booked = await bookFresh();
    const before = (await host.api.get(`/v4/appointment/${booked.id}`)).json();
    const res = await host.api.post(`/v4/appointment/${booked.id}/reschedule`, { start: slot(2, '14:00') });
    assert.equal(res.statusCode, 200, res.body);
    const { appointment, previousStart } = res.json();
    assert.equal(previousStart, '2030-01-08T09:00:00.000Z');
    assert.equal(appointment.id, booked.id);
    assert.equal(appointment.start, '2030-01-09T13:00:00.000Z');
    assert.equal(appointment.end, '2030-01-09T13:30:00.000Z');
    assert.equal(appointment.rescheduledAt, '2030-01-07T06:00:00.000Z');
    const [oldIcs, newIcs] = [parseIcs(before.ics), parseIcs(appointment.ics)];
    assert.equal(newIcs.uid, oldIcs.uid);
    assert.equal(newIcs.sequence, oldIcs.sequence + 1);
    assert.equal(newIcs.start, '2030-01-09T13:00:00.000Z');
    assert.equal(newIcs.method, 'REQUEST');
  });

  test('the old time is free afterwards and the appointment’s own time does not block an overlapping move', async () => {
    const booked = await bookFresh(slot(1, '10:00'), { duration: 60 });
    const moved = await host.api.post(`/v4/appointment/${booked.id}/reschedule`, { start: slot(1, '10:30') });
    assert.equal(moved.statusCode, 200, moved.body);
    const taken = await host.api.post('/v4/booking', bookingBody(host, slot(1, '09:30')));
    assert.equal(taken.statusCode, 201, 'the freed half hour before is bookable');
  });

  test('records booking_rescheduled with the previous start and end; the secret stays the same', async () => {
    const booked = await bookFresh();
    const res = await client(t.app, acme.apiKey).post(`/booking/reschedule/${booked.id}`, { start: slot(1, '15:00') });
    assert.equal(res.statusCode, 200);
    const { appointmentId, secret } = res.json();
    assert.equal(appointmentId, booked.id);
    assert.equal(secret, booked.secret, 'seed 001: the stored secret stays valid');
    const [event] = await outbox(booked.id, 'booking_rescheduled');
    const payload = event!.payload as {
      data: { rescheduledAppointment: { id: string; start: string }; oldStartDate: string; oldEndDate: string };
      notifyAttendees: boolean;
      secret: string;
    };
    assert.equal(payload.data.oldStartDate, '2030-01-08T09:00:00.000Z');
    assert.equal(payload.data.oldEndDate, '2030-01-08T09:30:00.000Z');
    assert.equal(payload.data.rescheduledAppointment.start, '2030-01-08T14:00:00.000Z');
    assert.equal(payload.secret, secret);
    assert.equal(payload.notifyAttendees, true);
  });

  test('POST /booking/confirm/reschedule/ with the secret works without auth, and the same secret keeps working', async () => {
    const booked = await bookFresh();
    const res = await t.app.inject({
      method: 'POST',
      url: '/booking/confirm/reschedule/',
      payload: { appointmentId: booked.id, secret: booked.secret, start: slot(3, '10:00') },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().secret, booked.secret);
    const again = await t.app.inject({
      method: 'POST',
      url: '/booking/confirm/reschedule',
      payload: { appointmentId: booked.id, secret: booked.secret, start: slot(3, '11:00') },
    });
    assert.equal(again.statusCode, 200, 'the secret from the booking answer still works after a move');
    const byHost = await host.api.post(`/v4/appointment/${booked.id}/reschedule`, { start: slot(3, '12:00') });
    assert.equal(byHost.json().appointment.secret, booked.secret, 'a host reschedule keeps it too, and shows it');
    const cancel = await t.app.inject({ method: 'POST', url: `/booking/confirm/cancel/${booked.id}/${booked.secret}` });
    assert.equal(cancel.statusCode, 200);
    assert.equal(cancel.json().secret, booked.secret);
  });

  test('a taken or unoffered time is 400 slot unavailable; a cancelled appointment cannot be rescheduled', async () => {
    const booked = await bookFresh();
    const other = await host.api.post('/v4/booking', bookingBody(host, slot(1, '12:00')));
    assert.equal(other.statusCode, 201);
    const onto = await host.api.post(`/v4/appointment/${booked.id}/reschedule`, { start: slot(1, '12:00') });
    assert.equal(onto.statusCode, 400);
    assert.equal(onto.json().message, 'The selected time slot is no longer available');
    const night = await host.api.post(`/v4/appointment/${booked.id}/reschedule`, { start: slot(1, '22:00') });
    assert.equal(night.statusCode, 400);
    await host.api.post(`/v4/appointment/${booked.id}/cancel`, {});
    const cancelled = await host.api.post(`/v4/appointment/${booked.id}/reschedule`, { start: slot(2, '10:00') });
    assert.equal(cancelled.statusCode, 400);
    assert.equal(cancelled.json().message, 'A cancelled appointment cannot be rescheduled');
  });

  test('ignoreAvailability records an overbooking the constraint allows; other bookings stay guarded', async () => {
    const booked = await bookFresh();
    const blocker = await host.api.post('/v4/booking', bookingBody(host, slot(1, '13:00')));
    const res = await host.api.post(`/v4/appointment/${booked.id}/reschedule`, { start: slot(1, '13:00'), ignoreAvailability: true });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().appointment.overbooked, true);
    const late = await host.api.post(`/v4/appointment/${booked.id}/reschedule`, { start: slot(1, '21:00'), ignoreAvailability: true });
    assert.equal(late.statusCode, 200, 'outside working hours with the override');
    assert.equal(late.json().appointment.overbooked, false, 'no overlap, so no overbooking recorded');
    assert.equal((await host.api.get(`/v4/appointment/${blocker.json().id}`)).json().overbooked, false);
  });

  test('bad starts are 400 and unknown or foreign ids 404', async () => {
    const booked = await bookFresh();
    const noOffset = await host.api.post(`/v4/appointment/${booked.id}/reschedule`, { start: '2030-01-09T10:00:00' });
    assert.equal(noOffset.statusCode, 400);
    const past = await host.api.post(`/v4/appointment/${booked.id}/reschedule`, { start: '2029-01-09T10:00:00Z' });
    assert.equal(past.statusCode, 400);
    const theirs = client(t.app, other.apiKey);
    assert.equal((await theirs.post(`/v4/appointment/${booked.id}/reschedule`, { start: slot(2, '10:00') })).statusCode, 404);
    assert.equal((await theirs.post(`/booking/reschedule/${booked.id}`, { start: slot(2, '10:00') })).statusCode, 404);
    assert.equal((await host.api.post('/v4/appointment/nope/reschedule', { start: slot(2, '10:00') })).statusCode, 404);
  });

  test('Idempotency-Key on reschedule replays the answer with the same secret and records one event', async () => {
    const booked = await bookFresh();
    const headers = { 'idempotency-key': 'move-1' };
    const first = await client(t.app, acme.apiKey).post(`/booking/reschedule/${booked.id}`, { start: slot(4, '10:00') }, headers);
    const second = await client(t.app, acme.apiKey).post(`/booking/reschedule/${booked.id}`, { start: slot(4, '10:00') }, headers);
    assert.equal(second.statusCode, 200);
    assert.deepEqual(second.json(), first.json());
    assert.equal((await outbox(booked.id, 'booking_rescheduled')).length, 1);
  });
});

describe('reschedule by booking anew with rescheduledFromId (seed 000)', () => {
  test('creates the new appointment and cancels the old one in one go, linked both ways, even overlapping', async () => {
    const booked = await bookFresh(slot(1, '10:00'), { duration: 60 });
    const res = await host.api.post(
      '/v4/booking',
      bookingBody(host, slot(1, '10:30'), { hostIds: [host.userId], rescheduledFromId: booked.id }),
    );
    assert.equal(res.statusCode, 201, res.body);
    const fresh = (await host.api.get(`/v4/appointment/${res.json().id}`)).json();
    const old = (await host.api.get(`/v4/appointment/${booked.id}`)).json();
    assert.equal(fresh.rescheduledFromId, booked.id);
    assert.equal(old.rescheduledToId, fresh.id);
    assert.equal(old.isCancelled, true);
    assert.equal(old.cancel.reason, 'Rescheduled to a new time');
    assert.equal((await outbox(booked.id, 'booking_cancelled')).length, 1);
    assert.equal((await outbox(fresh.id, 'booking_created')).length, 1);
    const repeat = await host.api.delete(`/v4/appointment/${booked.id}`, { reason: 'Rescheduled to new time' });
    assert.equal(repeat.statusCode, 200, 'the client’s own cancel afterwards is a harmless repeat');
    assert.equal((await outbox(booked.id, 'booking_cancelled')).length, 1);
  });

  test('a cancelled or unknown rescheduledFromId is refused and nothing is booked', async () => {
    const booked = await bookFresh();
    await host.api.post(`/v4/appointment/${booked.id}/cancel`, {});
    const cancelled = await host.api.post('/v4/booking', bookingBody(host, slot(2, '10:00'), { rescheduledFromId: booked.id }));
    assert.equal(cancelled.statusCode, 400);
    const unknown = await host.api.post(
      '/v4/booking',
      bookingBody(host, slot(2, '10:00'), { rescheduledFromId: '00000000-0000-4000-8000-000000000000' }),
    );
    assert.equal(unknown.statusCode, 404);
    const free = await host.api.post('/v4/booking', bookingBody(host, slot(2, '10:00')));
    assert.equal(free.statusCode, 201);
  });
});
