// The appointment as the API shows it (spec §4.6, seeds 001/002/004) and as webhooks carry it:
// the loader reads the rows, the pure mapping of appointment.json.ts builds the JSON. One place
// for GET answers, cancel/reschedule answers and outbox payloads alike. The secret is never part
// of it: only its hash is stored.
import type { Executor } from '../db/database.ts';
import { type AppointmentJson, type Related, toAppointmentJson } from './appointment.json.ts';
import { type ListCalendarSync, type ListReminderIds, loadRelated } from './appointment.loader.ts';
import type { AppointmentRow } from './appointments.repo.ts';

export type { AppointmentJson, AttendeeJson, HostJson } from './appointment.json.ts';
export type { CalendarSyncJson } from './appointment.json.ts';
export type { ListCalendarSync, ListReminderIds } from './appointment.loader.ts';

export type AppointmentPresenter = ReturnType<typeof createAppointmentPresenter>;

export function createAppointmentPresenter(deps: { listReminderIds?: ListReminderIds; listCalendarSync?: ListCalendarSync } = {}) {
  const listReminderIds: ListReminderIds = deps.listReminderIds ?? (async () => new Map());
  const listCalendarSync: ListCalendarSync = deps.listCalendarSync ?? (async () => new Map());

  /** Presents rows in the given order, reading hosts, attendees and meeting types in three queries. */
  async function present(db: Executor, rows: AppointmentRow[]): Promise<AppointmentJson[]> {
    const related = await loadRelated(db, rows, listReminderIds, listCalendarSync);
    return rows.map((row, i) => toAppointmentJson(row, related[i]!));
  }

  async function presentOne(db: Executor, row: AppointmentRow): Promise<AppointmentJson> {
    const [json] = await present(db, [row]);
    return json!;
  }

  /**
   * Presents an appointment the caller has just written with its related rows: the same JSON as
   * `present`, without reading back what was just written. It has no reminders yet (the outbox
   * dispatcher schedules them from its event).
   */
  function presentNew(row: AppointmentRow, related: Omit<Related, 'reminderIds' | 'calendarSync'>): AppointmentJson {
    return toAppointmentJson(row, { ...related, reminderIds: [], calendarSync: [] });
  }

  return { present, presentOne, presentNew };
}
