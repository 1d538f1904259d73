// A booking's write in ONE statement: the appointment, its host rows (under the exclusion
// constraint), its attendee and its outbox event. One statement is atomic on its own, so a plain
// booking needs no BEGIN/COMMIT either: one round trip instead of seven. The rows are built in
// full by the caller and every column is written from them, so what the caller presents (and puts
// in the event) is exactly what was stored, without reading it back.
import { CompiledQuery } from 'kysely';
import type { Executor } from '../db/database.ts';
import { PREPARED_MARK } from '../db/prepared.ts';
import type { OutboxEvent } from '../outbox/events.ts';
import type { AppointmentRow } from './appointments.repo.ts';
import type { AttendeeRow } from './attendees.repo.ts';

export interface NewBooking {
  appointment: AppointmentRow;
  hostIds: readonly string[];
  /** The time each host gives: the meeting widened by its buffers. */
  blocked: { from: Date; to: Date };
  attendee: AttendeeRow;
  event: OutboxEvent;
}

/** jsonb columns take JSON text; everything else goes as is. */
function param(value: unknown): unknown {
  return value !== null && typeof value === 'object' && !(value instanceof Date) ? JSON.stringify(value) : value;
}

function columns(row: object, first: number): { names: string; placeholders: string; values: unknown[] } {
  const keys = Object.keys(row);
  return {
    names: keys.join(', '),
    placeholders: keys.map((_, i) => `$${first + i}`).join(', '),
    values: keys.map((key) => param((row as Record<string, unknown>)[key])),
  };
}

export async function insertBooking(executor: Executor, booking: NewBooking): Promise<void> {
  const { appointment, attendee, event } = booking;
  const a = columns(appointment, 1);
  const t = columns(attendee, 1 + a.values.length);
  const n = 1 + a.values.length + t.values.length;
  // The text depends only on the row types' keys, so it is the same named statement every time.
  const text = `${PREPARED_MARK} insert_booking */
    WITH appointment AS (
      INSERT INTO appointments (${a.names}) VALUES (${a.placeholders})
    ), hosts AS (
      INSERT INTO appointment_hosts (appointment_id, user_id, company_id, blocked)
      SELECT $${n}::uuid, host, $${n + 1}::uuid, tstzrange($${n + 2}, $${n + 3}, '[)')
      FROM unnest($${n + 4}::uuid[]) AS host
    ), attendee AS (
      INSERT INTO appointment_attendees (${t.names}) VALUES (${t.placeholders})
    )
    INSERT INTO outbox_events (company_id, type, subject_id, payload) VALUES ($${n + 5}::uuid, $${n + 6}, $${n + 7}::uuid, $${n + 8})`;
  const values = [
    ...a.values,
    ...t.values,
    appointment.id,
    appointment.company_id,
    booking.blocked.from,
    booking.blocked.to,
    booking.hostIds,
    event.companyId,
    event.type,
    event.subjectId,
    JSON.stringify(event.payload),
  ];
  await executor.executeQuery(CompiledQuery.raw(text, values));
}
