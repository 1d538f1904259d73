// The events a state change records. Webhook subscribers choose among these names.

export const EVENT_TYPES = ['booking_created', 'booking_rescheduled', 'booking_cancelled', 'new_employee'] as const;

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
