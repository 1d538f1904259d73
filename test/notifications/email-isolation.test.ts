// One company's hanging email sends cannot hold up another company's emails: every company has
// its own small budget of sends in flight, and the worker does not wait for one company's batch
// before claiming the next. A real SMTP server holds every message to one recipient domain.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { EventWorkers } from '../../src/outbox/outbox.workers.ts';
import { type TestApp, startTestApp } from '../helpers/app.ts';
import { type BookingCompany, newBookingCompany } from '../helpers/booking-company.ts';
import { appointmentJson, enqueueBookingEvent } from '../helpers/events.factory.ts';
import { until } from '../helpers/patience.ts';
import { startSmtp } from '../helpers/smtp.ts';
import { startWorkers } from '../helpers/workers.ts';

const BUDGET = 2;
let t: TestApp;
let workers: EventWorkers | undefined;
let smtp: Awaited<ReturnType<typeof startSmtp>>;

before(async () => {
  smtp = await startSmtp({ hold: (recipient) => recipient.endsWith('@hung.example') });
  t = await startTestApp({ env: { SMTP_URL: smtp.url, TERMIN_EMAIL_CONCURRENCY_PER_COMPANY: String(BUDGET) } });
  workers = await startWorkers(t);
});
after(async () => {
  // Held sends are answered first, so stopping the workers does not wait for them to time out.
  smtp.release();
  await workers?.stop();
  await t.close();
  await smtp.close();
});

function booked(co: BookingCompany, attendeeEmail: string) {
  const appointment = appointmentJson({
    companyId: co.company.companyId,
    meetingTypeId: co.meetingTypeId,
    host: co.host,
    start: new Date(Date.now() + 3 * 86_400_000),
    attendees: [{ email: attendeeEmail }],
  });
  return enqueueBookingEvent(t.handle.db, 'booking_created', { ...appointment }, { companyId: co.company.companyId, subjectId: appointment.id });
}

describe('per-company email isolation', () => {
  test("a company whose recipient server hangs does not delay another company's email", async () => {
    const hung = await newBookingCompany(t, 'Hung mail');
    // More hanging emails than the whole budget, and than a claim would take from one company.
    for (let i = 0; i < 6; i++) await booked(hung, `client${i}@hung.example`);
    await until(() => (smtp.holding >= BUDGET ? true : undefined), 10_000, 'the hung company to fill its budget');

    const quick = await newBookingCompany(t, 'Quick mail');
    await booked(quick, 'client@quick.example');
    const mail = await until(() => smtp.messages.find((m) => m.to.includes('client@quick.example')), 3000, "the other company's email");
    assert.ok(mail);
    assert.equal(smtp.holding, BUDGET, "it went out while the hung company's sends were still stuck");
    assert.equal(smtp.everHeld, BUDGET, 'the hung company never had more than its budget in flight');
    const pending = await t.handle.db
      .selectFrom('email_jobs')
      .select(({ fn }) => fn.countAll<string>().as('n'))
      .where('company_id', '=', hung.company.companyId)
      .where('status', '=', 'pending')
      .where('recipient', 'like', '%@hung.example')
      .executeTakeFirstOrThrow();
    assert.equal(Number(pending.n), 6, 'the stuck emails are kept, none lost or failed');
  });
});
