// Keeps the busy-time cache fresh: each busy-time calendar is refreshed every sync interval. A
// CalDAV calendar whose change marker (getctag / sync-token) is unchanged is not read again (except
// once an hour, as recurring events reach into a moving horizon); an ICS feed is asked with
// If-None-Match. A failure keeps the last good busy time and records the error, which makes the
// calendar "stale" in availability answers. A booking's re-check reads just the hours around the
// booked start, bounded in time.
import type { CalendarsConfig } from '../config.ts';
import type { Db } from '../db/database.ts';
import { inTransaction } from '../db/transaction.ts';
import type { Clock } from '../lib/clock.ts';
import type { SecretBox } from '../lib/secret-box.ts';
import { DAY_MS } from '../lib/time.ts';
import { busyFromIcs } from './busy-events.ts';
import { type SyncTarget, busyCalendarsOf, claimDueCalendars, markSyncFailed, markSynced, replaceBusy } from './busy.repo.ts';
import { type Credentials, calendarCtag, eventsInRange, fetchFeed } from './caldav.client.ts';

/** Busy time is cached from a day ago to this far ahead (slot search never reads beyond it). */
export const HORIZON_DAYS = 180;
const FULL_REFRESH_MS = 3_600_000;
const CLAIM_LEASE_MS = 120_000;

export type CalendarSync = ReturnType<typeof createCalendarSync>;

export function createCalendarSync(deps: { db: Db; clock: Clock; secretBox: () => Promise<SecretBox>; config: CalendarsConfig }) {
  const { db, clock, config } = deps;
  const http = { timeoutMs: config.timeoutMs, allowPrivate: config.allowPrivate };

  async function credentialsOf(target: Pick<SyncTarget, 'username' | 'password_sealed'>): Promise<Credentials> {
    const password = target.password_sealed ? (await deps.secretBox()).open(target.password_sealed) : '';
    return { username: target.username ?? '', password };
  }

  function busyOptions(target: SyncTarget, range: { from: number; to: number }) {
    const emails = new Set([target.host_email.toLowerCase()]);
    if (target.username?.includes('@')) emails.add(target.username.toLowerCase());
    return { ...range, zone: target.host_timezone, ownerEmails: emails };
  }

  /** Refreshes one calendar; never throws (the outcome is recorded on the calendar). */
  async function syncOne(target: SyncTarget): Promise<boolean> {
    const now = clock.now();
    const range = { from: now.getTime() - DAY_MS, to: now.getTime() + HORIZON_DAYS * DAY_MS };
    const fresh = target.full_sync_at !== null && now.getTime() - target.full_sync_at.getTime() < FULL_REFRESH_MS;
    const nextAt = new Date(now.getTime() + config.syncIntervalMs);
    try {
      let texts: string[] | undefined;
      let marker: string | null;
      if (target.type === 'ics') {
        const answer = await fetchFeed(target.url, fresh ? target.ctag : null, http);
        marker = answer.changed ? answer.etag : target.ctag;
        if (answer.changed) texts = [answer.text];
      } else {
        const credentials = await credentialsOf(target);
        marker = await calendarCtag(target.url, credentials, http);
        if (!fresh || marker === null || marker !== target.ctag) texts = await eventsInRange(target.url, range, credentials, http);
      }
      await inTransaction(db, async (tx) => {
        if (texts) await replaceBusy(tx, target, busyFromIcs(texts, busyOptions(target, range)));
        await markSynced(tx, target.id, { now, nextAt, ctag: marker, full: texts !== undefined });
      });
      return true;
    } catch (error) {
      const retryAt = new Date(now.getTime() + Math.min(config.syncIntervalMs, 60_000));
      await markSyncFailed(db, target.id, { now, nextAt: retryAt, error: (error as Error).message || 'calendar sync failed' });
      return false;
    }
  }

  /** Refreshes the calendars that are due (for the worker loop). */
  async function runOnce(): Promise<{ processed: number }> {
    const due = await claimDueCalendars(db, clock.now(), CLAIM_LEASE_MS, 5);
    for (const target of due) await syncOne(target);
    return { processed: due.length };
  }

  /**
   * Reads the hosts' calendars around [from, to) now and updates the cache there, waiting at most
   * `recheckMs`; past that (or on any failure) the cached busy time stands.
   */
  async function recheck(
    question: { companyId: string; hostIds: readonly string[]; meetingTypeId?: string },
    range: { from: number; to: number },
  ): Promise<void> {
    if (config.recheckMs <= 0) return;
    const targets = await busyCalendarsOf(db, question.companyId, question.hostIds, question.meetingTypeId);
    if (targets.length === 0) return;
    const controller = new AbortController();
    const work = Promise.allSettled(targets.map((target) => recheckOne(target, range, controller.signal)));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, config.recheckMs);
    });
    await Promise.race([work, timeout]);
    clearTimeout(timer);
    controller.abort();
  }

  async function recheckOne(target: SyncTarget, range: { from: number; to: number }, signal: AbortSignal): Promise<void> {
    const options = { ...http, signal };
    let texts: string[];
    if (target.type === 'ics') {
      const answer = await fetchFeed(target.url, null, options);
      texts = answer.changed ? [answer.text] : [];
    } else {
      texts = await eventsInRange(target.url, range, await credentialsOf(target), options);
    }
    if (signal.aborted) return;
    await replaceBusy(db, target, busyFromIcs(texts, busyOptions(target, range)), range);
  }

  return { syncOne, runOnce, recheck, credentialsOf };
}
