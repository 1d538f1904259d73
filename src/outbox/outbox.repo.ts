// Writes events into the outbox inside the caller's transaction: the event exists exactly when
// the change it describes does.
import type { Executor } from '../db/database.ts';
import type { OutboxEvent } from './events.ts';

export async function enqueueEvent(tx: Executor, event: OutboxEvent): Promise<string> {
  const row = await tx
    .insertInto('outbox_events')
    .values({
      company_id: event.companyId,
      type: event.type,
      subject_id: event.subjectId,
      payload: JSON.stringify(event.payload),
    })
    .returning('event_id')
    .executeTakeFirstOrThrow();
  return row.event_id;
}
