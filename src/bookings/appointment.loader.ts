// Reads what the appointment JSON needs beyond the appointment rows: hosts, attendees, meeting
// types and reminder ids, in a fixed number of queries however many appointments.
import type { Executor } from '../db/database.ts';
import type { CalendarSyncJson, Related } from './appointment.json.ts';
import { type AppointmentRow, findHosts } from './appointments.repo.ts';
import { findAttendees } from './attendees.repo.ts';

/**
 * Reminder ids per appointment; reminders live in another feature, wired by the composition root.
 * It gets the executor the presentation runs on — often the change's open transaction, and on
 * PGlite (one connection) a query on any other connection would wait forever.
 */
export type ListReminderIds = (db: Executor, appointmentIds: string[]) => Promise<Map<string, string[]>>;

/** Where appointments were written back into hosts' calendars; the calendars feature supplies it. */
export type ListCalendarSync = (db: Executor, appointmentIds: string[]) => Promise<Map<string, CalendarSyncJson[]>>;

/** The related rows of each appointment, in the order given (the secret is the presenter's to open). */
export async function loadRelated(
  db: Executor,
  rows: AppointmentRow[],
  listReminderIds: ListReminderIds,
  listCalendarSync: ListCalendarSync = async () => new Map(),
): Promise<Omit<Related, 'secret'>[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const typeIds = [...new Set(rows.map((row) => row.meeting_type_id))];
  const [hosts, attendees, types, reminders, calendarSync] = await Promise.all([
    findHosts(db, ids),
    findAttendees(db, ids),
    db.selectFrom('meeting_types').select(['id', 'name', 'duration', 'slug']).where('id', 'in', typeIds).execute(),
    listReminderIds(db, ids),
    listCalendarSync(db, ids),
  ]);
  const typeById = new Map(types.map((type) => [type.id, type]));
  return rows.map((row) => ({
    hosts: hosts.filter((host) => host.appointment_id === row.id),
    attendees: attendees.filter((attendee) => attendee.appointment_id === row.id),
    meetingType: typeById.get(row.meeting_type_id) ?? { id: row.meeting_type_id, name: '', duration: 0, slug: '' },
    reminderIds: reminders.get(row.id) ?? [],
    calendarSync: calendarSync.get(row.id) ?? [],
  }));
}
