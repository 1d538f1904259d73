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

/** A leased work table and the column its concurrency budgets are kept by. */
export type BudgetedQueue = { table: 'webhook_deliveries'; group: 'webhook_id' } | { table: 'email_jobs'; group: 'company_id' };

/**
 * The CTEs `busy` and `ranked` of a budgeted claim: each due pending row with its place in its
 * group's line, counting the group's pieces already in flight in this process. A claim takes the
 * rows whose place is within the budget.
 */
export function rankedWithinGroups(queue: BudgetedQueue, inFlight: ReadonlyMap<string, number>, now: Date) {
  const busyIds = [...inFlight.keys()];
  const busyCounts = busyIds.map((id) => inFlight.get(id)!);
  const group = sql.ref(`q.${queue.group}`);
  return sql`busy AS (
      SELECT * FROM unnest(${busyIds}::uuid[], ${busyCounts}::int[]) AS b(group_id, in_flight)
    ), ranked AS (
      SELECT q.id, row_number() OVER (PARTITION BY ${group} ORDER BY q.next_attempt_at) + coalesce(b.in_flight, 0) AS place
      FROM ${sql.table(queue.table)} q LEFT JOIN busy b ON b.group_id = ${group}
      WHERE q.status = 'pending' AND q.next_attempt_at <= ${now}
    )`;
}

/** When the earliest pending row outside the saturated groups (no budget left) becomes due. */
export async function nextPendingDueExcept(db: Executor, queue: BudgetedQueue, saturated: readonly string[]): Promise<Date | undefined> {
  if (saturated.length === 0) return nextPendingDue(db, { table: queue.table, column: 'next_attempt_at' });
  const result = await sql<{ due: Date | null }>`
    SELECT min(next_attempt_at) AS due FROM ${sql.table(queue.table)}
    WHERE status = 'pending' AND NOT (${sql.ref(queue.group)} = ANY(${[...saturated]}::uuid[]))`.execute(db);
  return result.rows[0]?.due ?? undefined;
}

/** Pushes the lease of rows still being worked on, so a slow send keeps its claim. */
export async function renewPendingLeases(db: Executor, table: BudgetedQueue['table'], ids: readonly string[], leaseEnd: Date): Promise<void> {
  if (ids.length === 0) return;
  await sql`
    UPDATE ${sql.table(table)} SET next_attempt_at = ${leaseEnd}
    WHERE id = ANY(${[...ids]}::uuid[]) AND status = 'pending'`.execute(db);
}
