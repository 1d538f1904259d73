// A booking plan's write in ONE statement: the appointment, its host rows (under the exclusion
// constraint), its attendees and its outbox events, however many of each. One statement is atomic
// on its own, so a plain booking needs no BEGIN/COMMIT either: one round trip instead of seven.
// Hosts, attendees and events travel as one JSON array each (jsonb_to_recordset), so the text stays
// the same named statement for any count. Every column is written from the caller's rows, so what
// the caller presents (and puts in the events) is exactly what was stored, without reading it back.
import { CompiledQuery } from 'kysely';
import type { Executor } from '../db/database.ts';
import { PREPARED_MARK } from '../db/prepared.ts';
import { asTakenSlot } from './appointments.repo.ts';
import { type BookingPlan, holdsTime } from './booking.plan.ts';

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

/** Writes the plan; a host whose time is taken meanwhile surfaces as `slot_unavailable`. */
export async function insertBooking(executor: Executor, plan: BookingPlan): Promise<void> {
  const { appointment, attendees, events } = plan;
  const a = columns(appointment, 1);
  const n = 1 + a.values.length;
  const attendeeNames = Object.keys(attendees[0] ?? {}).join(', ') || 'id';
  const active = holdsTime(appointment.status);
  const hosts = plan.hosts.map((h) => ({ user_id: h.userId, from_at: h.blocked.from, to_at: h.blocked.to, active, overbooked: h.overbooked }));
  // The text depends only on the row types' keys, so it is the same named statement every time.
  const text = `${PREPARED_MARK} insert_booking */
    WITH appointment AS (
      INSERT INTO appointments (${a.names}) VALUES (${a.placeholders})
    ), hosts AS (
      INSERT INTO appointment_hosts (appointment_id, user_id, company_id, blocked, active, overbooked)
      SELECT $${n}::uuid, h.user_id, $${n + 1}::uuid, tstzrange(h.from_at, h.to_at, '[)'), h.active, h.overbooked
      FROM jsonb_to_recordset($${n + 2}::jsonb) AS h(user_id uuid, from_at timestamptz, to_at timestamptz, active boolean, overbooked boolean)
    ), attendees AS (
      INSERT INTO appointment_attendees (${attendeeNames})
      SELECT ${attendeeNames} FROM jsonb_populate_recordset(NULL::appointment_attendees, $${n + 3}::jsonb)
    )
    INSERT INTO outbox_events (company_id, type, subject_id, payload)
    SELECT e.company_id, e.type, e.subject_id, e.payload
    FROM jsonb_to_recordset($${n + 4}::jsonb) AS e(company_id uuid, type text, subject_id uuid, payload jsonb)`;
  const eventRows = events.map((e) => ({ company_id: e.companyId, type: e.type, subject_id: e.subjectId, payload: e.payload }));
  const values = [...a.values, appointment.id, appointment.company_id, JSON.stringify(hosts), JSON.stringify(attendees), JSON.stringify(eventRows)];
  try {
    await executor.executeQuery(CompiledQuery.raw(text, values));
  } catch (error) {
    throw asTakenSlot(error);
  }
}
