// Double opt-in and host approval over HTTP with real emails (issue 12): the booking answers
// seed 001's `{ bookingType, provisionalBookingId }` and holds the slot; nothing is announced until
// the last confirmation; decline and expiry free the slot and tell the attendee.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fixedClock } from '../../src/lib/clock.ts';
import type { EventWorkers } from '../../src/outbox/outbox.workers.ts';
import { type TestApp, type TestCompany, startTestApp } from '../helpers/app.ts';
import { NOW, type TestHost, bookingBody, slot } from '../helpers/bookings.ts';
import { holdingHost, linkIn } from '../helpers/provisional.ts';
import { eventually, startReceiver } from '../helpers/receiver.ts';
import { type Captured, partOf, startSmtp } from '../helpers/smtp.ts';
import { startWorkers } from '../helpers/workers.ts';

const clock = fixedClock(NOW);
let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let workers: EventWorkers;
let acme: TestCompany;
let n = 0;

before(async () => {
  smtp = await startSmtp();
  t = await startTestApp({ clock, env: { SMTP_URL: smtp.url } });
  workers = await startWorkers(t);
  acme = await t.newCompany('Acme');
});
after(async () => {
  await workers?.stop();
  await t?.close();
  await smtp?.close();
});

const attendee = (extra: Record<string, unknown> = {}) => ({ email: `jane${++n}@example.com`, fullname: 'Jane Doe', ...extra });

async function mailTo(address: string, subject: RegExp): Promise<Captured> {
  return eventually(async () => smtp.messages.find((m) => m.to.includes(address) && subject.test(m.mime.headers.subject ?? '')), 8000, `mail to ${address} ${subject}`);
}

async function offered(host: TestHost, start: string): Promise<boolean> {
  const res = await host.api.get(`/v4/booking-availability?meetingTypeId=${host.meetingTypeId}&hostIds=${host.userId}&start=2030-01-08&end=2030-01-12&timezone=Europe/Berlin`);
  assert.equal(res.statusCode, 200, res.body);
  return (res.json().availableSlots as { start: string }[]).some((s) => Date.parse(s.start) === Date.parse(start));
}

async function eventsOf(type: string) {
  return t.handle.db.selectFrom('outbox_events').select(['subject_id', 'payload']).where('type', '=', type).where('company_id', '=', acme.companyId).execute();
}

async function holdOf(host: TestHost, id: string) {
  const res = await host.api.get('/v4/provisional-booking/paginated?all=true&pageSize=100');
  return (res.json().provisionalBookings as { id: string; status: string; appointmentId: string | null }[]).find((p) => p.id === id)!;
}

