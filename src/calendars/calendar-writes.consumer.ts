// The outbox consumer of calendar write-back: for every booking event, in the dispatcher's
// transaction, it records where the appointment should stand in each host's chosen calendar —
// created and rescheduled appointments are PUT (the invitation's own ICS and UID, with the
// attendees), cancelled ones deleted. The write-back worker does the HTTP with retries, so a
// calendar server that is down loses nothing. Self-contained: the dispatcher only calls `handle`.
import type { EventConsumer } from '../outbox/event-consumer.ts';
import type { Tx } from '../db/database.ts';
import { appointmentOf, type DispatchedEvent } from '../outbox/event-payload.ts';
import { markForDelete, upsertPut, writeTargets } from './writes.repo.ts';

/** Registered with the outbox dispatcher like webhooks, emails and reminders. */
export const calendarWritesEventConsumer: EventConsumer = {
  name: 'calendar-write-back',
  types: ['booking_created', 'booking_rescheduled', 'booking_cancelled'],
  async consume(tx, event, now) {
    return { calendarWrites: await calendarWriteConsumer.handle(tx, event, now) };
  },
};

export const calendarWriteConsumer = {
  name: 'calendar-write-back',
  eventTypes: ['booking_created', 'booking_rescheduled', 'booking_cancelled'] as const,
  /** Returns how many write-back jobs became due. */
  async handle(tx: Tx, event: DispatchedEvent, now: Date): Promise<number> {
    if (!(calendarWriteConsumer.eventTypes as readonly string[]).includes(event.type)) return 0;
    const appointment = appointmentOf(event);
    if (!appointment?.id) return 0;
    if (event.type === 'booking_cancelled' || appointment.isCancelled) return markForDelete(tx, appointment.id, now);
    if (!appointment.ics) return 0;
    const hostIds = appointment.hostIds ?? (appointment.hosts ?? []).map((host) => host.id);
    const targets = await writeTargets(tx, hostIds);
    const ics = calendarResource(appointment.ics);
    const uid = /^UID:(.*)$/m.exec(ics)?.[1]?.trim() ?? appointment.id;
    for (const target of targets) {
      await upsertPut(tx, { companyId: event.companyId, appointmentId: appointment.id, userId: target.user_id, calendarId: target.id, uid, ics, now });
    }
    return targets.length;
  },
};

/**
 * The invitation as a stored calendar object: the same VEVENT (UID, SEQUENCE, attendees), without
 * the iTIP METHOD line, which RFC 4791 §4.1 forbids in a calendar collection.
 */
export function calendarResource(ics: string): string {
  return ics.replace(/^METHOD:[^\r\n]*\r?\n/m, '');
}
