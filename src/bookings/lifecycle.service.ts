// Cancel and reschedule, by a host (API key) or by the attendee (the appointment secret).
// Every change locks the appointment row, writes its event in the same transaction, and a
// repeated cancel changes nothing and records nothing. Rescheduling moves the appointment in
// place (same id and ICS UID, SEQUENCE + 1) and keeps its secret (seed 001: "Store the secret"), so
// links already emailed keep working.
import type { SlotOracle } from '../availability/slot-oracle.ts';
import type { Db, Tx } from '../db/database.ts';
import type { AppointmentCancel } from '../db/schema.ts';
import { AppError, notFound } from '../lib/app-error.ts';
import type { Clock } from '../lib/clock.ts';
import { isUuid } from '../lib/ids.ts';
import { hashSecret, secretMatches } from '../lib/secrets.ts';
import { withoutSecrets } from '../outbox/event-payload.ts';
import { enqueueEvent } from '../outbox/outbox.repo.ts';
import { type NewSecret, type SecretSealer, newSecret } from './appointment-secrets.ts';
import type { AppointmentJson, AppointmentPresenter } from './appointment.presenter.ts';
import * as appointments from './appointments.repo.ts';
import { findAttendees } from './attendees.repo.ts';
import { findQueue } from '../queues/queues.repo.ts';
import { entryOf } from './booking.plan.ts';
import { requireFuture, requireNotCancelled, requireStart } from './booking.rules.ts';
import { type IdempotencyRequest, runIdempotent } from './idempotency.ts';
import type { SecretGuard } from './secret-guard.ts';
import { cancelLaterInSeries } from './series-cancel.ts';
import { bookFirstFree, readTeamBeforeLock, teamChoices } from './team-booking.ts';
import { type SeatActor, groupCancelScope, removeSeat } from './group/group-cancel.ts';
import { findSeatBySecret, isGroup } from './group/seats.ts';
import { type SeatMoveDeps, moveSeat } from './group/seat-move.ts';

export interface CancelInput {
  reason?: string | null;
  attendeeId?: string;
  cancelAll?: boolean;
  cancelEntireSeries?: boolean;
  notifyAttendees?: boolean;
}

export interface RescheduleInput {
  start: string;
  ignoreAvailability?: boolean;
}

export interface RescheduleResult {
  appointment: AppointmentJson;
  previousStart: string;
  appointmentId: string;
  secret: string;
}

/** Who acts: a host through the API (user id when the header names one) or the attendee by secret. */
export interface Actor {
  source: 'host' | 'attendee';
  userId?: string;
  /** For secret-authorised calls: the stored hash the secret matched, re-checked under the lock. */
  secretHash?: string;
  /** A group session's attendee with their own seat's secret: acts on that seat only (group/group-cancel.ts). */
  seat?: SeatActor;
}

/** Where a reschedule goes, and whether the queue must find the appointment another host. */
interface Move {
  start: Date;
  end: Date;
  reassign: boolean;
  /** A new secret, made only for a row from before sealed secrets (no sealed copy to show). */
  legacySecret?: NewSecret;
}

export type LifecycleService = ReturnType<typeof createLifecycleService>;