describe('double opt-in', () => {
  test('books as seed 001 answers, holds the slot, announces nothing; the emailed page confirms; a reused token is the unknown 404', async () => {
    const host = await holdingHost(t, acme, { doubleOptIn: 'enabled' });
    const start = slot(1, '10:00');
    const who = attendee({ language: 'de', timezone: 'Europe/Berlin' });
    const res = await host.api.post('/v4/booking', bookingBody(host, start, { attendee: who }));
    assert.equal(res.statusCode, 201, res.body);
    const body = res.json();
    assert.deepEqual(Object.keys(body).sort(), ['bookingType', 'provisionalBookingId']);
    assert.equal(body.bookingType, 'DoubleOptIn');

    // Held: not offered, a competitor refused, no appointment, no booking_created, no reminder.
    assert.equal(await offered(host, start), false);
    const rival = await host.api.post('/v4/booking', bookingBody(host, start, { attendee: attendee() }));
    assert.equal(rival.statusCode, 400);
    assert.equal(rival.json().message, 'The selected time slot is no longer available');
    const list = await host.api.get(`/v4/appointment/paginated?pageSize=50&userId=${host.userId}`);
    assert.equal(list.json().total, 0);
    const appointmentId = (await t.handle.db.selectFrom('provisional_bookings').select('appointment_id').where('id', '=', body.provisionalBookingId).executeTakeFirstOrThrow()).appointment_id;
    assert.equal((await host.api.get(`/v4/appointment/${appointmentId}`)).statusCode, 404);
    assert.equal((await eventsOf('booking_created')).filter((e) => e.subject_id === appointmentId).length, 0);
    assert.equal((await eventsOf('provisional_booking_created')).filter((e) => e.subject_id === body.provisionalBookingId).length, 1);

    // The email: German, Berlin time, a link to the confirmation page.
    const mail = await mailTo(who.email, /^Bitte bestätigen: /);
    assert.match(mail.mime.headers.subject!, /8\. Januar 2030.*10:00/);
    const link = linkIn(mail, '/booking/confirm/double-opt-in');
    const token = link.slice(link.lastIndexOf('/') + 1);
    // The token rode on the event only until its email was sent; nothing keeps it readable.
    await eventually(async () => {
      const events = await t.handle.db.selectFrom('outbox_events').select('payload').where('subject_id', '=', body.provisionalBookingId).execute();
      return events.every((e) => !JSON.stringify(e.payload).includes(token)) ? true : undefined;
    }, 8000, 'token scrubbed from the event');
    const stored = await t.handle.db.selectFrom('provisional_bookings').selectAll().where('id', '=', body.provisionalBookingId).executeTakeFirstOrThrow();
    assert.ok(!JSON.stringify(stored).includes(token), 'only the hash is stored');

    // A mail scanner fetching the link changes nothing.
    const page = await t.app.inject({ method: 'GET', url: link });
    assert.equal(page.statusCode, 200);
    assert.match(page.headers['content-security-policy'] as string, /form-action 'self'/);
    assert.match(page.body, /<form method="post">/);
    assert.equal((await holdOf(host, body.provisionalBookingId)).status, 'pending');

    const confirmed = await t.app.inject({ method: 'POST', url: link, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: '' });
    assert.equal(confirmed.statusCode, 200, confirmed.body);
    const hold = await holdOf(host, body.provisionalBookingId);
    assert.equal(hold.status, 'confirmed');
    assert.equal(hold.appointmentId, appointmentId);

    // Now exactly a direct booking: visible, booking_created, the invitation, reminders planned.
    const appointment = await host.api.get(`/v4/appointment/${appointmentId}`);
    assert.equal(appointment.statusCode, 200);
    assert.equal(Date.parse(appointment.json().start), Date.parse(start));
    assert.equal((await eventsOf('booking_created')).filter((e) => e.subject_id === appointmentId).length, 1);
    const invitation = await mailTo(who.email, /^Bestätigt: /);
    assert.ok(partOf(invitation, 'text/calendar'), 'the invitation carries the ICS');
    assert.ok(partOf(invitation, 'text/plain')!.body.includes(`/booking/confirm/cancel/${appointmentId}/`), 'self-service links as for a direct booking');
    await eventually(async () => ((await t.handle.db.selectFrom('reminders').select('id').where('appointment_id', '=', appointmentId).execute()).length > 0 ? true : undefined), 8000, 'reminders');

    // Reused token and unknown id: the same 404.
    const reused = await t.app.inject({ method: 'POST', url: link, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: '' });
    const unknown = await t.app.inject({ method: 'POST', url: link.replace(/double-opt-in\/[^/]+/, `double-opt-in/${crypto.randomUUID()}`), headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: '' });
    const wrong = await t.app.inject({ method: 'GET', url: `${link.slice(0, link.lastIndexOf('/'))}/not-the-token` });
    assert.equal(reused.statusCode, 404);
    assert.equal(unknown.statusCode, 404);
    assert.equal(wrong.statusCode, 404);
    assert.equal(reused.body, unknown.body);
    assert.equal(wrong.body, unknown.body);
  });

  test('an unconfirmed hold expires on time: the slot is free again, the attendee is told, confirming later answers 410', async () => {
    const host = await holdingHost(t, acme, { doubleOptIn: 'enabled' });
    const start = slot(2, '11:00');
    const who = attendee();
    const res = await host.api.post('/v4/booking', bookingBody(host, start, { attendee: who }));
    const { provisionalBookingId } = res.json();
    const link = linkIn(await mailTo(who.email, /^Please confirm: /), '/booking/confirm/double-opt-in');

    // Not yet due: the worker leaves it alone.
    clock.advance(23 * 3600_000);
    await t.services.provisional.expireDue();
    assert.equal((await holdOf(host, provisionalBookingId)).status, 'pending');
    assert.equal(await offered(host, start), false);

    clock.advance(3600_000 + 1000);
    const run = await t.services.provisional.expireDue();
    assert.ok(run.processed >= 1);
    assert.equal((await holdOf(host, provisionalBookingId)).status, 'expired');
    assert.equal(await offered(host, start), true);
    await mailTo(who.email, /^Expired: /);

    const page = await t.app.inject({ method: 'GET', url: link });
    assert.equal(page.statusCode, 410);
    assert.match(page.body, /expired/);
    const late = await t.app.inject({ method: 'POST', url: link, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: '' });
    assert.equal(late.statusCode, 410);
    const api = await host.api.post(`/v4/provisional-booking/${provisionalBookingId}/confirm`);
    assert.equal(api.statusCode, 410);
    assert.equal(api.json().code, 'gone');
    // The freed slot books directly.
    const again = await host.api.post('/v4/booking', bookingBody(host, start, { attendee: attendee() }));
    assert.equal(again.statusCode, 201, again.body);
    assert.equal(again.json().bookingType, 'DoubleOptIn');
    clock.set(NOW);
  });

  test('a hold past its expiry is refused with 410 even before the worker runs, and released right then', async () => {
    const host = await holdingHost(t, acme, { doubleOptIn: 'enabled' });
    const start = slot(3, '09:00');
    const who = attendee();
    const { provisionalBookingId } = (await host.api.post('/v4/booking', bookingBody(host, start, { attendee: who }))).json();
    const link = linkIn(await mailTo(who.email, /^Please confirm: /), '/booking/confirm/double-opt-in');
    clock.advance(24 * 3600_000 + 1);
    const late = await t.app.inject({ method: 'POST', url: link, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: '' });
    assert.equal(late.statusCode, 410);
    assert.equal((await holdOf(host, provisionalBookingId)).status, 'expired');
    clock.set(NOW);
    assert.equal(await offered(host, start), true);
  });
});

