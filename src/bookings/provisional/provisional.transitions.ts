// The steps of a hold, each inside the caller's transaction with the row locked: host approval,
// the final confirmation (the held appointment becomes active and is announced exactly as a
// direct booking: `booking_created` with its secret, so invitations, reminders, webhooks and
// calendar write-back follow from the same consumers), decline and expiry (the slot is freed).
import type { Executor } from '../../db/database.ts';
import { AppError } from '../../lib/app-error.ts';
import { hashSecret, randomToken } from '../../lib/secrets.ts';
import { withoutSecrets } from '../../outbox/event-payload.ts';
import type { EventType } from '../../outbox/events.ts';
import { enqueueEvent } from '../../outbox/outbox.repo.ts';
import type { SecretSealer } from '../appointment-secrets.ts';
import type { AppointmentPresenter } from '../appointment.presenter.ts';
import { findAppointment } from '../appointments.repo.ts';
import { confirmHeldSeat, giveUpHeldSeat } from '../group/held-seats.ts';
import { toProvisionalJson } from './provisional.json.ts';
import * as repo from './provisional.repo.ts';
import { addMinutes } from './provisional.rules.ts';
import type { ProvisionalBookingJson } from './provisional.schemas.ts';

export const NOT_FOUND = 'Provisional booking not found';
export const SEAT_GONE = 'The held seat is no longer part of its session (removed or the session was cancelled)';
export const EXPIRED = 'This provisional booking has expired; the slot has been released';

export interface TransitionDeps {
  presenter: AppointmentPresenter;
  secrets: SecretSealer;
}

/** The JSON of one hold as it stands in this transaction. */
export async function present(tx: Executor, row: repo.ProvisionalRow): Promise<ProvisionalBookingJson> {
  const held = await repo.loadHeld(tx, [row.appointment_id]);
  return toProvisionalJson(row, held.appointments.get(row.appointment_id), held.hosts.get(row.appointment_id) ?? []);
}

/** Writes the event of a step; `token` rides along for the email that carries its link. */
export async function announce(tx: Executor, row: repo.ProvisionalRow, type: EventType, token?: string): Promise<ProvisionalBookingJson> {
  const data = await present(tx, row);
  const payload = { data, notifyAttendees: row.notify_attendees, ...(token ? { secret: token } : {}) };
  await enqueueEvent(tx, { companyId: row.company_id, type, subjectId: row.id, payload });
  return data;
}

/** A settled hold cannot move again: expired → 410, confirmed or declined → 409. */
export function requirePending(row: repo.ProvisionalRow): void {
  if (row.status === 'pending') return;
  if (row.status === 'expired') throw new AppError('gone', EXPIRED);
  const what = row.status === 'confirmed' ? 'already confirmed' : 'declined by the host';
  throw new AppError('conflict', `This provisional booking was ${what}`);
}

export function isOverdue(row: repo.ProvisionalRow, now: Date): boolean {
  return row.status === 'pending' && row.expires_at.getTime() <= now.getTime();
}

/** The hold is given up: a whole held appointment ends; a held seat is freed and its session goes on (group/held-seats.ts). */
async function release(tx: Executor, row: repo.ProvisionalRow, as: 'expired' | 'declined', now: Date): Promise<void> {
  const end = (appointmentId: string) => repo.setAppointmentStatus(tx, appointmentId, as, false, now);
  if (row.attendee_id === null) return end(row.appointment_id);
  await giveUpHeldSeat(tx, { companyId: row.company_id, attendeeId: row.attendee_id, as, now }, end);
}

export async function expire(tx: Executor, row: repo.ProvisionalRow, now: Date): Promise<void> {
  const settled = { ...row, status: 'expired' as const, awaiting: null, settled_at: now, updated_at: now };
  await repo.updateProvisional(tx, row.id, { status: 'expired', awaiting: null, settled_at: now }, now);
  await release(tx, row, 'expired', now);
  await announce(tx, settled, 'provisional_booking_expired');
}

