// The events a state change records. Webhook subscribers choose among these names.

export const EVENT_TYPES = ['booking_created', 'booking_rescheduled', 'booking_cancelled', 'new_employee'] as const;

export type EventType = (typeof EVENT_TYPES)[number];

export interface OutboxEvent {
  companyId: string;
  type: EventType;
  /** The appointment or user the event is about. */
  subjectId: string;
  /** The webhook `data`, as it stood when the change committed. */
  payload: Record<string, unknown>;
}
