// End to end, as a receiver written from seed 003's Express example and an attendee's mailbox see
// it: a booking made over HTTP arrives as a signed webhook and an invitation; a reschedule and a
// cancellation follow with the documented fields, the same UID and a rising SEQUENCE.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import type { EventWorkers } from '../../src/outbox/outbox.workers.ts';
import { type TestApp, type TestCompany, startTestApp } from '../helpers/app.ts';
import { type TestHost, bookingBody, newHost, parseIcs, slot, testClock } from '../helpers/bookings.ts';
import { type Received, eventually, startReceiver, subscribeToBookingEvents } from '../helpers/receiver.ts';
import { type Captured, partOf, startSmtp } from '../helpers/smtp.ts';
import { startWorkers } from '../helpers/workers.ts';

let t: TestApp;
let workers: EventWorkers;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let company: TestCompany;
let host: TestHost;
let signingSecret: string;

before(async () => {
  smtp = await startSmtp();
  receiver = await startReceiver();
  t = await startTestApp({ clock: testClock(), env: { SMTP_URL: smtp.url, TERMIN_WEBHOOK_RETRY_SCHEDULE: '100ms,200ms' } });
  workers = await startWorkers(t);
  company = await t.newCompany('End to end');
  host = await newHost(t, company);
  signingSecret = await subscribeToBookingEvents(host, receiver.url);
});
after(async () => {
  await workers.stop();
  await t.close();
  await receiver.close();
  await smtp.close();
});

function verified(received: Received) {
  new Webhook(signingSecret).verify(received.body, received.headers as Record<string, string>);
  return received.json;
}

async function nextWebhook(count: number): Promise<Received['json']> {
  const all = await receiver.waitFor(count, 10_000);
  return verified(all[count - 1]!);
}

async function mailsTo(address: string, count: number): Promise<Captured[]> {
  return eventually(async () => {
    const found = smtp.messages.filter((m) => m.to.includes(address));
    return found.length >= count ? found : undefined;
  }, 10_000, `${count} mails to ${address}`);
}

const invitationOf = (mail: Captured) => parseIcs(partOf(mail, 'text/calendar')!.body);

describe('a booking seen from outside', () => {
  const attendee = 'lena@example.com';
  let appointmentId: string;
  let uid: string;

  test('booking_created reaches the receiver signed, with the appointment as GET shows it; the attendee gets a German invitation', async () => {
    const booked = await host.api.post(
      '/v4/booking',
      bookingBody(host, slot(1, '10:00'), {
        attendee: { email: attendee, firstname: 'Lena', lastname: 'Weber', language: 'de', timezone: 'Europe/Berlin' },
      }),
    );
    assert.equal(booked.statusCode, 201, booked.body);
    appointmentId = booked.json().appointmentId;

    const body = await nextWebhook(1);
    assert.equal(body.event, 'booking_created');
    assert.equal(body.webhookType, 'booking_created');
    assert.equal(body.data.id, appointmentId);
    const shown = (await host.api.get(`/v4/appointment/${appointmentId}`)).json();
    assert.equal(body.data.start, shown.start);
    assert.deepEqual(body.data.attendees, shown.attendees);
    assert.deepEqual(body.data.hosts, shown.hosts);

    const [invite] = await mailsTo(attendee, 1);
    assert.match(invite!.mime.headers.subject!, /Bestätigt|Termin/);
    const ics = invitationOf(invite!);
    assert.equal(ics.method, 'REQUEST');
    assert.equal(ics.start, '2030-01-08T09:00:00.000Z');
    uid = ics.uid;
    const hostMail = await mailsTo(shown.hosts[0].email, 1);
    assert.equal(hostMail.length, 1);
  });

  test('booking_rescheduled carries the moved appointment and the old times; the invitation updates in place', async () => {
    const moved = await host.api.post(`/v4/appointment/${appointmentId}/reschedule`, { start: slot(2, '14:00') });
    assert.equal(moved.statusCode, 200, moved.body);
    const body = await nextWebhook(2);
    assert.equal(body.event, 'booking_rescheduled');
    const data = body.data as { rescheduledAppointment: { id: string; start: string }; oldStartDate: string; oldEndDate: string };
    assert.equal(data.rescheduledAppointment.id, appointmentId);
    assert.equal(data.rescheduledAppointment.start, '2030-01-09T13:00:00.000Z');
    assert.equal(new Date(data.oldStartDate).toISOString(), '2030-01-08T09:00:00.000Z');
    assert.equal(new Date(data.oldEndDate).toISOString(), '2030-01-08T09:30:00.000Z');
    const mails = await mailsTo(attendee, 2);
    const ics = invitationOf(mails[1]!);
    assert.equal(ics.method, 'REQUEST');
    assert.equal(ics.uid, uid);
    assert.ok(ics.sequence > 0);
  });

  test('booking_cancelled carries cancel.reason; the calendar gets METHOD:CANCEL; a repeated cancel sends nothing', async () => {
    // Seed 003's cancelBooking: DELETE with a JSON content type and a reason.
    const res = await host.api.delete(`/v4/appointment/${appointmentId}`, { reason: 'Customer requested', notifyAttendees: true });
    assert.equal(res.statusCode, 200, res.body);
    const body = await nextWebhook(3);
    assert.equal(body.event, 'booking_cancelled');
    assert.equal(body.data.id, appointmentId);
    assert.equal((body.data.cancel as { reason: string }).reason, 'Customer requested');
    const mails = await mailsTo(attendee, 3);
    const ics = invitationOf(mails[2]!);
    assert.equal(ics.method, 'CANCEL');
    assert.equal(ics.status, 'CANCELLED');
    assert.equal(ics.uid, uid);

    const again = await host.api.delete(`/v4/appointment/${appointmentId}`, { reason: 'Again' });
    assert.equal(again.statusCode, 200);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(receiver.received.length, 3);
    assert.equal(smtp.messages.filter((m) => m.to.includes(attendee)).length, 3);
  });
});
