// What the metrics read from the database at scrape time: work waiting in the outbox tables and
// the delivery log's attempts by outcome. Cluster-wide (every instance sees the same rows), one
// query per family, each on an index of pending rows or the attempt log.
import { sql } from 'kysely';
import type { Executor } from '../db/database.ts';

export interface QueueBacklog {
  queue: string;
  due: number;
  /** Seconds the oldest due item has waited (0 when nothing is due). */
  oldestAgeSeconds: number;
}

/** Due, unfinished work per queue: undispatched events, deliveries, emails and reminders due now. */
export async function readBacklog(db: Executor): Promise<QueueBacklog[]> {
  const { rows } = await sql<{ queue: string; due: number; oldest_age: number | null }>`
    SELECT 'outbox_events' AS queue, count(*)::int AS due,
           extract(epoch FROM now() - min(created_at))::float8 AS oldest_age
      FROM outbox_events WHERE dispatched_at IS NULL
    UNION ALL
    SELECT 'webhook_deliveries', count(*)::int, extract(epoch FROM now() - min(next_attempt_at))::float8
      FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= now()
    UNION ALL
    SELECT 'email_jobs', count(*)::int, extract(epoch FROM now() - min(next_attempt_at))::float8
      FROM email_jobs WHERE status = 'pending' AND next_attempt_at <= now()
    UNION ALL
    SELECT 'reminders', count(*)::int, extract(epoch FROM now() - min(due_at))::float8
      FROM reminders WHERE status = 'pending' AND due_at <= now()`.execute(db);
  return rows.map((row) => ({ queue: row.queue, due: row.due, oldestAgeSeconds: Math.max(0, row.oldest_age ?? 0) }));
}

export type AttemptOutcome = 'success' | 'http_error' | 'network_error';

/** Webhook delivery attempts recorded so far, by outcome (2xx, another status, no response). */
export async function readDeliveryAttempts(db: Executor): Promise<Record<AttemptOutcome, number>> {
  const { rows } = await sql<{ outcome: AttemptOutcome; attempts: number }>`
    SELECT CASE WHEN status_code BETWEEN 200 AND 299 THEN 'success'
                WHEN status_code IS NOT NULL THEN 'http_error'
                ELSE 'network_error' END AS outcome,
           count(*)::int AS attempts
      FROM webhook_attempts GROUP BY 1`.execute(db);
  const result: Record<AttemptOutcome, number> = { success: 0, http_error: 0, network_error: 0 };
  for (const row of rows) result[row.outcome] = row.attempts;
  return result;
}
