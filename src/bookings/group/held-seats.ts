// Held seats (issue 12 item 7): a double opt-in / host approval booking of a group type takes a
// seat with seat_status 'provisional'. It counts against capacity at once (takeSeat counts every
// status that holds time), so availability and competing bookings see it as taken; nothing is
// announced for it until it is confirmed. A session created by a held seat is itself 'provisional'
// (not listed as a booking, no booking_created) until its first seat is confirmed; when its last
// seat is given up it ends like a whole held appointment (expired / declined, hosts freed).
import type { Executor } from '../../db/database.ts';
import { type AppointmentRow, findAppointment, markCancelled } from '../appointments.repo.ts';
import type { AttendeeRow } from '../attendees.repo.ts';
import { activateSession, releaseSeat } from './seats.ts';

/** Confirms the held seat: it becomes active (and so does its session). Undefined when the seat is no longer held. */
export async function confirmHeldSeat(
  tx: Executor,
  q: { companyId: string; attendeeId: string; now: Date },
): Promise<{ seat: AttendeeRow; appointment: AppointmentRow } | undefined> {
  const seat = await tx
    .updateTable('appointment_attendees')
    .set({ seat_status: 'active', updated_at: q.now })
    .where('id', '=', q.attendeeId)
    .where('seat_status', '=', 'provisional')
    .returningAll()
    .executeTakeFirst();
  if (!seat) return undefined;
  await activateSession(tx, seat.appointment_id, q.now);
  const appointment = await findAppointment(tx, q.companyId, seat.appointment_id);
  if (appointment?.status !== 'active') return undefined;
  return { seat, appointment };
}

/**
 * Gives the held seat up (expired or declined): the seat is free at once, the other seats are
 * untouched. A session left without any seat ends: one that was never confirmed takes the hold's
 * outcome, one that was (its confirmed attendees all left meanwhile) is cancelled by the system.
 */
export async function giveUpHeldSeat(
  tx: Executor,
  q: { companyId: string; attendeeId: string; as: 'expired' | 'declined'; now: Date },
  endHeld: (appointmentId: string) => Promise<void>,
): Promise<void> {
  if (!(await releaseSeat(tx, q.attendeeId, q.now, q.as))) return;
  // Read directly: findAppointment hides sessions that were never confirmed.
  const session = await tx
    .selectFrom('appointment_attendees as s')
    .innerJoin('appointments as a', 'a.id', 's.appointment_id')
    .select(['a.id', 'a.status', 'a.taken_spots'])
    .where('s.id', '=', q.attendeeId)
    .where('a.company_id', '=', q.companyId)
    .executeTakeFirst();
  if (!session || session.taken_spots > 0) return;
  if (session.status === 'provisional') return endHeld(session.id);
  if (session.status === 'active') {
    const reason = 'The last seat of this session was not confirmed';
    await markCancelled(tx, session.id, { actionSource: 'system', actionAt: q.now.toISOString(), actionBy: null, reason }, q.now);
  }
}
