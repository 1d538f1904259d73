// Cancelling in a group session (seed 002, spec AP4): `attendeeId` removes that attendee only —
// their seat is free at once, the others keep theirs, and `booking_cancelled` names the removed
// attendee; without `attendeeId` the whole session is cancelled only with `cancelAll: true`. An
// attendee acting with their own seat's secret can only ever remove their own seat.
import type { Tx } from '../../db/database.ts';
import type { AppointmentCancel } from '../../db/schema.ts';
import { AppError, notFound } from '../../lib/app-error.ts';
import { withoutSecrets } from '../../outbox/event-payload.ts';
import { enqueueEvent } from '../../outbox/outbox.repo.ts';
import { attendeeJson, leftSeatIcs } from '../appointment.json.ts';
import type { AppointmentJson, AppointmentPresenter } from '../appointment.presenter.ts';
import { type AppointmentRow, findAppointment, findHosts, markCancelled } from '../appointments.repo.ts';
import { releaseSeat } from './seats.ts';

export const CANCEL_ALL_REQUIRED =
  'This is a group appointment: send attendeeId to remove one attendee, or cancelAll: true to cancel it for all attendees';

/** An attendee acting with their own seat's secret: the seat, and the hash it matched. */
export interface SeatActor {
  attendeeId: string;
  secretHash: string;
}

export type GroupCancelScope = { kind: 'seat'; attendeeId: string } | { kind: 'all' };

/** What a cancel of a group appointment may do, or a 400/404 saying why not. */
export function groupCancelScope(row: AppointmentRow, input: { attendeeId?: string; cancelAll?: boolean }, seat?: SeatActor): GroupCancelScope {
  if (seat) {
    if (input.attendeeId !== undefined && input.attendeeId !== seat.attendeeId) throw notFound('Attendee');
    return { kind: 'seat', attendeeId: seat.attendeeId };
  }
  if (input.attendeeId !== undefined) return { kind: 'seat', attendeeId: input.attendeeId };
  // A repeated cancel of a cancelled session answers as any repeat does.
  if (row.status !== 'cancelled' && input.cancelAll !== true) throw new AppError('validation_failed', CANCEL_ALL_REQUIRED);
  return { kind: 'all' };
}

export interface RemoveSeat {
  companyId: string;
  row: AppointmentRow;
  attendeeId: string;
  seat?: SeatActor;
  cancel: AppointmentCancel;
  notifyAttendees: boolean;
  now: Date;
}

/**
 * Removes one attendee (the appointment row is locked by the caller). A seat already free changes
 * nothing and records nothing; the last attendee leaving ends the session and frees the hosts.
 */
export async function removeSeat(tx: Tx, presenter: AppointmentPresenter, r: RemoveSeat): Promise<AppointmentJson> {
  const seat = await tx
    .selectFrom('appointment_attendees')
    .selectAll()
    .where('id', '=', r.attendeeId)
    .where('appointment_id', '=', r.row.id)
    .executeTakeFirst();
  if (!seat || (r.seat && seat.secret_hash !== r.seat.secretHash)) throw notFound('Attendee');
  if (r.row.status === 'cancelled' || !(await releaseSeat(tx, seat.id, r.now))) return presenter.presentOne(tx, r.row);
  const cancel = r.cancel.actionSource === 'attendee' ? { ...r.cancel, actionBy: seat.email } : r.cancel;
  const left = (await findAppointment(tx, r.companyId, r.row.id))!;
  if (left.taken_spots === 0) await markCancelled(tx, left.id, cancel, r.now);
  const data = await presenter.presentOne(tx, (await findAppointment(tx, r.companyId, r.row.id))!);
  const removedAttendee = attendeeJson({ ...seat, seat_status: 'cancelled' }, null);
  removedAttendee.ics = leftSeatIcs(left, await findHosts(tx, [left.id]), removedAttendee);
  const payload = { data: { ...withoutSecrets(data), attendeeId: seat.id, removedAttendee, seatCancel: cancel }, notifyAttendees: r.notifyAttendees };
  await enqueueEvent(tx, { companyId: r.companyId, type: 'booking_cancelled', subjectId: r.row.id, payload });
  return data;
}
