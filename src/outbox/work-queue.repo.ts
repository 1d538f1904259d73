// Shared by the work tables (webhook deliveries, email jobs, reminders): when the earliest
// pending row becomes due, so an idle worker sleeps exactly until then.
import { sql } from 'kysely';
import type { Executor } from '../db/database.ts';

export type WorkQueue =
  | { table: 'webhook_deliveries' | 'email_jobs'; column: 'next_attempt_at' }
  | { table: 'reminders'; column: 'due_at' };

export async function nextPendingDue(db: Executor, queue: WorkQueue): Promise<Date | undefined> {
  const result = await sql<{ due: Date | null }>`
    SELECT min(${sql.ref(queue.column)}) AS due FROM ${sql.table(queue.table)} WHERE status = 'pending'`.execute(db);
  return result.rows[0]?.due ?? undefined;
}
