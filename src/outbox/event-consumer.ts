// What the dispatcher hands each committed event to. A consumer (webhooks, emails, reminders, …)
// names the event types it handles and does its work in the dispatcher's transaction, so the work
// rows exist exactly when the event is marked dispatched. A new event type touches its producer and
// the consumers that want it; the dispatcher does not change.
import type { Tx } from '../db/database.ts';
import type { DispatchedEvent } from './event-payload.ts';
import type { EventType } from './events.ts';

export interface ConsumerResult {
  /** Webhook deliveries queued (wakes the delivery worker). */
  deliveries?: number;
  /** Emails queued (wakes the email worker). */
  emails?: number;
  /** Calendar write-back jobs due (wakes the calendar write worker). */
  calendarWrites?: number;
  /** The event's self-service secret is still needed by queued work (else it is erased). */
  keepsSecret?: boolean;
}

export interface EventConsumer {
  name: string;
  types: readonly EventType[];
  consume(tx: Tx, event: DispatchedEvent, now: Date): Promise<ConsumerResult>;
}

/** The consumers of one event type, in registration order. */
export function consumersOf(consumers: readonly EventConsumer[], type: string): EventConsumer[] {
  return consumers.filter((consumer) => (consumer.types as readonly string[]).includes(type));
}
