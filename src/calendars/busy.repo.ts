// The busy-time cache: which calendars are due for a refresh (claimed with FOR UPDATE SKIP LOCKED,
// so several instances share the work), and the busy intervals of each calendar.
import { sql } from 'kysely';
import type { Executor } from '../db/database.ts';
import type { CalendarBusy } from './busy-events.ts';

/** A calendar with what a sync needs from its connection and host. */
export interface SyncTarget {
  id: string;
  user_id: string;
  url: string;
  ctag: string | null;
  full_sync_at: Date | null;
  type: 'caldav' | 'ics';
  username: string | null;
  password_sealed: string | null;
  host_email: string;
  host_timezone: string;
}

const TARGET_SELECT = sql`
  SELECT c.id, c.user_id, c.url, c.ctag, c.full_sync_at, k.type, k.username, k.password_sealed,
         u.email AS host_email, u.timezone AS host_timezone
  FROM connected_calendars c
  JOIN calendar_connections k ON k.id = c.connection_id AND k.deleted_at IS NULL
  JOIN users u ON u.id = c.user_id`;

/**
 * Claims up to `limit` busy-time calendars due for a refresh: their next_sync_at moves `leaseMs`
 * ahead, so another instance does not take them while this one works (a crash just delays them).
 */
export async function claimDueCalendars(db: Executor, now: Date, leaseMs: number, limit: number): Promise<SyncTarget[]> {
  const lease = new Date(now.getTime() + leaseMs);
  const result = await sql<SyncTarget>`
    WITH due AS (
      SELECT id FROM connected_calendars
      WHERE busy AND next_sync_at <= ${now}
      ORDER BY next_sync_at LIMIT ${limit} FOR UPDATE SKIP LOCKED
    ), claimed AS (
      UPDATE connected_calendars c SET next_sync_at = ${lease} FROM due WHERE c.id = due.id RETURNING c.id
    )
    ${TARGET_SELECT} WHERE c.id IN (SELECT id FROM claimed)`.execute(db);
  return result.rows;
}

/**
 * The busy-time calendars of some hosts of a company — with no hosts named, of those a booking
 * without hostIds may give the meeting to: the type's own host and, for a team type, every member
 * of its queue (users, and the members of its live user groups) — for a booking's re-check.
 */
export async function busyCalendarsOf(
  db: Executor,
  companyId: string,
  userIds: readonly string[],
  meetingTypeId?: string,
): Promise<SyncTarget[]> {
  const ids = userIds as string[];
  const ownHosts = meetingTypeId
    ? sql`(SELECT user_id FROM meeting_types WHERE company_id = ${companyId} AND id = ${meetingTypeId}::uuid
           UNION SELECT m.user_id FROM queue_members m JOIN queues q ON q.id = m.queue_id
                 WHERE q.company_id = ${companyId} AND q.meeting_type_id = ${meetingTypeId}::uuid
           UNION SELECT gm.user_id FROM queue_user_group_members gm
                 JOIN queue_user_groups g ON g.id = gm.group_id AND g.deleted_at IS NULL
                 JOIN queues q ON q.id = g.queue_id
                 WHERE q.company_id = ${companyId} AND q.meeting_type_id = ${meetingTypeId}::uuid)`
    : sql`(SELECT NULL::uuid)`;
  const result = await sql<SyncTarget>`${TARGET_SELECT}
    WHERE c.busy AND k.company_id = ${companyId}
      AND (c.user_id = ANY(${ids}::uuid[]) OR (cardinality(${ids}::uuid[]) = 0 AND c.user_id IN ${ownHosts}))`.execute(db);
  return result.rows;
}

/**
 * Replaces the calendar's cached busy time: all of it, or (with `within`) the part overlapping
 * that range — a time-range REPORT returns exactly the events overlapping it.
 */
export async function replaceBusy(
  db: Executor,
  target: { id: string; user_id: string },
  busy: readonly CalendarBusy[],
  within?: { from: number; to: number },
): Promise<void> {
  let removed = db.deleteFrom('calendar_busy').where('calendar_id', '=', target.id);
  if (within) removed = removed.where(sql<boolean>`busy && tstzrange(${new Date(within.from)}, ${new Date(within.to)}, '[)')`);
  await removed.execute();
  const rows = within ? busy.filter((b) => b.start < within.to && b.end > within.from) : busy;
  for (let i = 0; i < rows.length; i += 500) {
    const values = rows.slice(i, i + 500).map((b) => ({
      calendar_id: target.id,
      user_id: target.user_id,
      busy: sql`tstzrange(${new Date(b.start)}, ${new Date(b.end)}, '[)')`,
      event_uid: b.uid.slice(0, 500),
    }));
    await db.insertInto('calendar_busy').values(values).execute();
  }
}

export async function markSynced(
  db: Executor,
  id: string,
  values: { now: Date; nextAt: Date; ctag: string | null; full: boolean },
): Promise<void> {
  await db
    .updateTable('connected_calendars')
    .set({
      synced_at: values.now,
      next_sync_at: values.nextAt,
      ctag: values.ctag,
      last_error: null,
      last_error_at: null,
      ...(values.full ? { full_sync_at: values.now } : {}),
    })
    .where('id', '=', id)
    .execute();
}

export async function markSyncFailed(db: Executor, id: string, values: { now: Date; nextAt: Date; error: string }): Promise<void> {
  await db
    .updateTable('connected_calendars')
    .set({ last_error: values.error.slice(0, 500), last_error_at: values.now, next_sync_at: values.nextAt })
    .where('id', '=', id)
    .execute();
}

/** Makes the connection's calendars due now (after a change of address or credentials). */
export async function syncSoon(db: Executor, connectionId: string): Promise<void> {
  await db.updateTable('connected_calendars').set({ next_sync_at: sql<Date>`now()`, ctag: null }).where('connection_id', '=', connectionId).execute();
}