describe('host approval', () => {
  test('both enabled: the host approves first (API), then the attendee confirms by email', async () => {
    const host = await holdingHost(t, acme, { doubleOptIn: 'enabled', requireHostConfirmation: 'enabled' });
    const start = slot(1, '14:00');
    const who = attendee();
    const res = await host.api.post('/v4/booking', bookingBody(host, start, { attendee: who }));
    assert.equal(res.statusCode, 201, res.body);
    assert.deepEqual(res.json(), { bookingType: 'requireHostConfirmation', provisionalBookingId: res.json().provisionalBookingId });
    const id = res.json().provisionalBookingId as string;
    const hostEmail = (await t.handle.db.selectFrom('users').select('email').where('id', '=', host.userId).executeTakeFirstOrThrow()).email;
    const approval = await mailTo(hostEmail, /^Approval needed: /);
    assert.match(partOf(approval, 'text/plain')!.body, /Jane Doe/);
    linkIn(approval, '/booking/host-approval');
    assert.equal(smtp.messages.filter((m) => m.to.includes(who.email)).length, 0, 'the attendee waits for the host');

    const approved = await host.api.post(`/v4/provisional-booking/${id}/confirm`);
    assert.equal(approved.statusCode, 200, approved.body);
    assert.equal(approved.json().provisionalBooking.status, 'pending');
    assert.equal(approved.json().provisionalBooking.awaiting, 'attendee');
    assert.equal((await host.api.post(`/v4/provisional-booking/${id}/confirm`)).statusCode, 409, 'the host step is done');
    assert.equal(await offered(host, start), false);

    const link = linkIn(await mailTo(who.email, /^Please confirm: /), '/booking/confirm/double-opt-in');
    const done = await t.app.inject({ method: 'POST', url: link, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: '' });
    assert.equal(done.statusCode, 200);
    assert.equal((await holdOf(host, id)).status, 'confirmed');
    await mailTo(who.email, /^Confirmed: /);
    await mailTo(hostEmail, /^New booking: /);
  });

  test('the host approves through the emailed page; host approval alone confirms at once', async () => {
    const host = await holdingHost(t, acme, { requireHostConfirmation: 'enabled' });
    const start = slot(2, '14:00');
    const who = attendee();
    const res = await host.api.post('/v4/booking', bookingBody(host, start, { attendee: who }));
    const id = res.json().provisionalBookingId as string;
    const hostEmail = (await t.handle.db.selectFrom('users').select('email').where('id', '=', host.userId).executeTakeFirstOrThrow()).email;
    const link = linkIn(await mailTo(hostEmail, /^Approval needed: /), '/booking/host-approval');
    const page = await t.app.inject({ method: 'GET', url: link });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /name="decision" value="approve"/);
    assert.equal((await holdOf(host, id)).status, 'pending');
    const approved = await t.app.inject({ method: 'POST', url: link, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'decision=approve' });
    assert.equal(approved.statusCode, 200);
    const hold = await holdOf(host, id);
    assert.equal(hold.status, 'confirmed');
    assert.equal((await host.api.get(`/v4/appointment/${hold.appointmentId}`)).statusCode, 200);
    await mailTo(who.email, /^Confirmed: /);
    assert.equal((await t.app.inject({ method: 'GET', url: link })).statusCode, 404, 'a used link is the unknown 404');
  });

  test('decline frees the slot and tells the attendee the reason; a second decline is 409; another company gets 404', async () => {
    const host = await holdingHost(t, acme, { requireHostConfirmation: 'enabled' });
    const start = slot(3, '14:00');
    const who = attendee();
    const id = (await host.api.post('/v4/booking', bookingBody(host, start, { attendee: who }))).json().provisionalBookingId as string;
    const other = await t.newCompany('Other');
    const foreign = await t.app.inject({ method: 'POST', url: `/v4/provisional-booking/${id}/decline`, headers: { authorization: `Bearer ${other.apiKey}` }, payload: {} });
    assert.equal(foreign.statusCode, 404);
    const declined = await host.api.post(`/v4/provisional-booking/${id}/decline`, { reason: 'Fully booked that week' });
    assert.equal(declined.statusCode, 200, declined.body);
    assert.equal(declined.json().message, 'Successfully declined provisional booking');
    assert.equal(declined.json().provisionalBooking.status, 'declined_by_host');
    const notice = await mailTo(who.email, /^Declined: /);
    assert.match(partOf(notice, 'text/plain')!.body, /Fully booked that week/);
    assert.equal(await offered(host, start), true);
    assert.equal((await host.api.post(`/v4/provisional-booking/${id}/decline`, {})).statusCode, 409);
    assert.equal((await host.api.post(`/v4/provisional-booking/${id}/confirm`)).statusCode, 409);
  });
});

