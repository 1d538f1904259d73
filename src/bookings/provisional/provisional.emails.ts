// Emails of a provisional booking's events (an outbox consumer): who is asked or told, in their
// language and zone. The hold is read as it stands at dispatch; the link's token stays on the
// event only while an email that carries it waits (the dispatcher and email worker scrub it).
import type { Tx } from '../../db/database.ts';
import { isUuid } from '../../lib/ids.ts';
import type { EventConsumer } from '../../outbox/event-consumer.ts';
import type { DispatchedEvent } from '../../outbox/event-payload.ts';
import { insertEmailJobs } from '../../notifications/email-jobs.repo.ts';
import type { PlannedEmail } from '../../notifications/email.plan.ts';
import type { HoldMailPayload, HoldMailStep } from '../../notifications/hold-mail.template.ts';
import * as repo from './provisional.repo.ts';

const STEP_OF: Record<string, HoldMailStep | undefined> = {
  provisional_booking_host_approved: 'confirm',
  provisional_booking_declined: 'declined',
  provisional_booking_expired: 'expired',
};

type PlannedHoldMail = Pick<PlannedEmail, 'kind' | 'recipient' | 'dedupeKey'> & { payload: HoldMailPayload };

async function plan(tx: Tx, event: DispatchedEvent): Promise<PlannedHoldMail[]> {
  if (!event.subjectId || !isUuid(event.subjectId)) return [];
  const row = await repo.findProvisional(tx, event.companyId, event.subjectId);
  if (!row) return [];
  const awaiting = (event.data as { awaiting?: string }).awaiting;
  const step = event.type === 'provisional_booking_created' ? (awaiting === 'host' ? 'approve' : 'confirm') : STEP_OF[event.type];
  if (!step) return [];
  // The attendee must get the link to confirm; notices of a decline or expiry follow skipNotifications.
  if ((step === 'declined' || step === 'expired') && !event.notifyAttendees) return [];
  const held = await repo.loadHeld(tx, [row.appointment_id]);
  const appointment = held.appointments.get(row.appointment_id);
  const hosts = held.hosts.get(row.appointment_id) ?? [];
  const attendee = (row.dto.attendee ?? {}) as Record<string, string | null | undefined>;
  const attendeeName = attendee.fullname || [attendee.firstname, attendee.lastname].filter(Boolean).join(' ') || String(attendee.email ?? '');
  const common = {
    kind: 'provisional_booking' as const,
    step,
    provisionalBookingId: row.id,
    title: String(appointment?.meeting_info.name ?? ''),
    start: (appointment?.start_at ?? row.created_at).toISOString(),
    expiresAt: row.expires_at.toISOString(),
    attendeeName,
    reason: row.decline_reason,
    withLinks: (step === 'confirm' || step === 'approve') && event.secret !== undefined,
  };
  const payloads: HoldMailPayload[] =
    step === 'approve'
      ? hosts.map((h) => ({ ...common, role: 'host', to: h.email, name: `${h.given_name} ${h.family_name}`.trim(), language: h.language, timezone: h.timezone }))
      : [{ ...common, role: 'attendee', to: String(attendee.email ?? ''), name: attendeeName, language: attendee.language || 'en', timezone: attendee.timezone || 'UTC' }];
  return payloads
    .filter((p) => p.to.includes('@'))
    .map((payload) => {
      const recipient = payload.to.trim().toLowerCase();
      return { kind: 'provisional_booking', recipient, dedupeKey: `${event.eventId}:hold:${step}:${recipient}`, payload: { ...payload, to: recipient } };
    });
}

export const provisionalEmailsConsumer: EventConsumer = {
  name: 'provisional-emails',
  types: ['provisional_booking_created', 'provisional_booking_host_approved', 'provisional_booking_declined', 'provisional_booking_expired'],
  async consume(tx, event, now) {
    const planned = await plan(tx, event);
    const inserted = await insertEmailJobs(tx, { companyId: event.companyId, eventId: event.eventId, emails: planned, now });
    return { emails: inserted.length, keepsSecret: inserted.some((email) => email.payload.withLinks) };
  },
};
