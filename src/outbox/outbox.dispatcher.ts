// Drains the outbox: claims undispatched events with FOR UPDATE SKIP LOCKED (instances share the
// work without a coordinator) and, in the same transaction, hands each one to the consumers
// registered for its type (webhook deliveries, email jobs, reminders), then marks it dispatched.
// A crash before the commit leaves the event undispatched; after it, the work rows exist. Nothing is lost either way.
import { sql } from 'kysely';
import type { Db, Tx } from '../db/database.ts';
import { inTransaction } from '../db/transaction.ts';
import type { Clock } from '../lib/clock.ts';
import { consumersOf, type EventConsumer } from './event-consumer.ts';
import { type DispatchedEvent, normaliseEvent, type OutboxRow } from './event-payload.ts';
import type { Wakeups } from './wakeups.ts';

export const WORK_CHANNEL = 'termin_work';

interface FanOutCounts {
  deliveries: number;
  emails: number;
  calendarWrites: number;
}

async function fanOut(tx: Tx, consumers: readonly EventConsumer[], event: DispatchedEvent, now: Date): Promise<FanOutCounts> {
  const counts = { deliveries: 0, emails: 0, calendarWrites: 0 };
  let keepsSecret = false;
  for (const consumer of consumersOf(consumers, event.type)) {
    const result = await consumer.consume(tx, event, now);
    counts.deliveries += result.deliveries ?? 0;
    counts.emails += result.emails ?? 0;
    counts.calendarWrites += result.calendarWrites ?? 0;
    keepsSecret ||= result.keepsSecret === true;
  }
  if (event.secret !== undefined && !keepsSecret) {
    await sql`UPDATE outbox_events SET payload = payload - 'secret' WHERE event_id = ${event.eventId}`.execute(tx);
  }
  return counts;
}

export function createDispatcher(deps: { db: Db; clock: Clock; wakeups: Wakeups; consumers: readonly EventConsumer[]; batchSize?: number }) {
  const { db, clock, wakeups, consumers } = deps;

  async function runOnce(): Promise<{ processed: number }> {
    const totals = await inTransaction(db, async (tx) => {
      const rows = await sql<OutboxRow>`
        SELECT id, event_id, company_id, type, subject_id, payload, created_at FROM outbox_events
        WHERE dispatched_at IS NULL ORDER BY id LIMIT ${deps.batchSize ?? 50} FOR UPDATE SKIP LOCKED`.execute(tx);
      const counts = { events: rows.rows.length, deliveries: 0, emails: 0, calendarWrites: 0 };
      if (counts.events === 0) return counts;
      const now = clock.now();
      for (const row of rows.rows) {
        const result = await fanOut(tx, consumers, normaliseEvent(row), now);
        counts.deliveries += result.deliveries;
        counts.emails += result.emails;
        counts.calendarWrites += result.calendarWrites;
      }
      const ids = rows.rows.map((row) => row.id);
      await tx.updateTable('outbox_events').set({ dispatched_at: now }).where('id', 'in', ids).execute();
      // Other instances' workers wake on commit.
      if (counts.deliveries + counts.emails + counts.calendarWrites > 0) await sql`SELECT pg_notify(${WORK_CHANNEL}, '')`.execute(tx);
      return counts;
    });
    if (totals.deliveries > 0) wakeups.notify('deliveries');
    if (totals.emails > 0) wakeups.notify('emails');
    if (totals.calendarWrites > 0) wakeups.notify('calendar-writes');
    return { processed: totals.events };
  }

  return { runOnce };
}
