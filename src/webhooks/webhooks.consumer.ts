// Webhooks consume every event type: each subscription picks the types it wants when the
// deliveries fan out.
import { EVENT_TYPES } from '../outbox/events.ts';
import type { EventConsumer } from '../outbox/event-consumer.ts';
import { dedupeKeyOf, webhookBody } from '../outbox/event-payload.ts';
import { fanOutDeliveries } from './deliveries.repo.ts';

export const webhooksConsumer: EventConsumer = {
  name: 'webhooks',
  types: EVENT_TYPES,
  async consume(tx, event, now) {
    const deliveries = await fanOutDeliveries(tx, {
      eventId: event.eventId,
      companyId: event.companyId,
      type: event.type,
      dedupeKey: dedupeKeyOf(event),
      body: webhookBody(event),
      now,
    });
    return { deliveries };
  },
};
