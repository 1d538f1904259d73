// The appointment as the API shows it (spec §4.6, seeds 001/002/004) and as webhooks carry it:
// the loader reads the rows, the pure mapping of appointment.json.ts builds the JSON. One place
// for GET answers, cancel/reschedule answers and outbox payloads alike. It carries the
// appointment's secret (opened from its sealed copy): the company owns it, and seed 002 lists it
// as a required field. Event payloads drop it again (outbox/event-payload.ts).
import type { Executor } from '../db/database.ts';
import { type AppointmentJson, type Related, toAppointmentJson } from './appointment.json.ts';
import { type ListCalendarSync, type ListReminderIds, loadRelated } from './appointment.loader.ts';
import type { AppointmentRow } from './appointments.repo.ts';
import { seatSecrets } from './group/seat-secrets.ts';

export type { AppointmentJson, AttendeeJson, HostJson, MeetingTypeJson } from './appointment.json.ts';
export type { CalendarSyncJson } from './appointment.json.ts';
export type { ListCalendarSync, ListReminderIds } from './appointment.loader.ts';

/** Opens a sealed appointment secret; secrets live in another feature's key, wired by the composition root. */
export type OpenSecret = (sealed: string) => Promise<string>;

export type AppointmentPresenter = ReturnType<typeof createAppointmentPresenter>;

export function createAppointmentPresenter(
  deps: { listReminderIds?: ListReminderIds; listCalendarSync?: ListCalendarSync; openSecret?: OpenSecret } = {},
) {
  const listReminderIds: ListReminderIds = deps.listReminderIds ?? (async () => new Map());
  const listCalendarSync: ListCalendarSync = deps.listCalendarSync ?? (async () => new Map());
  const openSecret = deps.openSecret;
  const secretOf = async (row: AppointmentRow) => (row.secret_sealed && openSecret ? openSecret(row.secret_sealed) : null);

  /** Presents rows in the given order, reading hosts, attendees and meeting types in three queries. */
  async function present(db: Executor, rows: AppointmentRow[]): Promise<AppointmentJson[]> {
    const [related, secrets] = await Promise.all([
      loadRelated(db, rows, listReminderIds, listCalendarSync),
      Promise.all(rows.map(secretOf)),
    ]);
    const seats = await Promise.all(related.map((r) => (openSecret ? seatSecrets(r.attendees, openSecret) : undefined)));
    return rows.map((row, i) => toAppointmentJson(row, { ...related[i]!, secret: secrets[i] ?? null, seatSecrets: seats[i] }));
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
