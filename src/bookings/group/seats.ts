// The seat ledger of group sessions (migrations/0014_group_sessions.sql). An appointment carries
// its capacity (`spots`) and a counter of the seats that hold time (`taken_spots`), kept within
// capacity by a CHECK. Every path that gives or frees a seat goes through `takeSeat` /
// `releaseSeat`: the counter moves in the same transaction as the seat row, and the UPDATE's row
// lock makes concurrent joins of one session wait for each other, so the count read is the count
// written. A seat counts while `holdsTime(status)` says its status holds time — a held
// (provisional, double opt-in) seat counts exactly like a confirmed one.
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { SQLSTATE, sqlState } from '../../db/errors.ts';
import type { AppointmentStatus } from '../../db/schema.ts';
import type { AppointmentRow } from '../appointments.repo.ts';
import { hashSecret } from '../../lib/secrets.ts';
import { holdsTime, isGroup } from '../booking.plan.ts';

const STATUSES: readonly AppointmentStatus[] = ['active', 'provisional', 'cancelled', 'expired', 'declined'];

/** The statuses whose seats count against capacity (and whose appointments can take seats). */
export const HOLDING_STATUSES: readonly AppointmentStatus[] = STATUSES.filter(holdsTime);

// Defined by the booking plan, which plans a group type's first seat; seat code's callers find it here too.
export { isGroup };

/**
 * Takes one seat of the session for a seat in `status`: the appointment row as it is afterwards,
 * or undefined when the session is full or no longer holds its time. A seat whose status does not
 * hold time (none today) takes no capacity. The caller writes the seat row in the same transaction.
 */
export async function takeSeat(tx: Executor, appointmentId: string, status: AppointmentStatus, now: Date): Promise<AppointmentRow | undefined> {
  const counts = holdsTime(status) ? 1 : 0;
  try {
    return await tx
      .updateTable('appointments')
      .set({ taken_spots: sql`taken_spots + ${counts}`, updated_at: now })
      .where('id', '=', appointmentId)
      .where('status', 'in', [...HOLDING_STATUSES])
      .where(sql<boolean>`taken_spots + ${counts} <= spots`)
      .returningAll()
      .executeTakeFirst();
  } catch (error) {
    // The CHECK is the guarantee behind the WHERE above: past capacity is simply "full".
    if (sqlState(error) === SQLSTATE.checkViolation) return undefined;
    throw error;
  }
}

/**
 * Frees an attendee's seat: the seat becomes 'cancelled' (or, for a held seat given up, 'expired' /
 * 'declined') and, if it held time, the session's counter gives the seat back at once. False when
 * the seat was already free (a repeated cancel).
 */
export async function releaseSeat(tx: Executor, attendeeId: string, now: Date, as: AppointmentStatus = 'cancelled'): Promise<boolean> {
  const freed = await tx
    .updateTable('appointment_attendees')
    .set({ seat_status: as, updated_at: now })
    .where('id', '=', attendeeId)
    .where('seat_status', 'in', [...HOLDING_STATUSES])
    .returning(['appointment_id'])
    .executeTakeFirst();
  if (!freed) return false;
  await tx
    .updateTable('appointments')
    .set({ taken_spots: sql`taken_spots - 1`, ics_sequence: sql`ics_sequence + 1`, updated_at: now })
    .where('id', '=', freed.appointment_id)
    .execute();
  return true;
}

/**
 * A session whose seats were all held becomes active with its first confirmed seat (a direct join
 * or a held seat confirmed); until then it is as provisional as its seats (held-seats.ts).
 */
export async function activateSession(tx: Executor, appointmentId: string, now: Date): Promise<void> {
  await tx.updateTable('appointments').set({ status: 'active', updated_at: now }).where('id', '=', appointmentId).where('status', '=', 'provisional').execute();
}

/** The open session of a meeting type at exactly this start (one per host and start, by the exclusion constraint). */
export async function findSession(
  db: Executor,
  q: { companyId: string; meetingTypeId: string; start: Date; hostIds?: readonly string[] },
): Promise<AppointmentRow | undefined> {
  let query = db
    .selectFrom('appointments')
    .selectAll()
    .where('company_id', '=', q.companyId)
    .where('meeting_type_id', '=', q.meetingTypeId)
    .where('start_at', '=', q.start)
    .where('spots', '>', 1)
    .where('status', 'in', [...HOLDING_STATUSES]);
  if (q.hostIds && q.hostIds.length > 0) query = query.where('main_host_id', 'in', [...q.hostIds]);
  return query.orderBy('created_at').executeTakeFirst();
}

/** The seat (still taken) whose own secret this is, in one session. */
export async function findSeatBySecret(db: Executor, appointmentId: string, secret: string): Promise<{ attendeeId: string; secretHash: string } | undefined> {
  const row = await db
    .selectFrom('appointment_attendees')
    .select(['id', 'secret_hash'])
    .where('appointment_id', '=', appointmentId)
    .where('secret_hash', '=', hashSecret(secret))
    .where('seat_status', 'in', [...HOLDING_STATUSES])
    .executeTakeFirst();
  return row ? { attendeeId: row.id, secretHash: row.secret_hash! } : undefined;
}
