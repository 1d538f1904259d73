// Sends due email jobs: claim under a lease (SKIP LOCKED), render with the secret while the event
// still holds it, send, then mark sent — or retry on the configured schedule, so an SMTP outage
// delays email and loses none. Once an event's emails are done its secret is scrubbed.
// Each company has its own concurrency budget: the claimed emails of one company are sent as one
// piece in the background, so a company whose sends hang (a slow or failing recipient server)
// holds only its own slots while the others' emails go out; leases are renewed while a send is
// in flight. Reads and writes are per company batch, not per email: on PGlite every query counts.
import type { Db } from '../db/database.ts';
import type { Clock } from '../lib/clock.ts';
import { createInFlight } from '../outbox/in-flight.ts';
import { retryDelayMs } from '../webhooks/retry.ts';
import * as jobs from './email-jobs.repo.ts';
import { renderEmail } from './email.templates.ts';
import { isHoldMail, renderHoldMail } from './hold-mail.template.ts';
import { isQuickMail, renderQuickMail } from './quick-mail.template.ts';
import type { Mailer } from './mailer.ts';

export function createEmailWorker(deps: {
  db: Db;
  clock: Clock;
  mailer: Mailer;
  publicUrl: string;
  retryScheduleMs: readonly number[];
  batchSize?: number;
  /** Emails of one company in flight at once (default 4). */
  perCompany?: number;
  /** Emails in flight in this process at once (default 50). */
  maxInFlight?: number;
  /** A send finished, so there is room to claim more: wake the loop. */
  onFreed?: () => void;
  onError?: (error: unknown) => void;
}) {
  const { db, clock } = deps;
  const leaseMs = 60_000;
  const perCompany = deps.perCompany ?? 4;
  const maxInFlight = deps.maxInFlight ?? 50;
  const inFlight = createInFlight({
    onFreed: () => deps.onFreed?.(),
    renew: (ids) => jobs.renewEmailLeases(db, ids, new Date(clock.now().getTime() + leaseMs)),
    renewEveryMs: leaseMs / 3,
    onError: deps.onError,
  });

  /** Undefined when sent; otherwise why not. */
  async function sendOne(job: jobs.ClaimedEmail, secrets: Map<string, string>): Promise<string | undefined> {
    try {
      const payload = job.payload;
      const secret = payload.withLinks && job.event_id ? secrets.get(job.event_id) : undefined;
      const ctx = { publicUrl: deps.publicUrl, ...(secret ? { secret } : {}) };
      await deps.mailer.send(isQuickMail(payload) ? renderQuickMail(payload) : isHoldMail(payload) ? renderHoldMail(payload, ctx) : renderEmail(payload, ctx));
      return undefined;
    } catch (error) {
      return String((error as Error)?.message ?? error).slice(0, 300);
    }
  }

  /** A failed send is retried on the schedule, or failed for good once it is used up. */
  async function recordFailure(job: jobs.ClaimedEmail, message: string): Promise<void> {
    const delay = retryDelayMs({ attemptsMade: job.attempt_count, scheduleMs: deps.retryScheduleMs, random: Math.random() });
    if (delay !== undefined) await jobs.retryEmailAt(db, job.id, new Date(clock.now().getTime() + delay), message);
    else await jobs.finishEmail(db, [job.id], 'failed', message, clock.now());
  }

  /**
   * Sends one company's claimed emails, then records them. Failures are recorded only once the
   * whole batch is done: until then the lease renewal would push their retry time back.
   */
  async function sendBatch(batch: jobs.ClaimedEmail[], secrets: Map<string, string>, release: (id: string) => void): Promise<void> {
    // Each email frees its company's slot when its own send ends, not when the batch does.
    const errors = await Promise.all(batch.map((job) => sendOne(job, secrets).finally(() => release(job.id))));
    await jobs.finishEmail(db, batch.filter((_, i) => errors[i] === undefined).map((job) => job.id), 'sent', null, clock.now());
    for (const [i, job] of batch.entries()) if (errors[i] !== undefined) await recordFailure(job, errors[i]!);
    const events = new Set(batch.flatMap((job) => (job.event_id ? [job.event_id] : [])));
    await jobs.scrubSecretsWhenDone(db, [...events]);
  }

  /** Claims what the budgets allow and starts sending it; does not wait for the sends. */
  async function runOnce(): Promise<{ processed: number; nextDueAt?: Date }> {
    const room = Math.min(deps.batchSize ?? 20, maxInFlight - inFlight.idCount);
    // Full: a finishing send wakes the loop (onFreed).
    if (room <= 0) return { processed: 0 };
    const claimed = await jobs.claimDueEmails(db, clock.now(), room, leaseMs, { perCompany, inFlight: inFlight.byGroup });
    if (claimed.length === 0) return { processed: 0, nextDueAt: await jobs.nextEmailDueExcept(db, inFlight.saturated(perCompany)) };
    const needingSecret = claimed.filter((job) => job.payload.withLinks && job.event_id).map((job) => job.event_id!);
    const secrets = await jobs.secretsOfEvents(db, [...new Set(needingSecret)]);
    const byCompany = new Map<string, jobs.ClaimedEmail[]>();
    for (const job of claimed) byCompany.set(job.company_id, [...(byCompany.get(job.company_id) ?? []), job]);
    for (const [companyId, batch] of byCompany) {
      inFlight.start(companyId, batch.map((job) => job.id), (release) => sendBatch(batch, secrets, release));
    }
    return { processed: claimed.length };
  }

  return { runOnce, drain: inFlight.drain };
}
