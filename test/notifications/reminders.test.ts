import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { listReminderIds } from '../../src/notifications/reminders.repo.ts';
import type { AttendeeData } from '../../src/outbox/event-payload.ts';
import type { EventWorkers } from '../../src/outbox/outbox.workers.ts';
import { type TestApp, startTestApp } from '../helpers/app.ts';
import { type BookingCompany, newBookingCompany } from '../helpers/booking-company.ts';
import { appointmentJson, enqueueBookingEvent, rescheduledData } from '../helpers/events.factory.ts';
import { eventually } from '../helpers/receiver.ts';
import { partOf, startSmtp } from '../helpers/smtp.ts';
import { startWorkers } from '../helpers/workers.ts';

let t: TestApp;
let workers: EventWorkers;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let co: BookingCompany;

const HOUR = 3_600_000;

before(async () => {
  smtp = await startSmtp();
  t = await startTestApp({ env: { SMTP_URL: smtp.url } });
  workers = await startWorkers(t);
  co = await newBookingCompany(t, 'Reminder company');
  await t.handle.db.updateTable('meeting_types').set({ reminder_minutes: JSON.stringify([1440, 60]) }).where('id', '=', co.meetingTypeId).execute();
});
after(async () => {
  await workers.stop();
  await t.close();
  await smtp.close();
});

const unique = (name: string) => `${name}-${randomBytes(4).toString('hex')}@example.com`;

function appointment(start: Date, attendees: Partial<AttendeeData>[], extra: Record<string, unknown> = {}) {
  return appointmentJson({ companyId: co.company.companyId, meetingTypeId: co.meetingTypeId, host: co.host, start, attendees, ...extra });
}

async function book(a: ReturnType<typeof appointment>) {
  await enqueueBookingEvent(t.handle.db, 'booking_created', { ...a }, { companyId: co.company.companyId, subjectId: a.id, notifyAttendees: false });
}

async function remindersOf(appointmentId: string) {
  return t.handle.db.selectFrom('reminders').selectAll().where('appointment_id', '=', appointmentId).orderBy('due_at').execute();
}

async function dispatched(appointmentId: string) {
  await eventually(async () => {
    const rows = await t.handle.db.selectFrom('outbox_events').select('dispatched_at').where('subject_id', '=', appointmentId).execute();
    return rows.length > 0 && rows.every((r) => r.dispatched_at) ? true : undefined;
  });
}

describe('reminders', () => {
  test("are scheduled per attendee and per the meeting type's offsets, skipping attendees who opted out", async () => {
    const start = new Date(Date.now() + 3 * 24 * HOUR);
    const a = appointment(start, [{ email: unique('in') }, { email: unique('out'), receiveReminders: false }]);
    await book(a);
    await dispatched(a.id);
    const rows = await remindersOf(a.id);
    assert.equal(rows.length, 2);
    assert.deepEqual(rows.map((r) => r.due_at.getTime()), [start.getTime() - 24 * HOUR, start.getTime() - HOUR]);
    assert.ok(rows.every((r) => r.recipient === a.attendees![0]!.email.toLowerCase()));
    const ids = await listReminderIds(t.handle.db, [a.id, '00000000-0000-4000-8000-000000000000']);
    assert.deepEqual(ids.get(a.id), rows.map((r) => r.id));
    assert.deepEqual(ids.get('00000000-0000-4000-8000-000000000000'), []);
  });

  test('whose time has already passed are not scheduled', async () => {
    const a = appointment(new Date(Date.now() + 2 * HOUR), [{ email: unique('soon') }]);
    await book(a);
    await dispatched(a.id);
    const rows = await remindersOf(a.id);
    assert.deepEqual(rows.map((r) => r.offset_minutes), [60]);
  });

  test('move with a reschedule, keeping their ids', async () => {
    const email = unique('moved');
    const first = appointment(new Date(Date.now() + 3 * 24 * HOUR), [{ email }]);
    await book(first);
    await dispatched(first.id);
    const before = await remindersOf(first.id);
    const newStart = new Date(Date.now() + 5 * 24 * HOUR);
    const moved = rescheduledData(first, { companyId: co.company.companyId, meetingTypeId: co.meetingTypeId, host: co.host, start: newStart, attendees: [{ email }] });
    await enqueueBookingEvent(t.handle.db, 'booking_rescheduled', moved, { companyId: co.company.companyId, subjectId: first.id, notifyAttendees: false });
    await dispatched(first.id);
    const after = await remindersOf(first.id);
    assert.deepEqual(after.map((r) => r.id), before.map((r) => r.id));
    assert.deepEqual(after.map((r) => r.due_at.getTime()), [newStart.getTime() - 24 * HOUR, newStart.getTime() - HOUR]);
    assert.ok(after.every((r) => r.status === 'pending'));
  });

  test('are dropped when the appointment is cancelled', async () => {
    const a = appointment(new Date(Date.now() + 3 * 24 * HOUR), [{ email: unique('gone') }]);
    await book(a);
    await dispatched(a.id);
    assert.equal((await listReminderIds(t.handle.db, [a.id])).get(a.id)!.length, 2);
    const cancelled = appointment(new Date(a.start), a.attendees!, { id: a.id, cancel: { reason: 'no' } });
    await enqueueBookingEvent(t.handle.db, 'booking_cancelled', { ...cancelled }, { companyId: co.company.companyId, subjectId: a.id, notifyAttendees: false });
    await dispatched(a.id);
    assert.deepEqual((await listReminderIds(t.handle.db, [a.id])).get(a.id), []);
    assert.ok((await remindersOf(a.id)).every((r) => r.status === 'cancelled'));
  });

  test('are emailed when due', async () => {
    const email = unique('remind');
    // Due 1.5 s from now: one hour before a start 1 h + 1.5 s away.
    const a = appointment(new Date(Date.now() + HOUR + 1500), [{ email, fullname: 'Rita', language: 'de', timezone: 'Europe/Berlin' }], { title: 'Sprechstunde' });
    await book(a);
    const mail = await eventually(async () => smtp.messages.find((m) => m.to.includes(email)), 6000, 'the reminder');
    assert.match(mail.mime.headers.subject!, /^Erinnerung: Sprechstunde am /);
    assert.match(partOf(mail, 'text/plain')!.body, /wir erinnern Sie an Ihren bevorstehenden Termin/);
    assert.equal(partOf(mail, 'text/calendar'), undefined);
    const rows = await remindersOf(a.id);
    assert.deepEqual(rows.map((r) => r.status), ['queued']);
  });

  test('a due reminder whose appointment has begun is dropped, not sent late', async () => {
    const email = unique('late');
    const a = appointment(new Date(Date.now() - 60_000), [{ email }]);
    await t.handle.db
      .insertInto('reminders')
      .values({
        company_id: co.company.companyId,
        appointment_id: a.id,
        recipient: email,
        offset_minutes: 60,
        due_at: new Date(Date.now() - HOUR),
        payload: JSON.stringify({ kind: 'reminder', role: 'attendee', to: email, name: '', language: 'en', timezone: 'UTC', appointment: a, withLinks: false }),
      })
      .execute();
    workers.wake();
    const row = await eventually(async () => {
      const [r] = await remindersOf(a.id);
      return r?.status === 'pending' ? undefined : r;
    });
    assert.equal(row.status, 'cancelled');
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(smtp.messages.filter((m) => m.to.includes(email)).length, 0);
  });
});
