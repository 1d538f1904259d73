// The events a state change records. Webhook subscribers choose among these names.

/**
 * Termin's additions (issue 12, docs/provisional-bookings.md): a provisional booking's life. They
 * carry `{ data: <provisional booking JSON>, notifyAttendees, secret? }` like the booking events;
 * `secret` is the one-time token of the link the event's email carries (scrubbed once sent).
 */
export const PROVISIONAL_EVENT_TYPES = [
  'provisional_booking_created',
  'provisional_booking_host_approved',
  'provisional_booking_confirmed',
  'provisional_booking_declined',
  'provisional_booking_expired',
] as const;

export const EVENT_TYPES = ['booking_created', 'booking_rescheduled', 'booking_cancelled', 'new_employee', ...PROVISIONAL_EVENT_TYPES] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/**
 * Every event type meetergo accepts on a subscription (spec §3.2), so a subscription written for
 * meetergo is accepted unchanged. Termin emits only EVENT_TYPES; the rest are never sent.
 */
export const SUBSCRIBABLE_EVENT_TYPES = [
  ...EVENT_TYPES,
  'form_submission',
  'credential_error',
  'review_submitted',
  'review_published',
  'signature_completed',
] as const;

export interface OutboxEvent {
  companyId: string;
  type: EventType;
  /** The appointment or user the event is about. */
  subjectId: string;
  /** The webhook `data`, as it stood when the change committed. */
  payload: Record<string, unknown>;
}