export function createLifecycleService(deps: {
  db: Db;
  clock: Clock;
  slotOracle: SlotOracle;
  presenter: AppointmentPresenter;
  secretGuard: SecretGuard;
  secrets: SecretSealer;
  /** Books a seat elsewhere when a group attendee moves theirs (the booking service's `book`). */
  bookSeat?: SeatMoveDeps['book'];
}) {
  const { db, clock, slotOracle, presenter, secretGuard } = deps;

  async function locked(tx: Tx, companyId: string, id: string, actor: Actor) {
    const row = await appointments.lockAppointment(tx, companyId, id);
    // A secret replaced meanwhile (only rows from before sealed secrets get a new one) authorises nothing.
    if (!row || (actor.secretHash !== undefined && row.secret_hash !== actor.secretHash)) throw notFound('Appointment');
    return row;
  }

  async function cancelIn(tx: Tx, companyId: string, id: string, input: CancelInput, actor: Actor, now: Date) {
    const row = await locked(tx, companyId, id, actor);
    const scope = isGroup(row) ? groupCancelScope(row, input, actor.seat) : undefined;
    if (scope?.kind === 'seat') {
      const cancel: AppointmentCancel = { actionSource: actor.source, actionAt: now.toISOString(), actionBy: actor.userId ?? null, reason: input.reason?.trim() || null };
      const notifyAttendees = input.notifyAttendees !== false;
      return removeSeat(tx, presenter, { companyId, row, attendeeId: scope.attendeeId, seat: actor.seat, cancel, notifyAttendees, now });
    }
    const attendees = await findAttendees(tx, [id]);
    // One attendee per appointment: removing that attendee is cancelling the appointment.
    if (input.attendeeId !== undefined && !attendees.some((attendee) => attendee.id === input.attendeeId)) {
      throw notFound('Attendee');
    }
    const cancel: AppointmentCancel = {
      actionSource: actor.source,
      actionAt: now.toISOString(),
      actionBy: actor.source === 'attendee' ? (attendees[0]?.email ?? null) : (actor.userId ?? null),
      reason: input.reason?.trim() || null,
    };
    const notifyAttendees = input.notifyAttendees !== false;
    // A recurring series: "this and all later" (series-cancel.ts), also when this one was cancelled before.
    if (input.cancelEntireSeries === true) await cancelLaterInSeries(tx, presenter, row, { cancel, notifyAttendees, now });
    if (row.status === 'cancelled') return presenter.presentOne(tx, row);
    await appointments.markCancelled(tx, id, cancel, now);
    const data = await presenter.presentOne(tx, (await appointments.findAppointment(tx, companyId, id))!);
    await enqueueEvent(tx, { companyId, type: 'booking_cancelled', subjectId: id, payload: { data: withoutSecrets(data), notifyAttendees } });
    return data;
  }

  async function cancel(companyId: string, id: string, input: CancelInput, actor: Actor, idempotency?: IdempotencyRequest) {
    if (!isUuid(id)) throw notFound('Appointment');
    const now = clock.now();
    return runIdempotent(db, now, idempotency, async () => undefined, (tx) => cancelIn(tx, companyId, id, input, actor, now));
  }

  async function prepareMove(companyId: string, id: string, input: RescheduleInput, now: Date) {
    const start = requireStart(input.start);
    const row = isUuid(id) ? await appointments.findAppointment(db, companyId, id) : undefined;
    if (!row) throw notFound('Appointment');
    requireNotCancelled(row);
    requireFuture(start, now);
    const duration = (row.end_at.getTime() - row.start_at.getTime()) / 60_000;
    const legacy = row.secret_sealed === null ? { legacySecret: await newSecret(deps.secrets) } : {};
    if (input.ignoreAvailability !== true) {
      const hostIds = (await appointments.findHosts(db, [id])).map((host) => host.id);
      const offered = await slotOracle.isOffered({
        companyId,
        meetingTypeId: row.meeting_type_id,
        hostIds,
        start,
        duration,
        excludeAppointmentId: id,
        calculationMethod: 'everyone',
      });
      // A round-robin appointment whose host is busy then goes to another member (in moveIn, under
      // the queue's lock): first the members' calendars are re-read, as for a booking.
      if (!offered && !(await reassignable(companyId, row))) throw new AppError('slot_unavailable', appointments.SLOT_UNAVAILABLE);
      if (!offered) {
        await readTeamBeforeLock(slotOracle, { companyId, meetingTypeId: row.meeting_type_id, start, excludeAppointmentId: id });
        return { start, end: new Date(start.getTime() + duration * 60_000), reassign: true, ...legacy };
      }
    }
    return { start, end: new Date(start.getTime() + duration * 60_000), reassign: false, ...legacy };
  }

  async function reassignable(companyId: string, row: appointments.AppointmentRow): Promise<boolean> {
    if (!row.queue_id) return false;
    const queue = await findQueue(db, companyId, row.queue_id);
    return queue !== undefined && !queue.collective;
  }

  /** Gives the appointment to the member the queue would book now at the new time. */
  async function reassign(tx: Tx, row: appointments.AppointmentRow, to: Move, now: Date): Promise<void> {
    const choices = await teamChoices(tx, slotOracle, {
      companyId: row.company_id,
      meetingTypeId: row.meeting_type_id,
      queueId: row.queue_id!,
      pinned: [],
      start: to.start,
      duration: (to.end.getTime() - to.start.getTime()) / 60_000,
      excludeAppointmentId: row.id,
      now,
    });
    const blocked = { from: new Date(to.start.getTime() - row.buffer_before * 60_000), to: new Date(to.end.getTime() + row.buffer_after * 60_000) };
    await bookFirstFree(tx, choices, (choice) =>
      appointments.reassignHosts(tx, {
        id: row.id,
        companyId: row.company_id,
        hostIds: choice.hostIds,
        blocked,
        pick: choice.queue.pick,
        entry: entryOf(choice.queue, row.id, now, row.round_robin_entries.length + 1),
      }),
    );
  }

  async function moveIn(tx: Tx, companyId: string, id: string, to: Move, input: RescheduleInput, actor: Actor, now: Date) {
    const row = await locked(tx, companyId, id, actor);
    requireNotCancelled(row);
    // A group session moves only by its host; an attendee moves their own seat (moveSeatOf).
    if (isGroup(row) && actor.source === 'attendee') throw new AppError('validation_failed', 'Only the host can move a group session');
    if (to.reassign) await reassign(tx, row, to, now);
    // The secret stays; only a row from before sealed secrets (no sealed copy) gets a new one.
    const newSecret = row.secret_sealed === null ? to.legacySecret : undefined;
    const move = { id, start: to.start, end: to.end, bufferBefore: row.buffer_before, bufferAfter: row.buffer_after, newSecret, now };
    await appointments.moveUnderConstraint(tx, move, input.ignoreAvailability === true);
    const appointment = await presenter.presentOne(tx, (await appointments.findAppointment(tx, companyId, id))!);
    const secret = appointment.secret ?? newSecret?.secret ?? '';
    const previousStart = row.start_at.toISOString();
    const data = { rescheduledAppointment: withoutSecrets(appointment), oldStartDate: previousStart, oldEndDate: row.end_at.toISOString() };
    await enqueueEvent(tx, { companyId, type: 'booking_rescheduled', subjectId: id, payload: { data, notifyAttendees: true, secret } });
    return { appointment, previousStart, appointmentId: id, secret };
  }

  async function reschedule(companyId: string, id: string, input: RescheduleInput, actor: Actor, idempotency?: IdempotencyRequest): Promise<RescheduleResult> {
    const now = clock.now();
    const prepare = () => prepareMove(companyId, id, input, now);
    const work = (tx: Tx, to: Move) => moveIn(tx, companyId, id, to, input, actor, now);
    return runIdempotent(db, now, idempotency, prepare, work).catch(appointments.rethrowAsSlotError);
  }

  /**
   * Resolves a self-service secret to its appointment; a wrong secret is exactly an unknown id and
   * counts against the address (the self-service pages read with it too).
   */
  async function bySecret(id: string, secret: string, address: string): Promise<{ companyId: string; actor: Actor }> {
    secretGuard.check(address);
    const row = isUuid(id) ? await appointments.findAppointmentAnyCompany(db, id) : undefined;
    // In a group session a secret reaches one seat only, the first booker's included.
    if (row && isGroup(row)) return bySeatSecret(row, secret, address);
    // Hash even when there is no row, so an unknown id takes as long as a wrong secret.
    const matches = secretMatches(secret, row?.secret_hash ?? hashSecret(''));
    if (!row || !matches) {
      secretGuard.recordFailure(address);
      throw notFound('Appointment');
    }
    return { companyId: row.company_id, actor: { source: 'attendee' as const, secretHash: row.secret_hash } };
  }

  async function bySeatSecret(row: appointments.AppointmentRow, secret: string, address: string) {
    const seat = await findSeatBySecret(db, row.id, secret);
    if (!seat) {
      secretGuard.recordFailure(address);
      throw notFound('Appointment');
    }
    return { companyId: row.company_id, actor: { source: 'attendee' as const, seat } };
  }

  /** A group attendee moves only their own seat: leave this session, join the one at the new start. */
  function moveSeatOf(companyId: string, id: string, seat: SeatActor, start: string) {
    if (!deps.bookSeat) throw new AppError('validation_failed', 'Moving a seat is not available here');
    const leave = (company: string, appointmentId: string, attendeeId: string) =>
      cancel(company, appointmentId, { attendeeId, reason: 'Moved to another session' }, { source: 'attendee', seat });
    return moveSeat({ db, presenter, book: deps.bookSeat, leave }, { companyId, appointmentId: id, seat, start });
  }

  async function cancelWithSecret(id: string, secret: string, address: string, input: CancelInput) {
    const { companyId, actor } = await bySecret(id, secret, address);
    return cancel(companyId, id, input, actor);
  }

  async function rescheduleWithSecret(id: string, secret: string, address: string, input: RescheduleInput) {
    const { companyId, actor } = await bySecret(id, secret, address);
    if (actor.seat) return moveSeatOf(companyId, id, actor.seat, input.start);
    // Attendees cannot override availability; that is a host's decision.
    return reschedule(companyId, id, { start: input.start }, actor);
  }

  return { cancel, reschedule, cancelWithSecret, rescheduleWithSecret, bySecret };
}