describe('settings and listing', () => {
  test('company defaults decide useCompanySettings, with their expiry; the listing filters by status, meeting type and user', async () => {
    const initial = await t.app.inject({ method: 'GET', url: '/v4/provisional-booking/settings', headers: { authorization: `Bearer ${acme.apiKey}` } });
    assert.deepEqual(initial.json(), { doubleOptIn: false, requireHostConfirmation: false, doubleOptInExpiryMinutes: 1440, hostConfirmationExpiryMinutes: 1440 });
    const host = await holdingHost(t, acme, { doubleOptIn: 'useCompanySettings' });
    const direct = await host.api.post('/v4/booking', bookingBody(host, slot(4, '09:00'), { attendee: attendee() }));
    assert.ok(direct.json().appointmentId, 'company default off: booked directly');

    const patched = await host.api.patch('/v4/provisional-booking/settings', { doubleOptIn: true, doubleOptInExpiryMinutes: 90 });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.equal(patched.json().doubleOptInExpiryMinutes, 90);
    const bad = await host.api.patch('/v4/provisional-booking/settings', { doubleOptInExpiryMinutes: 1 });
    assert.equal(bad.statusCode, 400);
    const held = await host.api.post('/v4/booking', bookingBody(host, slot(4, '10:00'), { attendee: attendee() }));
    assert.equal(held.json().bookingType, 'DoubleOptIn');

    const page = await host.api.get(`/v4/provisional-booking/paginated?pageSize=10&status=pending&meetingTypeId=${host.meetingTypeId}`);
    assert.equal(page.statusCode, 200, page.body);
    assert.equal(page.json().total, 1);
    const [item] = page.json().provisionalBookings;
    assert.equal(item.id, held.json().provisionalBookingId);
    assert.equal(item.type, 'doubleOptIn');
    assert.equal(item.meetingTypeId, host.meetingTypeId);
    assert.equal(item.hosts[0].id, host.userId);
    assert.equal(item.dto.meetingTypeId, host.meetingTypeId);
    assert.equal(item.queueBookingInfo, null);
    assert.equal(Date.parse(item.expiresAt) - Date.parse(NOW), 90 * 60_000);
    assert.equal((await host.api.get(`/v4/provisional-booking/paginated?pageSize=10&status=confirmed&meetingTypeId=${host.meetingTypeId}`)).json().total, 0);
    assert.equal((await host.api.get('/v4/provisional-booking/paginated?pageSize=10&userId=not-a-uuid')).statusCode, 404);
    await host.api.patch('/v4/provisional-booking/settings', { doubleOptIn: false });
  });

  test('webhooks: provisional_booking_created, then on confirmation provisional_booking_confirmed and booking_created; no token in any body', async () => {
    const company = await t.newCompany('Hooked');
    const host = await holdingHost(t, company, { doubleOptIn: 'enabled' });
    const receiver = await startReceiver();
    try {
      const eventTypes = ['booking_created', 'provisional_booking_created', 'provisional_booking_confirmed', 'provisional_booking_declined', 'provisional_booking_expired'];
      const sub = await host.api.post('/webhooks', { endpoint: receiver.url, eventTypes });
      assert.equal(sub.statusCode, 201, sub.body);
      const who = attendee();
      const id = (await host.api.post('/v4/booking', bookingBody(host, slot(4, '15:00'), { attendee: who }))).json().provisionalBookingId as string;
      const [first] = await receiver.waitFor(1, 8000);
      assert.equal(first!.json.webhookType, 'provisional_booking_created');
      assert.equal((first!.json as unknown as { id: string }).id, id);
      const link = linkIn(await mailTo(who.email, /^Please confirm: /), '/booking/confirm/double-opt-in');
      assert.ok(!first!.body.includes(link.slice(link.lastIndexOf('/') + 1)), 'the link token never reaches a webhook');
      assert.equal(receiver.received.length, 1, 'nothing else announced before confirmation');
      await t.app.inject({ method: 'POST', url: link, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: '' });
      const all = await receiver.waitFor(3, 8000);
      assert.deepEqual(all.map((r) => r.json.webhookType).sort(), ['booking_created', 'provisional_booking_confirmed', 'provisional_booking_created']);
    } finally {
      await receiver.close();
    }
  });
});

