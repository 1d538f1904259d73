// Sends due email jobs: claim under a lease (SKIP LOCKED), render with the secret while the event
// still holds it, send, then mark sent — or retry on the configured schedule, so an SMTP outage
// delays email and loses none. Once an event's emails are done its secret is scrubbed.
import type { Db } from '../db/database.ts';
import type { Clock } from '../lib/clock.ts';
import { retryDelayMs } from '../webhooks/retry.ts';
import * as jobs from './email-jobs.repo.ts';
import { renderEmail } from './email.templates.ts';
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

  async function sendOne(job: jobs.ClaimedEmail): Promise<void> {
    try {
      const secret = job.payload.withLinks && job.event_id ? await jobs.secretOfEvent(db, job.event_id) : undefined;
      await deps.mailer.send(renderEmail(job.payload, { publicUrl: deps.publicUrl, ...(secret ? { secret } : {}) }));
      await jobs.finishEmail(db, job.id, 'sent', null, clock.now());
    } catch (error) {
      const message = String((error as Error)?.message ?? error).slice(0, 300);
      const delay = retryDelayMs({ attemptsMade: job.attempt_count, scheduleMs: deps.retryScheduleMs, random: Math.random() });
      if (delay !== undefined) return jobs.retryEmailAt(db, job.id, new Date(clock.now().getTime() + delay), message);
      await jobs.finishEmail(db, job.id, 'failed', message, clock.now());
    }
    if (job.event_id) await jobs.scrubSecretWhenDone(db, job.event_id);
  }

  async function runOnce(): Promise<{ processed: number; nextDueAt?: Date }> {
    const claimed = await jobs.claimDueEmails(db, clock.now(), deps.batchSize ?? 10, leaseMs);
    await Promise.all(claimed.map(sendOne));
    if (claimed.length > 0) return { processed: claimed.length };
    return { processed: 0, nextDueAt: await jobs.nextEmailDue(db) };
  }

  return { runOnce };
}
