// The seeds' client code, unchanged but for the base URL, against a listening Termin over real
// HTTP (fetch). The server runs on the system clock because the seeds compute dates from now.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { type TestApp, type TestCompany, client, startTestApp } from '../helpers/app.ts';
import { insertAppointment } from '../helpers/appointments.factory.ts';

let t: TestApp;
let acme: TestCompany;
let BASE: string;
let API_KEY: string;
let userId: string;
let meetingTypeId: string;

before(async () => {
  t = await startTestApp();
  acme = await t.newCompany('Acme');
  API_KEY = acme.apiKey;
  const res = await client(t.app, API_KEY).post('/v4/user', {
    email: `seed-${randomUUID()}@example.com`,
    givenName: 'John',
    familyName: 'Smith',
    timezone: 'Europe/Berlin',
  });
  ({ userId, meetingTypeId } = res.json());
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  BASE = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
after(() => t.close());

// ---- seed 003 (developer-docs/sdks), verbatim but for baseUrl ----
class MeetergoClient {
  apiKey: string;
  baseUrl: string;
  constructor(apiKey: string) {
    this.apiKey = apiKey;
    this.baseUrl = 'https://api.meetergo.com/v4';
  }
  // biome-ignore lint/suspicious/noExplicitAny: the seed's untyped client
  async request(method: string, path: string, userId: string | null = null, body: any = null) {
    const headers: Record<string, string> = {
      Authorization: `Bearer ${this.apiKey}`,
      'Content-Type': 'application/json',
    };
    if (userId) {
      headers['x-meetergo-api-user-id'] = userId;
    }
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!response.ok) {
      const error = await response.json().catch(() => ({}));
      throw new Error(error.message || `HTTP ${response.status}`);
    }
    return response.json();
  }
  async getAvailability(meetingTypeId: string, startDate: string, endDate: string, userId: string) {
    const params = new URLSearchParams({ meetingTypeId, start: startDate, end: endDate });
    return this.request('GET', `/booking-availability?${params}`, userId);
  }
  async createBooking(meetingTypeId: string, start: string, attendee: object, userId: string) {
    return this.request('POST', '/booking', userId, { meetingTypeId, start, attendee });
  }
}

async function bookAppointment() {
  const client = new MeetergoClient(API_KEY);
  client.baseUrl = `${BASE}/v4`;
  const today = new Date().toISOString().split('T')[0]!;
  const nextWeek = new Date(Date.now() + 7 * 86400000).toISOString().split('T')[0]!;
  const availability = await client.getAvailability(meetingTypeId, today, nextWeek, userId);
  if (!availability.availableSlots?.length) {
    throw new Error('No available slots');
  }
  const slot = availability.availableSlots[0];
  const booking = await client.createBooking(
    meetingTypeId,
    slot.start,
    { email: 'client@example.com', fullname: 'Client Name', phone: '+1234567890' },
    userId,
  );
  return booking;
}

// ---- seed 000 (core-concepts/rescheduling), verbatim but for the host ----
const headers = () => ({ Authorization: `Bearer ${API_KEY}`, 'Content-Type': 'application/json', 'x-meetergo-api-user-id': userId });

async function getBooking(appointmentId: string) {
  const response = await fetch(`${BASE}/v4/appointment/${appointmentId}`, {
    headers: { Authorization: `Bearer ${API_KEY}`, 'x-meetergo-api-user-id': userId },
  });
  return response.json();
}

async function cancelBooking(appointmentId: string, reason: string) {
  return fetch(`${BASE}/v4/appointment/${appointmentId}`, {
    method: 'DELETE',
    headers: headers(),
    body: JSON.stringify({ reason, notifyAttendees: true }),
  });
}

async function rescheduleBooking(oldBookingId: string, newStart: string) {
  const oldBooking = await getBooking(oldBookingId);
  const newBooking = await fetch(`${BASE}/v4/booking`, {
    method: 'POST',
    headers: headers(),
    body: JSON.stringify({
      meetingTypeId: oldBooking.meetingTypeId,
      start: newStart,
      hostIds: oldBooking.hosts.map((h: { id: string }) => h.id),
      attendee: { email: oldBooking.attendees[0].email, fullname: oldBooking.attendees[0].fullname, phone: oldBooking.attendees[0].phone },
      rescheduledFromId: oldBookingId,
    }),
  });
  await cancelBooking(oldBookingId, 'Rescheduled to new time');
  return newBooking.json();
}

async function cancelBookingsInRange(userId: string, startDate: string, endDate: string, reason: string) {
  const response = await fetch(
    `${BASE}/v4/appointment/paginated?${new URLSearchParams({ page: '1', pageSize: '100', userId, startDate, endDate })}`,
    { headers: headers() },
  );
  const { appointments } = await response.json();
  const results = await Promise.allSettled(
    appointments.map((apt: { id: string }) =>
      fetch(`${BASE}/v4/appointment/${apt.id}`, { method: 'DELETE', headers: headers(), body: JSON.stringify({ reason, notifyAttendees: true }) }),
    ),
  );
  return { results, appointments };
}

async function slotsAhead(): Promise<{ start: string }[]> {
  const params = new URLSearchParams({
    meetingTypeId,
    start: new Date().toISOString().split('T')[0]!,
    end: new Date(Date.now() + 14 * 86400000).toISOString().split('T')[0]!,
    existingAppointmentId: randomUUID(),
  });
  const res = await fetch(`${BASE}/v4/booking-availability?${params}`, { headers: headers() });
  return (await res.json()).availableSlots;
}

describe('seeds against a listening server', () => {
  test('seed 003: MeetergoClient books the first available slot and reads booking.id and meetingLink', async () => {
    const booking = await bookAppointment();
    assert.ok(booking.id);
    assert.equal(booking.appointmentId, booking.id);
    assert.ok('meetingLink' in booking);
    const stored = await getBooking(booking.id);
    assert.equal(stored.attendees[0].fullname, 'Client Name');
  });

  test('seed 003: cancelBooking with JSON headers and no body answers JSON', async () => {
    const booking = await bookAppointment();
    const response = await fetch(`${BASE}/v4/appointment/${booking.id}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${API_KEY}`, 'Content-Type': 'application/json', 'x-meetergo-api-user-id': userId },
      body: undefined,
    });
    assert.equal(response.ok, true);
    assert.equal((await response.json()).isCancelled, true);
  });

  test('seed 000: rescheduleBooking books the new time, cancels the old one, and the explicit cancel is harmless', async () => {
    const [first, , third] = await slotsAhead();
    const old = await (
      await fetch(`${BASE}/v4/booking`, {
        method: 'POST',
        headers: headers(),
        body: JSON.stringify({ meetingTypeId, start: first!.start, attendee: { email: 'jane@example.com', fullname: 'Jane Doe' } }),
      })
    ).json();
    const fresh = await rescheduleBooking(old.appointmentId, third!.start);
    assert.ok(fresh.appointmentId, JSON.stringify(fresh));
    const oldNow = await getBooking(old.appointmentId);
    assert.equal(oldNow.isCancelled, true);
    assert.equal(oldNow.rescheduledToId, fresh.appointmentId);
    assert.equal((await getBooking(fresh.appointmentId)).isCancelled, false);
  });

  test('seed 000: cancelBookingsInRange asks for page 1 of 100, which (0-based, as the live API) is the second hundred', async () => {
    // The snippet's page=1 with pageSize=100 skips the first hundred, on meetergo as here. A hundred
    // appointments that just ended fill the first page; the snippet cancels what follows them.
    const now = Date.now();
    const firstHundred: string[] = [];
    for (let i = 100; i >= 1; i--) {
      const start = new Date(now - i * 2000);
      firstHundred.push(
        await insertAppointment(t.handle.db, { companyId: acme.companyId, meetingTypeId, hostIds: [userId], start, end: new Date(start.getTime() + 1000) }),
      );
    }
    const slots = await slotsAhead();
    for (const s of slots.slice(0, 3)) {
      const res = await fetch(`${BASE}/v4/booking`, {
        method: 'POST',
        headers: headers(),
        body: JSON.stringify({ meetingTypeId, start: s.start, attendee: { email: 'bulk@example.com' } }),
      });
      assert.equal(res.status, 201);
    }
    const startDate = new Date().toISOString().split('T')[0]!;
    const endDate = new Date(Date.now() + 30 * 86400000).toISOString().split('T')[0]!;
    const { results, appointments } = await cancelBookingsInRange(userId, startDate, endDate, 'Host unavailable');
    assert.ok(appointments.length >= 3);
    assert.ok(appointments.every((a: { id: string }) => !firstHundred.includes(a.id)), 'page 1 is the second hundred');
    assert.ok(results.every((r) => r.status === 'fulfilled' && r.value.ok));
    const after = await (await fetch(`${BASE}/v4/appointment/paginated?page=0&pageSize=100&status=upcoming`, { headers: headers() })).json();
    assert.equal(after.total, 0);
    const untouched = await (await fetch(`${BASE}/v4/appointment/paginated?page=0&pageSize=100`, { headers: headers() })).json();
    assert.deepEqual(untouched.appointments.map((a: { id: string }) => a.id), firstHundred);
    assert.ok(untouched.appointments.every((a: { isCancelled: boolean }) => !a.isCancelled));
    // The fixtures leave again, so the later seed 001 list is not crowded out by them.
    await t.handle.db.deleteFrom('appointment_hosts').where('appointment_id', 'in', firstHundred).execute();
    await t.handle.db.deleteFrom('appointments').where('id', 'in', firstHundred).execute();
  });

  test('seed 000: notes, guests, no-show, and the self-service reschedule link from companySlug/meetingTypeSlug', async () => {
    const [s] = await slotsAhead();
    const booked = await (
      await fetch(`${BASE}/v4/booking`, {
        method: 'POST',
        headers: headers(),
        body: JSON.stringify({ meetingTypeId, start: s!.start, attendee: { email: 'jane@example.com', fullname: 'Jane Doe' } }),
      })
    ).json();
    const appointmentId = booked.appointmentId;
    const notes = await fetch(`${BASE}/v4/appointment/${appointmentId}/notes`, {
      method: 'PATCH',
      headers: headers(),
      body: JSON.stringify({ notes: 'Customer mentioned they need accessibility accommodations' }),
    });
    assert.equal(notes.status, 200);
    const guests = await fetch(`${BASE}/v4/appointment/${appointmentId}/guests`, {
      method: 'PATCH',
      headers: headers(),
      body: JSON.stringify({ guestEmails: ['guest1@example.com', 'guest2@example.com'] }),
    });
    assert.equal(guests.status, 200);
    const guestEmail = 'guest1@example.com';
    const removed = await fetch(`${BASE}/v4/appointment/${appointmentId}/guest/${encodeURIComponent(guestEmail)}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${API_KEY}`, 'x-meetergo-api-user-id': userId },
    });
    assert.equal(removed.status, 200);
    const booking = await getBooking(appointmentId);
    assert.equal(booking.note, 'Customer mentioned they need accessibility accommodations');
    assert.deepEqual(booking.attendees[0].bringalongEmails, ['guest2@example.com']);
    const attendeeId = booking.attendees[0].id;
    const noShow = await fetch(`${BASE}/v4/attendee/${attendeeId}/no-show`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${API_KEY}`, 'x-meetergo-api-user-id': userId },
    });
    assert.equal(noShow.ok, true);
    // generateRescheduleLink, verbatim: both slugs must be real words, not "undefined".
    function generateRescheduleLink(booking: { id: string; companySlug: string; meetingTypeSlug: string; attendees: { email: string }[] }) {
      const baseUrl = 'https://cal.meetergo.com';
      const params = new URLSearchParams({ reschedule: booking.id, email: booking.attendees[0]!.email });
      return `${baseUrl}/${booking.companySlug}/${booking.meetingTypeSlug}?${params}`;
    }
    const link = generateRescheduleLink(booking);
    assert.doesNotMatch(link, /undefined|null/);
    const meetingType = await (await fetch(`${BASE}/v4/meeting-type/${meetingTypeId}`, { headers: headers() })).json();
    assert.ok(link.includes(`/${booking.companySlug}/${meetingType.slug}?`));
    // cancelWithRefund reads booking.payment?.status: absent, so no refund, then cancels.
    assert.equal(booking.payment?.status, undefined);
    assert.equal(booking.secret, booked.secret, 'the stored secret is the one the booking answered');
  });

  test('seed 003: verifyApiKey (GET /user/me without the user header) and createUser', async () => {
    const response = await fetch(`${BASE}/v4/user/me`, { headers: { Authorization: `Bearer ${API_KEY}`, 'Content-Type': 'application/json' } });
    assert.equal(response.ok, true);
    assert.ok((await response.json()).email);
    const created = await fetch(`${BASE}/v4/user`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${API_KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: `john-${randomUUID()}@example.com`, givenName: 'John', familyName: 'Doe', timezone: 'Europe/Berlin' }),
    });
    assert.equal(created.ok, true);
    const user = await created.json();
    assert.ok(user.userId);
    assert.ok(user.bookingUrl);
  });

  test('seed 001: book without user header, self-service reschedule and cancel with the secret, list with limit', async () => {
    const [s] = await slotsAhead();
    const booked = await fetch(`${BASE}/v4/booking`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${API_KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ meetingTypeId, start: s!.start, hostIds: [userId], attendee: { email: 'jane@example.com', firstname: 'Jane', lastname: 'Doe' } }),
    });
    assert.equal(booked.status, 201);
    const { appointmentId, secret } = await booked.json();
    const later = (await slotsAhead())[2]!;
    const moved = await fetch(`${BASE}/booking/confirm/reschedule/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ appointmentId, secret, start: later.start }),
    });
    assert.equal(moved.status, 200);
    const rotated = await moved.json();
    assert.equal(rotated.appointmentId, appointmentId);
    const list = await fetch(`${BASE}/v4/appointment/paginated/?page=1&limit=20`, {
      headers: { Authorization: `Bearer ${API_KEY}`, 'x-meetergo-api-user-id': userId },
    });
    assert.ok((await list.json()).appointments.some((a: { id: string }) => a.id === appointmentId));
    const cancelled = await fetch(`${BASE}/booking/confirm/cancel/${appointmentId}/${rotated.secret}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ cancellationReason: 'Schedule conflict' }),
    });
    assert.equal(cancelled.status, 200);
    assert.equal((await getBooking(appointmentId)).cancel.reason, 'Schedule conflict');
  });
  test('seed 001 (Round-Robin Bookings): the documented body with queueId books one member of the team', async () => {
    const api = client(t.app, API_KEY);
    const second = (await api.post('/v4/user', { email: `rr-${randomUUID()}@example.com`, givenName: 'Jane', familyName: 'Roe', timezone: 'Europe/Berlin' })).json();
    const team = await api.as(userId).post('/v4/meeting-type', {
      meetingInfo: { name: 'Team intro', description: '', duration: 30, channel: 'google_meet' },
      queueType: 'simpleRoundRobin',
    });
    const { id: teamTypeId, queueId } = team.json();
    assert.equal((await api.as(userId).patch(`/v4/queue/meeting-type/${teamTypeId}`, { userId: second.userId })).statusCode, 200);
    const params = new URLSearchParams({
      meetingTypeId: teamTypeId,
      queueId,
      start: new Date().toISOString().split('T')[0]!,
      end: new Date(Date.now() + 14 * 86400000).toISOString().split('T')[0]!,
    });
    const slots = (await (await fetch(`${BASE}/v4/booking-availability?${params}`, { headers: headers() })).json()).availableSlots;
    // ---- seed 001, verbatim but for the ids and the start ----
    const response = await fetch(`${BASE}/v4/booking`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${API_KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        meetingTypeId: teamTypeId,
        start: slots[0].start,
        queueId,
        attendee: {
          email: 'jane@example.com',
        },
      }),
    });
    assert.equal(response.status, 201);
    const { appointmentId, secret } = await response.json();
    assert.ok(secret);
    const booked = await getBooking(appointmentId);
    assert.equal(booked.hostIds.length, 1);
    assert.ok([userId, second.userId].includes(booked.hostIds[0]));
    assert.equal(booked.roundRobinEntries[0].queueId, queueId);
  });
});
