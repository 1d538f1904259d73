// Held seats (issue 12 item 7): double opt-in and host approval on group types. A held seat
// counts against capacity at once, announces nothing until confirmed, and expiry or decline frees
// that seat only. The clock is injected, so expiry is exact.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fixedClock } from '../../src/lib/clock.ts';
import type { TestApp, TestCompany } from '../helpers/app.ts';
import { NOW, type TestHost, bookingBody, slot, startAcmeApp } from '../helpers/bookings.ts';
import { groupHost } from './helpers.ts';

const clock = fixedClock(NOW);
let t: TestApp;
let acme: TestCompany;

before(async () => ({ t, acme } = await startAcmeApp({ clock })));
after(() => t.close());

async function heldHost(spots: number, meetingOptions: Record<string, string>): Promise<TestHost> {
  const host = await groupHost(t, acme, spots);
  const res = await host.api.patch(`/v4/meeting-type/${host.meetingTypeId}`, { meetingOptions });
  assert.equal(res.statusCode, 200, res.body);
  return host;
}

const book = (host: TestHost, start: string, email: string) => host.api.post('/v4/booking', bookingBody(host, start, { attendee: { email, firstname: email.split('@')[0] } }));

async function hold(host: TestHost, start: string, email: string): Promise<string> {
  const res = await book(host, start, email);
  assert.equal(res.statusCode, 201, res.body);
  assert.deepEqual(Object.keys(res.json()).sort(), ['bookingType', 'provisionalBookingId']);
  return res.json().provisionalBookingId;
}

const holdRow = (id: string) => t.handle.db.selectFrom('provisional_bookings').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const seatOf = (attendeeId: string) => t.handle.db.selectFrom('appointment_attendees').select(['email', 'seat_status']).where('id', '=', attendeeId).executeTakeFirstOrThrow();
const session = (id: string) => t.handle.db.selectFrom('appointments').select(['status', 'taken_spots', 'spots']).where('id', '=', id).executeTakeFirstOrThrow();
const created = (appointmentId: string) =>
  t.handle.db.selectFrom('outbox_events').select('payload').where('type', '=', 'booking_created').where('subject_id', '=', appointmentId).orderBy('id').execute();

/** The attendee's confirmation token rides on the hold's created event (no workers run here, so nothing scrubbed it). */
async function tokenOf(id: string): Promise<string> {
  const event = await t.handle.db.selectFrom('outbox_events').select('payload').where('type', '=', 'provisional_booking_created').where('subject_id', '=', id).executeTakeFirstOrThrow();
  return (event.payload as { secret: string }).secret;
}

async function offered(host: TestHost, start: string): Promise<{ takenSpots?: number } | undefined> {
  const res = await host.api.get(`/v4/booking-availability?meetingTypeId=${host.meetingTypeId}&start=2030-01-08&end=2030-01-12&timezone=Europe/Berlin`);
  assert.equal(res.statusCode, 200, res.body);
  return (res.json().availableSlots as { start: string; takenSpots?: number }[]).find((s) => Date.parse(s.start) === Date.parse(start));
}

