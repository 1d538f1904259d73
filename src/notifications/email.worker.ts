// Sends due email jobs: claim a batch under a lease (SKIP LOCKED), render with the secret while
// the event still holds it, send, then mark the batch sent — or retry on the configured schedule,
// so an SMTP outage delays email and loses none. Once an event's emails are done its secret is
// scrubbed. Reads and writes are per batch, not per email: on embedded PGlite every query counts.
import type { Db } from '../db/database.ts';
import type { Clock } from '../lib/clock.ts';
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
}) {
  const { db, clock } = deps;
  const leaseMs = 60_000;

  /** True when sent; otherwise the job is rescheduled or failed here. */
  async function sendOne(job: jobs.ClaimedEmail, secrets: Map<string, string>): Promise<boolean> {
    try {
      const payload = job.payload;
      const secret = payload.withLinks && job.event_id ? secrets.get(job.event_id) : undefined;
      const ctx = { publicUrl: deps.publicUrl, ...(secret ? { secret } : {}) };
      await deps.mailer.send(isQuickMail(payload) ? renderQuickMail(payload) : isHoldMail(payload) ? renderHoldMail(payload, ctx) : renderEmail(payload, ctx));
      return true;
    } catch (error) {
      const message = String((error as Error)?.message ?? error).slice(0, 300);
      const delay = retryDelayMs({ attemptsMade: job.attempt_count, scheduleMs: deps.retryScheduleMs, random: Math.random() });
      if (delay !== undefined) await jobs.retryEmailAt(db, job.id, new Date(clock.now().getTime() + delay), message);
      else await jobs.finishEmail(db, [job.id], 'failed', message, clock.now());
      return false;
    }
  }

  async function runOnce(): Promise<{ processed: number; nextDueAt?: Date }> {
    const claimed = await jobs.claimDueEmails(db, clock.now(), deps.batchSize ?? 20, leaseMs);
    if (claimed.length === 0) return { processed: 0, nextDueAt: await jobs.nextEmailDue(db) };
    const needingSecret = claimed.filter((job) => job.payload.withLinks && job.event_id).map((job) => job.event_id!);
    const secrets = await jobs.secretsOfEvents(db, [...new Set(needingSecret)]);
    const sent = await Promise.all(claimed.map((job) => sendOne(job, secrets)));
    await jobs.finishEmail(db, claimed.filter((_, i) => sent[i]).map((job) => job.id), 'sent', null, clock.now());
    const events = new Set(claimed.flatMap((job) => (job.event_id ? [job.event_id] : [])));
    await jobs.scrubSecretsWhenDone(db, [...events]);
    return { processed: claimed.length };
  }

  return { runOnce };
}
