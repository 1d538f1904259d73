// Webhook deliveries and their attempts: fan-out from the outbox, claiming due deliveries with
// SKIP LOCKED under a lease (a worker that dies mid-attempt leaves a delivery that becomes due
// again when the lease ends), recording outcomes, and the log.
import { sql } from 'kysely';
import type { Executor } from '../db/database.ts';
import { nextPendingDue, nextPendingDueExcept, rankedWithinGroups, renewPendingLeases } from '../outbox/work-queue.repo.ts';

export interface FanOut {
  eventId: string;
  companyId: string;
  type: string;
  dedupeKey: string;
  body: Record<string, unknown>;
  /** The appointment secret the body carries, sealed: filled into the body only to send. */
  secretSealed: string | null;
  now: Date;
}

/** One delivery per active subscription of the company that wants this event type. */
export async function fanOutDeliveries(tx: Executor, event: FanOut): Promise<number> {
  const result = await sql`
    INSERT INTO webhook_deliveries (webhook_id, company_id, event_id, event_type, dedupe_key, body, secret_sealed, next_attempt_at)
    SELECT id, company_id, ${event.eventId}, ${event.type}, ${event.dedupeKey}, ${JSON.stringify(event.body)}, ${event.secretSealed}, ${event.now}
    FROM webhooks
    WHERE company_id = ${event.companyId} AND active AND deleted_at IS NULL AND ${event.type} = ANY(event_types)
    ON CONFLICT (webhook_id, dedupe_key) DO NOTHING`.execute(tx);
  return Number(result.numAffectedRows ?? 0);
}