describe('round robin', () => {
  test('the queue chooses the host at booking and holds that host', async () => {
    const { newTeam } = await import('../helpers/teams.ts');
    const team = await newTeam(t, acme, 2, {}, { meetingOptions: { doubleOptIn: 'enabled' } });
    const start = slot(1, '16:00');
    const res = await team.api.post('/v4/booking', { meetingTypeId: team.meetingTypeId, start, queueId: team.queueId, attendee: attendee() });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().bookingType, 'DoubleOptIn');
    const hold = (await team.api.get('/v4/provisional-booking/paginated?all=true&pageSize=100&status=pending')).json().provisionalBookings.find(
      (p: { id: string }) => p.id === res.json().provisionalBookingId,
    );
    assert.equal(hold.hosts.length, 1);
    assert.ok(team.members.some((m) => m.userId === hold.hosts[0].id));
    assert.deepEqual(hold.queueBookingInfo.userIds, [hold.hosts[0].id]);
    assert.ok(hold.queueBookingInfo.selectionReason);
    const chosen = team.members.find((m) => m.userId === hold.hosts[0].id)!;
    const rival = await chosen.api.post('/v4/booking', { meetingTypeId: chosen.meetingTypeId, start, hostIds: [chosen.userId], attendee: attendee() });
    assert.equal(rival.statusCode, 400, 'the chosen host is held');
  });
});
