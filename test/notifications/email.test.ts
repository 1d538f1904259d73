import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { EventWorkers } from '../../src/outbox/outbox.workers.ts';
import { type TestApp, startTestApp } from '../helpers/app.ts';
import { type BookingCompany, newBookingCompany } from '../helpers/booking-company.ts';
import { appointmentJson, enqueueBookingEvent, rescheduledData } from '../helpers/events.factory.ts';
import { readInvitation } from '../helpers/ics.ts';
import { eventually } from '../helpers/receiver.ts';
import { type Captured, partOf, startSmtp } from '../helpers/smtp.ts';
import { startWorkers } from '../helpers/workers.ts';

let t: TestApp;
let workers: EventWorkers;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let co: BookingCompany;

// 15:00 UTC is 10:00 in New York (EST) and 16:00 in Berlin (CET).
const START = '2031-03-04T15:00:00.000Z';

before(async () => {
  smtp = await startSmtp();
  t = await startTestApp({ env: { SMTP_URL: smtp.url, TERMIN_WEBHOOK_RETRY_SCHEDULE: '100ms,200ms,300ms' } });
  workers = await startWorkers(t);
  co = await newBookingCompany(t, 'Mail company');
});
after(async () => {
  await workers.stop();
  await t.close();
  await smtp.close();
});

const unique = (name: string) => `${name}-${randomBytes(4).toString('hex')}@example.com`;

function appointment(attendee: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return appointmentJson({ companyId: co.company.companyId, meetingTypeId: co.meetingTypeId, host: co.host, start: START, title: 'Intro call', attendees: [attendee], ...extra });
}

async function mailsTo(address: string, count: number): Promise<Captured[]> {
  return eventually(async () => {
    const found = smtp.messages.filter((m) => m.to.includes(address));
    return found.length >= count ? found : undefined;
  }, 5000, `${count} mails to ${address}`);
}

const text = (m: Captured) => partOf(m, 'text/plain')!.body;
const html = (m: Captured) => partOf(m, 'text/html')!.body;
const invitation = (m: Captured) => readInvitation(partOf(m, 'text/calendar')!.body);

describe('booking confirmation', () => {
  test('the attendee gets text, HTML, the invitation (REQUEST) and links with the secret; the secret is scrubbed after', async () => {
    const email = unique('jane');
    const a = appointment({ email, fullname: 'Jane Client', timezone: 'America/New_York', language: 'en' });
    const secret = randomBytes(32).toString('base64url');
    const eventId = await enqueueBookingEvent(t.handle.db, 'booking_created', { ...a }, { companyId: co.company.companyId, subjectId: a.id, secret });
    const [mail] = await mailsTo(email, 1);
    assert.match(mail!.mime.headers.subject!, /^Confirmed: Intro call on Tuesday, March 4, 2031 at 10:00\s?AM \(America\/New_York\)$/);
    assert.match(text(mail!), /Hello Jane Client,/);
    assert.match(text(mail!), /https:\/\/meet\.example\.com\/abc-defg-hij/);
    assert.ok(text(mail!).includes(`http://termin.test/booking/confirm/cancel/${a.id}/${secret}`));
    assert.ok(text(mail!).includes(`http://termin.test/booking/confirm/reschedule/${a.id}/${secret}`));
    assert.ok(html(mail!).includes(`href="http://termin.test/booking/confirm/cancel/${a.id}/${secret}"`));
    const ics = invitation(mail!);
    assert.equal(ics.method, 'REQUEST');
    assert.equal(ics.uid, `${a.id}@termin.test`);
    assert.equal(ics.start, START);
    const stored = await eventually(async () => {
      const row = await t.handle.db.selectFrom('outbox_events').select('payload').where('event_id', '=', eventId).executeTakeFirstOrThrow();
      return 'secret' in row.payload ? undefined : row.payload;
    });
    assert.ok(!JSON.stringify(stored).includes(secret));
  });

  test('guests get the invitation without self-service links; the host gets a notice naming the attendee', async () => {
    const email = unique('main');
    const guest = unique('guest');
    const a = appointment({ email, fullname: 'Main Person', bringalongEmails: [guest] });
    const secret = randomBytes(32).toString('base64url');
    await enqueueBookingEvent(t.handle.db, 'booking_created', { ...a }, { companyId: co.company.companyId, subjectId: a.id, secret });
    const [guestMail] = await mailsTo(guest, 1);
    assert.ok(!text(guestMail!).includes(secret));
    assert.equal(invitation(guestMail!).method, 'REQUEST');
    const hostMail = await eventually(async () =>
      smtp.messages.find((m) => m.to.includes(co.host.email) && text(m).includes(email)),
    );
    assert.match(hostMail.mime.headers.subject!, /^New booking: Intro call with Main Person on/);
    assert.ok(!text(hostMail).includes(secret));
    // The host's own zone (the company owner's: UTC) is used for the host.
    assert.match(hostMail.mime.headers.subject!, /3:00\s?PM \(UTC\)/);
  });

  test('a German attendee gets German text with times in their zone', async () => {
    const email = unique('hans');
    const a = appointment({ email, fullname: 'Hans Muster', timezone: 'Europe/Berlin', language: 'de' });
    await enqueueBookingEvent(t.handle.db, 'booking_created', { ...a }, { companyId: co.company.companyId, subjectId: a.id });
    const [mail] = await mailsTo(email, 1);
    assert.equal(mail!.mime.headers.subject, 'Bestätigt: Intro call am Dienstag, 4. März 2031 um 16:00 (Europe/Berlin)');
    assert.match(text(mail!), /Hallo Hans Muster,/);
    assert.match(text(mail!), /Ihr Termin ist bestätigt\./);
  });

  test('notifyAttendees: false sends the host notice only', async () => {
    const email = unique('quiet');
    const a = appointment({ email, fullname: 'Quiet Person' });
    await enqueueBookingEvent(t.handle.db, 'booking_created', { ...a }, { companyId: co.company.companyId, subjectId: a.id, notifyAttendees: false, secret: 'not-needed-secret' });
    await eventually(async () => smtp.messages.find((m) => m.to.includes(co.host.email) && text(m).includes(email)));
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(smtp.messages.filter((m) => m.to.includes(email)).length, 0);
    const row = await t.handle.db.selectFrom('outbox_events').select('payload').where('subject_id', '=', a.id).executeTakeFirstOrThrow();
    assert.equal(row.payload.secret, undefined);
  });
});

