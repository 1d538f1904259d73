// The write-back table: the desired state of each appointment in each host's calendar. The
// dispatcher's consumer upserts it; the worker claims due rows (lease by moving next_attempt_at,
// FOR UPDATE SKIP LOCKED across instances) and records each outcome only if no newer revision
// arrived meanwhile.
import { sql } from 'kysely';
import type { Executor } from '../db/database.ts';

export interface WriteJob {
  id: string;
  appointment_id: string;
  user_id: string;
  uid: string;
  action: 'put' | 'delete';
  ics: string | null;
  resource_url: string | null;
  revision: number;
  attempt_count: number;
  calendar_url: string | null;
  username: string | null;
  password_sealed: string | null;
}

/** The hosts' calendars that receive new appointments (of live connections). */
export async function writeTargets(db: Executor, userIds: readonly string[]): Promise<{ id: string; user_id: string }[]> {
  if (userIds.length === 0) return [];
  return db
    .selectFrom('connected_calendars as c')
    .innerJoin('calendar_connections as k', 'k.id', 'c.connection_id')
    .select(['c.id', 'c.user_id'])
    .where('c.write_target', '=', true)
    .where('k.deleted_at', 'is', null)
    .where('c.user_id', 'in', userIds)
    .execute();
}

/** The appointment should stand in this host's calendar as `ics` (created or updated). */
export async function upsertPut(
  db: Executor,
  values: { companyId: string; appointmentId: string; userId: string; calendarId: string; uid: string; ics: string; now: Date },
): Promise<void> {
  await sql`
    INSERT INTO calendar_writes (company_id, appointment_id, user_id, calendar_id, uid, action, ics, next_attempt_at)
    VALUES (${values.companyId}, ${values.appointmentId}, ${values.userId}, ${values.calendarId}, ${values.uid}, 'put', ${values.ics}, ${values.now})
    ON CONFLICT (appointment_id, user_id) DO UPDATE SET
      action = 'put', ics = EXCLUDED.ics, revision = calendar_writes.revision + 1, status = 'pending',
      attempt_count = 0, next_attempt_at = EXCLUDED.next_attempt_at, last_error = NULL, updated_at = EXCLUDED.next_attempt_at,
      -- not yet written anywhere: it goes to the host's current target
      calendar_id = CASE WHEN calendar_writes.resource_url IS NULL THEN EXCLUDED.calendar_id ELSE calendar_writes.calendar_id END`.execute(db);
}

/** The appointment should leave every calendar it was written to. */
export async function markForDelete(db: Executor, appointmentId: string, now: Date): Promise<number> {
  const result = await db
    .updateTable('calendar_writes')
    .set({
      action: 'delete',
      revision: sql<number>`revision + 1`,
      status: 'pending',
      attempt_count: 0,
      next_attempt_at: now,
      last_error: null,
      updated_at: now,
    })
    .where('appointment_id', '=', appointmentId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function claimDueWrites(db: Executor, now: Date, leaseMs: number, limit: number): Promise<WriteJob[]> {
  const result = await sql<WriteJob>`
    WITH due AS (
      SELECT id FROM calendar_writes WHERE status = 'pending' AND next_attempt_at <= ${now}
      ORDER BY next_attempt_at LIMIT ${limit} FOR UPDATE SKIP LOCKED
    ), claimed AS (
      UPDATE calendar_writes w SET next_attempt_at = ${new Date(now.getTime() + leaseMs)}, attempt_count = w.attempt_count + 1
      FROM due WHERE w.id = due.id
      RETURNING w.id, w.appointment_id, w.user_id, w.uid, w.action, w.ics, w.resource_url, w.revision, w.attempt_count, w.calendar_id
    )
    SELECT cl.id, cl.appointment_id, cl.user_id, cl.uid, cl.action, cl.ics, cl.resource_url, cl.revision, cl.attempt_count,
           c.url AS calendar_url, k.username, k.password_sealed
    FROM claimed cl
    LEFT JOIN connected_calendars c ON c.id = cl.calendar_id
    LEFT JOIN calendar_connections k ON k.id = c.connection_id AND k.deleted_at IS NULL`.execute(db);
  return result.rows;
}

/** Records an attempt's outcome unless a newer revision arrived meanwhile (that one stays due). */
export async function finishWrite(
  db: Executor,
  job: Pick<WriteJob, 'id' | 'revision'>,
  outcome: { status: 'done' | 'failed' | 'pending'; resourceUrl?: string | null; error: string | null; nextAt?: Date; now: Date },
): Promise<void> {
  // Where the event now lives is kept whatever the revision: the next attempt must PUT or DELETE there.
  if (outcome.resourceUrl !== undefined) {
    await db.updateTable('calendar_writes').set({ resource_url: outcome.resourceUrl }).where('id', '=', job.id).execute();
  }
  await db
    .updateTable('calendar_writes')
    .set({
      status: outcome.status,
      last_error: outcome.error?.slice(0, 500) ?? null,
      updated_at: outcome.now,
      ...(outcome.nextAt ? { next_attempt_at: outcome.nextAt } : {}),
    })
    .where('id', '=', job.id)
    .where('revision', '=', job.revision)
    .execute();
}

export interface CalendarSyncProvider {
  id: string;
  type: 'caldav';
  hostId: string;
  eventId: string;
  calendarId: string | null;
  status: 'pending' | 'done' | 'failed';
  lastError: string | null;
}

/** Write-back state per appointment, for `hostingInfo.calendarSyncProviders`. */
export async function listCalendarSync(db: Executor, appointmentIds: string[]): Promise<Map<string, CalendarSyncProvider[]>> {
  const map = new Map<string, CalendarSyncProvider[]>();
  if (appointmentIds.length === 0) return map;
  const rows = await db
    .selectFrom('calendar_writes')
    .select(['id', 'appointment_id', 'user_id', 'uid', 'calendar_id', 'status', 'last_error'])
    .where('appointment_id', 'in', appointmentIds)
    .orderBy('created_at')
    .execute();
  for (const row of rows) {
    const list = map.get(row.appointment_id) ?? [];
    list.push({ id: row.id, type: 'caldav', hostId: row.user_id, eventId: row.uid, calendarId: row.calendar_id, status: row.status, lastError: row.last_error });
    map.set(row.appointment_id, list);
  }
  return map;
}
