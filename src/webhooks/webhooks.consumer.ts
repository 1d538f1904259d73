// Webhooks consume every event type: each subscription picks the types it wants when the
// deliveries fan out.
import type { Tx } from '../db/database.ts';
import { isUuid } from '../lib/ids.ts';
import { EVENT_TYPES } from '../outbox/events.ts';
import type { EventConsumer } from '../outbox/event-consumer.ts';
import { appointmentOf, type DispatchedEvent, dedupeKeyOf, webhookBody } from '../outbox/event-payload.ts';
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
      secretSealed: await sealedSecretOf(tx, event),
      now,
    });
    return { deliveries };
  },
};

/** The sealed secret of the appointment a booking event is about (webhooks carry it; events do not). */
async function sealedSecretOf(tx: Tx, event: DispatchedEvent): Promise<string | null> {
  const id = appointmentOf(event)?.id;
  if (!id || !isUuid(id)) return null;
  const row = await tx.selectFrom('appointments').select('secret_sealed').where('id', '=', id).executeTakeFirst();
  return row?.secret_sealed ?? null;
}
