// Carries write-back jobs to the calendar servers: PUT the appointment's event (at
// <calendar>/<appointment id>.ics the first time, then wherever it was written), DELETE it on
// cancel. A failed attempt is retried on TERMIN_CALENDAR_RETRY_SCHEDULE (jittered); when the
// schedule is spent the job is marked failed and shows so in calendarSyncProviders.
import type { CalendarsConfig } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { Clock } from '../lib/clock.ts';
import { retryDelayMs } from '../webhooks/retry.ts';
import { deleteEvent, putEvent } from './caldav.client.ts';
import type { CalendarSync } from './calendar-sync.ts';
import { claimDueWrites, finishWrite, type WriteJob } from './writes.repo.ts';

const LEASE_MS = 120_000;

export function createCalendarWriteWorker(deps: { db: Db; clock: Clock; config: CalendarsConfig; sync: Pick<CalendarSync, 'credentialsOf'> }) {
  const { db, clock, config } = deps;
  const http = { timeoutMs: config.timeoutMs, allowPrivate: config.allowPrivate };

  async function attempt(job: WriteJob): Promise<{ resourceUrl?: string | null }> {
    if (job.action === 'delete' && !job.resource_url) return {};
    if (!job.calendar_url || job.username === null) throw new Disconnected();
    const credentials = await deps.sync.credentialsOf(job);
    if (job.action === 'delete') {
      await deleteEvent(job.resource_url!, credentials, http);
      return { resourceUrl: null };
    }
    const resourceUrl = job.resource_url ?? `${job.calendar_url}${encodeURIComponent(job.appointment_id)}.ics`;
    await putEvent(resourceUrl, job.ics ?? '', credentials, http);
    return { resourceUrl };
  }

  async function runOnce(): Promise<{ processed: number }> {
    const jobs = await claimDueWrites(db, clock.now(), LEASE_MS, 10);
    for (const job of jobs) {
      try {
        const result = await attempt(job);
        await finishWrite(db, job, { status: 'done', error: null, now: clock.now(), ...result });
      } catch (error) {
        const now = clock.now();
        if (error instanceof Disconnected) {
          await finishWrite(db, job, { status: 'failed', error: error.message, now });
          continue;
        }
        const delay = retryDelayMs({ attemptsMade: job.attempt_count, scheduleMs: config.retryScheduleMs, random: Math.random() });
        const message = (error as Error).message || 'calendar write failed';
        if (delay === undefined) await finishWrite(db, job, { status: 'failed', error: message, now });
        else await finishWrite(db, job, { status: 'pending', error: message, now, nextAt: new Date(now.getTime() + delay) });
      }
    }
    return { processed: jobs.length };
  }

  return { runOnce };
}

class Disconnected extends Error {
  constructor() {
    super('the calendar was disconnected before the appointment could be written');
  }
}