export async function decline(tx: Executor, row: repo.ProvisionalRow, reason: string | null, now: Date): Promise<ProvisionalBookingJson> {
  const set = { status: 'declined_by_host' as const, awaiting: null, decline_reason: reason, host_token_hash: null, settled_at: now };
  await repo.updateProvisional(tx, row.id, set, now);
  await release(tx, row, 'declined', now);
  return announce(tx, { ...row, ...set, updated_at: now }, 'provisional_booking_declined');
}

/** The host approves: the attendee's step starts (with a fresh link and its own expiry), or the booking is final. */
export async function approve(deps: TransitionDeps, tx: Executor, row: repo.ProvisionalRow, now: Date): Promise<ProvisionalBookingJson> {
  if (row.awaiting !== 'host') throw new AppError('conflict', "This provisional booking awaits the attendee's confirmation");
  if (!row.needs_attendee) return finalize(deps, tx, row, now);
  const { doubleOptInExpiryMinutes } = await repo.readSettings(tx, row.company_id);
  const token = randomToken(32);
  const set = { awaiting: 'attendee' as const, host_token_hash: null, attendee_token_hash: hashSecret(token), expires_at: addMinutes(now, doubleOptInExpiryMinutes) };
  await repo.updateProvisional(tx, row.id, set, now);
  return announce(tx, { ...row, ...set, updated_at: now }, 'provisional_booking_host_approved', token);
}

/** The last step: the held appointment becomes the booking, announced like any direct booking. */
export async function finalize(deps: TransitionDeps, tx: Executor, row: repo.ProvisionalRow, now: Date): Promise<ProvisionalBookingJson> {
  const set = { status: 'confirmed' as const, awaiting: null, attendee_token_hash: null, host_token_hash: null, settled_at: now };
  await repo.updateProvisional(tx, row.id, set, now);
  if (row.attendee_id !== null) {
    await finalizeSeat(deps, tx, row, row.attendee_id, now);
    return announce(tx, { ...row, ...set, updated_at: now }, 'provisional_booking_confirmed');
  }
  await repo.setAppointmentStatus(tx, row.appointment_id, 'active', true, now);
  const appointment = await findAppointment(tx, row.company_id, row.appointment_id);
  if (!appointment) throw new AppError('not_found', NOT_FOUND);
  const data = await deps.presenter.presentOne(tx, appointment);
  const secret = appointment.secret_sealed ? await deps.secrets.open(appointment.secret_sealed) : undefined;
  const payload = { data: withoutSecrets(data), notifyAttendees: row.notify_attendees, ...(secret ? { secret } : {}) };
  await enqueueEvent(tx, { companyId: row.company_id, type: 'booking_created', subjectId: appointment.id, payload });
  return announce(tx, { ...row, ...set, updated_at: now }, 'provisional_booking_confirmed');
}

/** A held seat confirmed: the seat (and its session) becomes active and `booking_created` names that attendee, as a join does. */
async function finalizeSeat(deps: TransitionDeps, tx: Executor, row: repo.ProvisionalRow, attendeeId: string, now: Date): Promise<void> {
  const confirmed = await confirmHeldSeat(tx, { companyId: row.company_id, attendeeId, now });
  // The seat was removed or its session cancelled meanwhile: nothing is left to confirm.
  if (!confirmed) throw new AppError('conflict', SEAT_GONE);
  const { seat, appointment } = confirmed;
  const data = await deps.presenter.presentOne(tx, appointment);
  const secret = seat.secret_sealed ? await deps.secrets.open(seat.secret_sealed) : undefined;
  const payload = { data: { ...withoutSecrets(data), attendeeId: seat.id }, notifyAttendees: row.notify_attendees, ...(secret ? { secret } : {}) };
  await enqueueEvent(tx, { companyId: row.company_id, type: 'booking_created', subjectId: appointment.id, payload });
}
