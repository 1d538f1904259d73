// Emails and reminders consume the booking events: emails to attendees, guests and every host;
// reminders are (re)scheduled or dropped as the appointment moves or is cancelled.
import type { Tx } from '../db/database.ts';
import { isUuid } from '../lib/ids.ts';
import type { EventConsumer } from '../outbox/event-consumer.ts';
import { appointmentOf, type DispatchedEvent } from '../outbox/event-payload.ts';
import { findUsers } from '../users/users.repo.ts';
import { type HostProfile, planEmails, planReminders } from './email.plan.ts';
import { insertEmailJobs } from './email-jobs.repo.ts';
import { cancelReminders, reminderOffsets, upsertReminders } from './reminders.repo.ts';

const BOOKING_EVENTS = ['booking_created', 'booking_rescheduled', 'booking_cancelled'] as const;

async function hostProfiles(tx: Tx, event: DispatchedEvent): Promise<Map<string, HostProfile>> {
  const ids = (appointmentOf(event)?.hosts ?? []).map((host) => host.id).filter(Boolean);
  const users = await findUsers(tx, event.companyId, ids.filter(isUuid));
  return new Map(users.map((user) => [user.id, { language: user.language, timezone: user.timezone }]));
}

export const emailsConsumer: EventConsumer = {
  name: 'emails',
  types: BOOKING_EVENTS,
  async consume(tx, event, now) {
    const planned = planEmails(event, await hostProfiles(tx, event));
    const inserted = await insertEmailJobs(tx, { companyId: event.companyId, eventId: event.eventId, emails: planned, now });
    // The secret stays only while an email that carries the links waits to be sent.
    return { emails: inserted.length, keepsSecret: inserted.some((email) => email.payload.withLinks) };
  },
};

export const remindersConsumer: EventConsumer = {
  name: 'reminders',
  types: BOOKING_EVENTS,
  async consume(tx, event, now) {
    const appointment = appointmentOf(event);
    if (!appointment?.id) return {};
    if (event.type === 'booking_cancelled' || event.type === 'booking_rescheduled') await cancelReminders(tx, appointment.id);
    // One attendee leaving a group session: the others' reminders are planned again below.
    const seatLeft = event.type === 'booking_cancelled' && appointment.removedAttendee !== undefined && appointment.isCancelled === false;
    if ((event.type === 'booking_cancelled' && !seatLeft) || appointment.isCancelled) return {};
    const offsets = await reminderOffsets(tx, event.companyId, appointment.meetingTypeId);
    const reminders = planReminders(appointment, offsets, now);
    await upsertReminders(tx, { companyId: event.companyId, appointmentId: appointment.id, reminders });
    return {};
  },
};
