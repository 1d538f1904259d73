// Email jobs: inserted by the dispatcher (deduplicated), claimed by the email worker under a
// lease with SKIP LOCKED, finished or retried. Also reads and scrubs the self-service secret kept
// on the outbox event only while an email that needs it is pending.
import { sql } from 'kysely';
import type { Executor } from '../db/database.ts';
import { nextPendingDueExcept, rankedWithinGroups, renewPendingLeases } from '../outbox/work-queue.repo.ts';
import type { EmailPayload, PlannedEmail } from './email.plan.ts';
import type { HoldMailPayload } from './hold-mail.template.ts';
import type { QuickMailPayload } from './quick-mail.template.ts';

/** Any planned email: a booking email, or another feature's (a provisional booking's, issue 12). */
type Plannable = Pick<PlannedEmail, 'kind' | 'recipient' | 'dedupeKey'> & { payload: object };

export async function insertEmailJobs<T extends Plannable = PlannedEmail>(
  tx: Executor,
  input: { companyId: string; eventId: string | null; emails: T[]; now: Date },
): Promise<T[]> {
  if (input.emails.length === 0) return [];
  const rows = await tx
    .insertInto('email_jobs')
    .values(
      input.emails.map((email) => ({
        company_id: input.companyId,
        event_id: input.eventId,
        kind: email.kind,
        recipient: email.recipient,
        dedupe_key: email.dedupeKey,
        payload: JSON.stringify(email.payload),
        next_attempt_at: input.now,
      })),
    )
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('dedupe_key')
    .execute();
  const inserted = new Set(rows.map((row) => row.dedupe_key));
  return input.emails.filter((email) => inserted.has(email.dedupeKey));
}

export interface ClaimedEmail {
  id: string;
  company_id: string;
  event_id: string | null;
  payload: EmailPayload | QuickMailPayload | HoldMailPayload;
  attempt_count: number;
}

/** Each company's emails already in flight in this process, and how many one company may have. */
export interface CompanyLoad {
  perCompany: number;
  inFlight: ReadonlyMap<string, number>;
}

/**
 * Claims due emails, oldest first, but no more of one company than its budget left: a company
 * whose sends hang (a slow or failing recipient server) holds only its own slots.
 */
export async function claimDueEmails(
  db: Executor,
  now: Date,
  limit: number,
  leaseMs: number,
  load: CompanyLoad = { perCompany: limit, inFlight: new Map() },
): Promise<ClaimedEmail[]> {
  const result = await sql<ClaimedEmail>`
    WITH ${rankedWithinGroups({ table: 'email_jobs', group: 'company_id' }, load.inFlight, now)}, due AS (
      SELECT e.id FROM email_jobs e JOIN ranked r ON r.id = e.id
      WHERE r.place <= ${load.perCompany} AND e.status = 'pending' AND e.next_attempt_at <= ${now}
      ORDER BY e.next_attempt_at LIMIT ${limit}
      FOR UPDATE OF e SKIP LOCKED
    )
    UPDATE email_jobs j
    SET attempt_count = j.attempt_count + 1, next_attempt_at = ${new Date(now.getTime() + leaseMs)}
    FROM due
    WHERE j.id = due.id
    RETURNING j.id, j.company_id, j.event_id, j.payload, j.attempt_count`.execute(db);
  return result.rows;
}

export const nextEmailDueExcept = (db: Executor, saturated: readonly string[]) =>
  nextPendingDueExcept(db, { table: 'email_jobs', group: 'company_id' }, saturated);

export const renewEmailLeases = (db: Executor, ids: readonly string[], leaseEnd: Date) => renewPendingLeases(db, 'email_jobs', ids, leaseEnd);

export async function finishEmail(db: Executor, ids: string[], status: 'sent' | 'failed', error: string | null, now: Date) {
  if (ids.length === 0) return;
  await db
    .updateTable('email_jobs')
    .set({ status, last_error: error, ...(status === 'sent' ? { sent_at: now } : {}) })
    .where('id', 'in', ids)
    .execute();
}

export async function retryEmailAt(db: Executor, id: string, at: Date, error: string): Promise<void> {
  await db.updateTable('email_jobs').set({ next_attempt_at: at, last_error: error }).where('id', '=', id).execute();
}

/** The self-service secrets still held by these events, by event id. */
export async function secretsOfEvents(db: Executor, eventIds: string[]): Promise<Map<string, string>> {
  if (eventIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('outbox_events')
    .select(['event_id', sql<string | null>`payload->>'secret'`.as('secret')])
    .where('event_id', 'in', eventIds)
    .execute();
  return new Map(rows.flatMap((row) => (row.secret ? [[row.event_id, row.secret] as const] : [])));
}

/** Removes the secret from each event once no email of that event is still pending. */
export async function scrubSecretsWhenDone(db: Executor, eventIds: string[]): Promise<void> {
  if (eventIds.length === 0) return;
  await sql`
    UPDATE outbox_events o SET payload = o.payload - 'secret'
    WHERE o.event_id = ANY(${eventIds}::uuid[]) AND jsonb_exists(o.payload, 'secret')
      AND NOT EXISTS (SELECT 1 FROM email_jobs j WHERE j.event_id = o.event_id AND j.status = 'pending')`.execute(db);
}