export async function insertDelivery(
  tx: Executor,
  input: {
    webhookId: string;
    companyId: string;
    eventId: string;
    type: string;
    body: string;
    secretSealed?: string | null;
    replayOf?: string;
    now: Date;
  },
): Promise<string> {
  const row = await tx
    .insertInto('webhook_deliveries')
    .values({
      webhook_id: input.webhookId,
      company_id: input.companyId,
      event_id: input.eventId,
      event_type: input.type,
      dedupe_key: `direct:${crypto.randomUUID()}`,
      body: input.body,
      secret_sealed: input.secretSealed ?? null,
      replay_of: input.replayOf ?? null,
      next_attempt_at: input.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface ClaimedDelivery {
  id: string;
  webhook_id: string;
  event_id: string;
  body: string;
  secret_sealed: string | null;
  attempt_count: number;
  endpoint: string;
  webhook_usable: boolean;
  /** The sealed secrets that sign now: the current one and any in their grace period. */
  secrets: string[];
}

/** What this instance is already sending: per subscription, how many deliveries are in flight. */
export interface EndpointLoad {
  /** At most this many deliveries of one subscription in flight at once. */
  perEndpoint: number;
  inFlight: ReadonlyMap<string, number>;
}

/**
 * Claims due deliveries: bumps the attempt count and pushes next_attempt_at out by the lease. No
 * subscription gets more than its remaining budget (perEndpoint minus what is in flight), so a slow
 * endpoint's backlog never fills a batch that other endpoints' deliveries are waiting for. The
 * ranking reads without locks (window functions cannot lock); the rows are then locked and checked
 * again, skipping any another worker holds.
 */
export async function claimDueDeliveries(
  db: Executor,
  now: Date,
  limit: number,
  leaseMs: number,
  load: EndpointLoad = { perEndpoint: limit, inFlight: new Map() },
): Promise<ClaimedDelivery[]> {
  const leaseEnd = new Date(now.getTime() + leaseMs);
  const result = await sql<ClaimedDelivery>`
    WITH ${rankedWithinGroups({ table: 'webhook_deliveries', group: 'webhook_id' }, load.inFlight, now)}, due AS (
      SELECT d.id FROM webhook_deliveries d JOIN ranked r ON r.id = d.id
      WHERE r.place <= ${load.perEndpoint} AND d.status = 'pending' AND d.next_attempt_at <= ${now}
      ORDER BY d.next_attempt_at
      LIMIT ${limit}
      FOR UPDATE OF d SKIP LOCKED
    )
    UPDATE webhook_deliveries d
    SET attempt_count = d.attempt_count + 1, next_attempt_at = ${leaseEnd}
    FROM due, webhooks w
    WHERE d.id = due.id AND w.id = d.webhook_id
    RETURNING d.id, d.webhook_id, d.event_id, d.body, d.secret_sealed, d.attempt_count, w.endpoint,
              (w.active AND w.deleted_at IS NULL) AS webhook_usable,
              ARRAY(SELECT s.secret_sealed FROM webhook_secrets s
                    WHERE s.webhook_id = d.webhook_id AND (s.expires_at IS NULL OR s.expires_at > ${now})
                    ORDER BY s.id DESC) AS secrets`.execute(db);
  return result.rows;
}

/** Pushes the lease of deliveries still being sent out again, so a slow send keeps its claim. */
export const renewLeases = (db: Executor, ids: readonly string[], leaseEnd: Date) => renewPendingLeases(db, 'webhook_deliveries', ids, leaseEnd);

/** When the earliest pending delivery of a subscription with budget left becomes due. */
export const nextDeliveryDueExcept = (db: Executor, saturated: readonly string[]) =>
  nextPendingDueExcept(db, { table: 'webhook_deliveries', group: 'webhook_id' }, saturated);

export const nextDeliveryDue = (db: Executor) => nextPendingDue(db, { table: 'webhook_deliveries', column: 'next_attempt_at' });

export interface AttemptRecord {
  deliveryId: string;
  attempt: number;
  attemptedAt: Date;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  responseBody: string | null;
}

export async function insertAttempt(tx: Executor, a: AttemptRecord): Promise<void> {
  await tx
    .insertInto('webhook_attempts')
    .values({
      delivery_id: a.deliveryId,
      attempt: a.attempt,
      attempted_at: a.attemptedAt,
      status_code: a.statusCode,
      duration_ms: a.durationMs,
      error: a.error,
      response_body: a.responseBody,
    })
    .execute();
}

/** A successful attempt: the attempt row and the finished delivery in one statement. */
export async function recordSuccess(db: Executor, a: AttemptRecord, now: Date): Promise<void> {
  await sql`
    WITH attempt AS (
      INSERT INTO webhook_attempts (delivery_id, attempt, attempted_at, status_code, duration_ms, error, response_body)
      VALUES (${a.deliveryId}, ${a.attempt}, ${a.attemptedAt}, ${a.statusCode}, ${a.durationMs}, NULL, ${a.responseBody})
    )
    UPDATE webhook_deliveries SET status = 'succeeded', last_error = NULL, completed_at = ${now}
    WHERE id = ${a.deliveryId}`.execute(db);
}

export async function finishDelivery(
  tx: Executor,
  id: string,
  outcome: { status: 'succeeded' | 'failed'; error: string | null; now: Date },
): Promise<void> {
  await tx
    .updateTable('webhook_deliveries')
    .set({ status: outcome.status, last_error: outcome.error, completed_at: outcome.now })
    .where('id', '=', id)
    .execute();
}

export async function retryDeliveryAt(tx: Executor, id: string, at: Date, error: string): Promise<void> {
  await tx.updateTable('webhook_deliveries').set({ next_attempt_at: at, last_error: error }).where('id', '=', id).execute();
}

/** Ends every pending delivery of a subscription that can no longer receive (disabled, deleted). */
export async function failPendingDeliveries(tx: Executor, webhookId: string, reason: string, now: Date): Promise<void> {
  await tx
    .updateTable('webhook_deliveries')
    .set({ status: 'failed', last_error: reason, completed_at: now })
    .where('webhook_id', '=', webhookId)
    .where('status', '=', 'pending')
    .execute();
}
