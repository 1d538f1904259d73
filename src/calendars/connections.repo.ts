// Calendar connections and their calendars: rows of one company, always filtered by company_id
// (another company's connection is "not found").
import { type Selectable, sql } from 'kysely';
import type { Executor } from '../db/database.ts';
import type { CalendarConnectionsTable, ConnectedCalendarsTable } from '../db/schema.calendars.ts';
import type { FoundCalendar } from './caldav.client.ts';

const CONNECTION_COLUMNS = ['id', 'company_id', 'user_id', 'type', 'url', 'username', 'password_sealed', 'created_at', 'updated_at'] as const;
export type ConnectionRow = Pick<Selectable<CalendarConnectionsTable>, (typeof CONNECTION_COLUMNS)[number]>;
export type CalendarRow = Pick<Selectable<ConnectedCalendarsTable>, (typeof CALENDAR_COLUMNS)[number]>;

const CALENDAR_COLUMNS = ['id', 'connection_id', 'user_id', 'url', 'name', 'color', 'busy', 'write_target', 'ctag', 'synced_at', 'last_error', 'last_error_at'] as const;

export async function insertConnection(
  db: Executor,
  values: { companyId: string; userId: string; type: 'caldav' | 'ics'; url: string; username: string | null; passwordSealed: string | null },
): Promise<ConnectionRow> {
  return db
    .insertInto('calendar_connections')
    .values({
      company_id: values.companyId,
      user_id: values.userId,
      type: values.type,
      url: values.url,
      username: values.username,
      password_sealed: values.passwordSealed,
    })
    .returning(CONNECTION_COLUMNS)
    .executeTakeFirstOrThrow();
}

/**
 * Adds calendars found on the server (known URLs keep their settings) and removes those no longer
 * there. The first calendar of a CalDAV connection receives appointments when the host has no
 * calendar that does.
 */
export async function syncCalendarList(db: Executor, connection: ConnectionRow, found: readonly FoundCalendar[]): Promise<void> {
  const urls = found.map((c) => c.url);
  let removed = db.deleteFrom('connected_calendars').where('connection_id', '=', connection.id);
  if (urls.length > 0) removed = removed.where('url', 'not in', urls);
  await removed.execute();
  for (const calendar of found) {
    await db
      .insertInto('connected_calendars')
      .values({ connection_id: connection.id, user_id: connection.user_id, url: calendar.url, name: calendar.name, color: calendar.color })
      .onConflict((oc) => oc.columns(['connection_id', 'url']).doUpdateSet({ name: calendar.name, color: calendar.color }))
      .execute();
  }
  if (connection.type !== 'caldav' || found.length === 0) return;
  await sql`
    UPDATE connected_calendars SET write_target = true
    WHERE id = (SELECT id FROM connected_calendars WHERE connection_id = ${connection.id} ORDER BY created_at, url LIMIT 1)
      AND NOT EXISTS (SELECT 1 FROM connected_calendars WHERE user_id = ${connection.user_id} AND write_target)`.execute(db);
}

export async function findConnection(db: Executor, companyId: string, id: string): Promise<ConnectionRow | undefined> {
  return db
    .selectFrom('calendar_connections')
    .select(CONNECTION_COLUMNS)
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

export async function listConnections(db: Executor, companyId: string, userId?: string): Promise<ConnectionRow[]> {
  let query = db
    .selectFrom('calendar_connections')
    .select(CONNECTION_COLUMNS)
    .where('company_id', '=', companyId)
    .where('deleted_at', 'is', null);
  if (userId) query = query.where('user_id', '=', userId);
  return query.orderBy('created_at').orderBy('id').execute();
}

export async function listCalendars(db: Executor, connectionIds: readonly string[]): Promise<CalendarRow[]> {
  if (connectionIds.length === 0) return [];
  return db
    .selectFrom('connected_calendars')
    .select(CALENDAR_COLUMNS)
    .where('connection_id', 'in', connectionIds)
    .orderBy('created_at')
    .orderBy('url')
    .execute();
}

export async function updateConnection(
  db: Executor,
  id: string,
  values: { url?: string; username?: string | null; passwordSealed?: string | null },
): Promise<void> {
  await db
    .updateTable('calendar_connections')
    .set({
      updated_at: sql<Date>`now()`,
      ...(values.url !== undefined ? { url: values.url } : {}),
      ...(values.username !== undefined ? { username: values.username } : {}),
      ...(values.passwordSealed !== undefined ? { password_sealed: values.passwordSealed } : {}),
    })
    .where('id', '=', id)
    .execute();
}

/** Whether a calendar's events count as busy time; switching it on syncs it at once. */
export async function setCalendarBusy(db: Executor, connectionId: string, calendarId: string, busy: boolean): Promise<number> {
  const result = await db
    .updateTable('connected_calendars')
    .set({ busy, ...(busy ? { next_sync_at: sql<Date>`now()`, ctag: null } : {}) })
    .where('connection_id', '=', connectionId)
    .where('id', '=', calendarId)
    .executeTakeFirst();
  if (!busy) await db.deleteFrom('calendar_busy').where('calendar_id', '=', calendarId).execute();
  return Number(result.numUpdatedRows);
}

/** Makes one calendar of the host the one that receives new appointments (or none with null). */
export async function setWriteTarget(db: Executor, userId: string, calendarId: string | null): Promise<void> {
  await db.updateTable('connected_calendars').set({ write_target: false }).where('user_id', '=', userId).where('write_target', '=', true).execute();
  if (calendarId) await db.updateTable('connected_calendars').set({ write_target: true }).where('id', '=', calendarId).execute();
}

/** Soft-deletes the connection; its calendars and their busy time go at once. */
export async function deleteConnection(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('connected_calendars').where('connection_id', '=', id).execute();
  await db.updateTable('calendar_connections').set({ deleted_at: sql<Date>`now()` }).where('id', '=', id).execute();
}