describe('reschedule and cancellation', () => {
  test('a reschedule sends a REQUEST with a higher SEQUENCE and the previous time', async () => {
    const email = unique('move');
    const before = appointment({ email, fullname: 'Mover' });
    const moved = rescheduledData(before, { companyId: co.company.companyId, meetingTypeId: co.meetingTypeId, host: co.host, start: '2031-03-05T15:00:00.000Z', title: 'Intro call', attendees: [{ email, fullname: 'Mover' }] });
    await enqueueBookingEvent(t.handle.db, 'booking_rescheduled', moved, { companyId: co.company.companyId, subjectId: before.id, secret: 'resched-secret-value' });
    const [mail] = await mailsTo(email, 1);
    assert.match(mail!.mime.headers.subject!, /^Rescheduled: Intro call on Wednesday, March 5, 2031/);
    assert.match(text(mail!), /Previously: Tuesday, March 4, 2031/);
    const ics = invitation(mail!);
    assert.equal(ics.method, 'REQUEST');
    assert.equal(ics.sequence, 1);
    assert.equal(ics.uid, `${before.id}@termin.test`);
  });

  test('a cancellation carries the reason and a CANCEL invitation; a repeated cancel sends nothing twice', async () => {
    const email = unique('cancel');
    const cancelled = appointment({ email, fullname: 'Canceller' }, { cancel: { reason: 'Customer requested' }, sequence: 1 });
    for (let i = 0; i < 2; i++) {
      await enqueueBookingEvent(t.handle.db, 'booking_cancelled', { ...cancelled }, { companyId: co.company.companyId, subjectId: cancelled.id });
    }
    const [mail] = await mailsTo(email, 1);
    assert.match(mail!.mime.headers.subject!, /^Cancelled: Intro call/);
    assert.match(text(mail!), /Reason: Customer requested/);
    assert.doesNotMatch(text(mail!), /booking\/confirm/);
    const ics = invitation(mail!);
    assert.equal(ics.method, 'CANCEL');
    assert.equal(ics.status, 'CANCELLED');
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(smtp.messages.filter((m) => m.to.includes(email)).length, 1);
    assert.equal(smtp.messages.filter((m) => m.to.includes(co.host.email) && text(m).includes(email)).length, 1);
  });
});

describe('SMTP outage', () => {
  test('an SMTP server refusing twice delays the email, the third attempt delivers it', async () => {
    const flaky = await startSmtp({ failFirst: 2 });
    const t2 = await startTestApp({ env: { SMTP_URL: flaky.url, TERMIN_WEBHOOK_RETRY_SCHEDULE: '100ms,200ms,300ms' } });
    const w2 = await startWorkers(t2);
    try {
      const c2 = await newBookingCompany(t2, 'Flaky mail');
      const email = unique('patient');
      const a = appointmentJson({ companyId: c2.company.companyId, meetingTypeId: c2.meetingTypeId, host: c2.host, start: START, attendees: [{ email }] });
      await enqueueBookingEvent(t2.handle.db, 'booking_created', { ...a }, { companyId: c2.company.companyId, subjectId: a.id, notifyAttendees: true });
      // Two emails (attendee and host) share the two refusals between them.
      const jobs = await eventually(async () => {
        const rows = await t2.handle.db.selectFrom('email_jobs').selectAll().where('company_id', '=', c2.company.companyId).execute();
        return rows.length === 2 && rows.every((row) => row.status === 'sent') ? rows : undefined;
      }, 8000);
      assert.equal(jobs.reduce((sum, job) => sum + job.attempt_count, 0), 4);
      assert.equal(flaky.messages.filter((m) => m.to.includes(email)).length, 1);
      assert.equal(flaky.messages.length, 2);
    } finally {
      await w2.stop();
      await t2.close();
      await flaky.close();
    }
  });
});

describe('every invitation', () => {
  test('attached to any email sent in this file parses with ical.js', () => {
    const invitations = smtp.messages.flatMap((m) => {
      const part = partOf(m, 'text/calendar');
      return part ? [part.body] : [];
    });
    assert.ok(invitations.length >= 10, `only ${invitations.length} invitations`);
    for (const ics of invitations) {
      const parsed = readInvitation(ics);
      assert.ok(['REQUEST', 'CANCEL'].includes(parsed.method));
      assert.match(parsed.uid, /@termin\.test$/);
    }
  });
});