describe('held seats in group sessions', () => {
  test('double opt-in on 2 spots: a held seat and a direct seat fill the session; expiry frees the held seat only', async () => {
    const host = await heldHost(2, { doubleOptIn: 'enabled' });
    const start = slot(1, '10:00');
    const heldId = await hold(host, start, 'ann@example.com');
    const held = await holdRow(heldId);
    assert.ok(held.attendee_id, 'the hold names its seat');
    assert.deepEqual(await seatOf(held.attendee_id), { email: 'ann@example.com', seat_status: 'provisional' });
    // The session exists only as held: not a booking, nothing announced, but the seat is counted.
    assert.deepEqual(await session(held.appointment_id), { status: 'provisional', taken_spots: 1, spots: 2 });
    assert.equal((await host.api.get(`/v4/appointment/${held.appointment_id}`)).statusCode, 404);
    assert.equal((await created(held.appointment_id)).length, 0);
    assert.equal((await offered(host, start))?.takenSpots, 1);

    // The type stops asking for confirmation: the next booking takes a direct seat in the same session.
    const direct = await host.api.patch(`/v4/meeting-type/${host.meetingTypeId}`, { meetingOptions: { doubleOptIn: 'disabled' } });
    assert.equal(direct.statusCode, 200, direct.body);
    const bob = await book(host, start, 'bob@example.com');
    assert.equal(bob.statusCode, 201, bob.body);
    assert.equal(bob.json().appointmentId, held.appointment_id);
    assert.equal((await session(held.appointment_id)).status, 'active', 'a confirmed seat makes the session a booking');
    const shown = (await host.api.get(`/v4/appointment/${held.appointment_id}`)).json();
    assert.deepEqual(shown.attendees.map((a: { email: string }) => a.email), ['bob@example.com'], 'the held seat is not shown as an attendee');
    const events = await created(held.appointment_id);
    assert.equal(events.length, 1);
    assert.equal((events[0]!.payload as { data: { attendeeId: string } }).data.attendeeId, bob.json().attendeeId);

    // Full: the held seat counts.
    assert.equal(await offered(host, start), undefined);
    const third = await book(host, start, 'carl@example.com');
    assert.equal(third.statusCode, 400);
    assert.equal(third.json().message, 'The selected time slot is no longer available');

    // Not due yet: nothing changes. Due: the held seat is freed, Bob keeps his.
    clock.advance(24 * 3600_000 - 1000);
    await t.services.provisional.expireDue();
    assert.equal((await holdRow(heldId)).status, 'pending');
    clock.advance(2000);
    assert.ok((await t.services.provisional.expireDue()).processed >= 1);
    assert.equal((await holdRow(heldId)).status, 'expired');
    assert.equal((await seatOf(held.attendee_id)).seat_status, 'expired');
    assert.deepEqual(await session(held.appointment_id), { status: 'active', taken_spots: 1, spots: 2 });
    assert.equal((await seatOf(bob.json().attendeeId)).seat_status, 'active');
    assert.equal((await offered(host, start))?.takenSpots, 1);
    const again = await book(host, start, 'carl@example.com');
    assert.equal(again.statusCode, 201, again.body);
    assert.equal(again.json().appointmentId, held.appointment_id);
    clock.set(NOW);
  });

  test('confirming two held seats: 2 attendees, one booking_created per attendee naming them, with their own secret', async () => {
    const host = await heldHost(2, { doubleOptIn: 'enabled' });
    const start = slot(2, '10:00');
    const ids = [await hold(host, start, 'dora@example.com'), await hold(host, start, 'emil@example.com')];
    const rows = await Promise.all(ids.map(holdRow));
    assert.equal(rows[0]!.appointment_id, rows[1]!.appointment_id, 'the second held seat joins the held session');
    const appointmentId = rows[0]!.appointment_id;
    assert.equal((await book(host, start, 'late@example.com')).statusCode, 400, 'two held seats fill two spots');
    for (const id of ids) {
      const confirmed = await t.services.provisional.confirmAsAttendee(await tokenOf(id), id);
      assert.equal(confirmed.status, 'confirmed');
    }
    const shown = (await host.api.get(`/v4/appointment/${appointmentId}`)).json();
    assert.equal(shown.status, 'confirmed');
    assert.deepEqual(shown.attendees.map((a: { email: string }) => a.email).sort(), ['dora@example.com', 'emil@example.com']);
    const events = (await created(appointmentId)).map((e) => e.payload as { data: { attendeeId: string }; secret: string });
    assert.deepEqual(events.map((e) => e.data.attendeeId), rows.map((r) => r.attendee_id));
    for (const event of events) {
      const seat = shown.attendees.find((a: { id: string }) => a.id === event.data.attendeeId);
      assert.equal(event.secret, seat.secret, "the event carries that seat's own secret");
    }
    assert.deepEqual(await session(appointmentId), { status: 'active', taken_spots: 2, spots: 2 });
  });

  test('host approval: declining one held seat frees it and leaves the other held seat pending; the last seat given up ends the held session', async () => {
    const host = await heldHost(2, { requireHostConfirmation: 'enabled' });
    const start = slot(3, '10:00');
    const [a, b] = [await hold(host, start, 'fay@example.com'), await hold(host, start, 'gus@example.com')];
    const declined = await host.api.post(`/v4/provisional-booking/${a}/decline`, { reason: 'Full already' });
    assert.equal(declined.statusCode, 200, declined.body);
    const rowA = await holdRow(a);
    assert.equal((await seatOf(rowA.attendee_id!)).seat_status, 'declined');
    assert.equal((await holdRow(b)).status, 'pending');
    assert.deepEqual(await session(rowA.appointment_id), { status: 'provisional', taken_spots: 1, spots: 2 });
    assert.equal((await offered(host, start))?.takenSpots, 1);
    // Declining the last held seat ends the session: hosts free, the start offered as new.
    assert.equal((await host.api.post(`/v4/provisional-booking/${b}/decline`, {})).statusCode, 200);
    assert.deepEqual(await session(rowA.appointment_id), { status: 'declined', taken_spots: 0, spots: 2 });
    assert.equal((await offered(host, start))?.takenSpots ?? 0, 0);
    const fresh = await hold(host, start, 'hal@example.com');
    assert.notEqual((await holdRow(fresh)).appointment_id, rowA.appointment_id);
    // Approving (host approval only) confirms the seat as a booking.
    const approved = await host.api.post(`/v4/provisional-booking/${fresh}/confirm`);
    assert.equal(approved.statusCode, 200, approved.body);
    const row = await holdRow(fresh);
    assert.equal((await created(row.appointment_id)).length, 1);
    assert.equal((await session(row.appointment_id)).status, 'active');
  });

  test('a confirmed seat moved with its own secret on a double opt-in type is moved at once, never held again', async () => {
    const host = await heldHost(3, { doubleOptIn: 'enabled' });
    const id = await hold(host, slot(4, '10:00'), 'ida@example.com');
    await t.services.provisional.confirmAsAttendee(await tokenOf(id), id);
    const from = await holdRow(id);
    const seat = (await host.api.get(`/v4/appointment/${from.appointment_id}`)).json().attendees[0];
    const res = await t.app.inject({
      method: 'POST',
      url: '/booking/confirm/reschedule/',
      payload: { appointmentId: from.appointment_id, secret: seat.secret, start: slot(4, '14:00') },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.ok(res.json().appointmentId);
    assert.equal((await session(res.json().appointmentId)).status, 'active');
    const holds = await t.handle.db.selectFrom('provisional_bookings').select('id').where('meeting_type_id', '=', host.meetingTypeId).execute();
    assert.equal(holds.length, 1, 'no new hold was written for the move');
  });
});
