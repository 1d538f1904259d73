// Joining a group session (spots > 1): a booking of a start where the meeting type's session
// already exists adds the attendee to that appointment (same id) with a seat of their own and a
// secret of their own. The seat is taken through the ledger (seats.ts), so the database refuses
// the seat past capacity; the same email twice in one session is refused by a unique index (and
// told clearly). One `booking_created` per joining attendee names that attendee (`attendeeId`).
import { sql } from 'kysely';
import type { Db, Executor, Tx } from '../../db/database.ts';
import { SQLSTATE, sqlState } from '../../db/errors.ts';
import { AppError } from '../../lib/app-error.ts';
import { withoutSecrets } from '../../outbox/event-payload.ts';
import { enqueueEvent } from '../../outbox/outbox.repo.ts';
import type { NewSecret } from '../appointment-secrets.ts';
import type { AppointmentPresenter } from '../appointment.presenter.ts';
import { type AppointmentRow, SLOT_UNAVAILABLE } from '../appointments.repo.ts';
import { type AttendeeRow, type NewAttendee, findAttendees } from '../attendees.repo.ts';
import { isGroup, newAttendee } from '../booking.plan.ts';
import { bookedBody } from '../booking.outcome.ts';
import { insertBooking } from '../booking.repo.ts';
import { type CheckedBooking, planWrite, type WriteStrategy } from '../booking.write.ts';
import { activateSession, findSession, takeSeat } from './seats.ts';

export const DUPLICATE_SEAT = 'This email already has a seat in this session';

export interface JoinRequest {
  companyId: string;
  sessionId: string;
  attendee: NewAttendee;
  /** The new seat's own secret. */
  secret: NewSecret;
  notifyAttendees: boolean;
  now: Date;
  /** 'provisional': a held seat (double opt-in / host approval) — it counts, but nothing is announced yet. */
  seatStatus?: 'active' | 'provisional';
}

export interface Joined {
  appointment: AppointmentRow;
  attendeeId: string;
}

/** Joins in its own transaction, or in the caller's when one is open. */
export function joinSession(executor: Executor, presenter: AppointmentPresenter, request: JoinRequest): Promise<Joined> {
  if (executor.isTransaction) return joinIn(executor as Tx, presenter, request);
  return (executor as Db).transaction().execute((tx) => joinIn(tx, presenter, request));
}

async function joinIn(tx: Tx, presenter: AppointmentPresenter, request: JoinRequest): Promise<Joined> {
  const { now } = request;
  // Takes the seat first: the row lock makes joins of one session (and their checks) run in turn.
  const held = request.seatStatus === 'provisional';
  const taken = await takeSeat(tx, request.sessionId, held ? 'provisional' : 'active', now);
  if (!taken) throw new AppError('slot_unavailable', SLOT_UNAVAILABLE);
  // A confirmed seat makes a session of held seats only a real one (seats.ts activateSession).
  if (!held && taken.status === 'provisional') await activateSession(tx, taken.id, now);
  const appointment = !held && taken.status === 'provisional' ? { ...taken, status: 'active' as const } : taken;
  const seats = await findAttendees(tx, [appointment.id], true);
  const email = request.attendee.email.toLowerCase();
  if (seats.some((seat) => seat.email.toLowerCase() === email)) throw new AppError('validation_failed', DUPLICATE_SEAT);
  const position = Math.max(-1, ...seats.map((seat) => seat.position)) + 1;
  const seat: AttendeeRow = { ...newAttendee(appointment, request.attendee, position, request.secret), created_at: now, updated_at: now };
  if (held) seat.seat_status = 'provisional';
  await insertSeat(tx, seat);
  if (held) return { appointment, attendeeId: seat.id };
  const data = await presenter.presentOne(tx, appointment);
  const payload = { data: { ...withoutSecrets(data), attendeeId: seat.id }, notifyAttendees: request.notifyAttendees, secret: request.secret.secret };
  await enqueueEvent(tx, { companyId: request.companyId, type: 'booking_created', subjectId: appointment.id, payload });
  return { appointment, attendeeId: seat.id };
}

async function insertSeat(tx: Tx, seat: AttendeeRow): Promise<void> {
  try {
    await tx
      .insertInto('appointment_attendees')
      .values({
        ...seat,
        notes: JSON.stringify(seat.notes),
        custom_fields: JSON.stringify(seat.custom_fields),
        bringalong_emails: JSON.stringify(seat.bringalong_emails),
      })
      .execute();
  } catch (error) {
    if (sqlState(error) === SQLSTATE.uniqueViolation) throw new AppError('validation_failed', DUPLICATE_SEAT);
    throw error;
  }
}

/**
 * The first booking of a start creates the session; every later one joins it. Two first bookings
 * at once: the host exclusion constraint refuses the second appointment, which then joins the
 * first's session instead (inside a caller's transaction, under a savepoint).
 */
export async function createOrJoin(
  executor: Executor,
  presenter: AppointmentPresenter,
  how: {
    sessionId: string | undefined;
    create: (executor: Executor) => Promise<Joined>;
    find: (executor: Executor) => Promise<AppointmentRow | undefined>;
    request: Omit<JoinRequest, 'sessionId'>;
  },
): Promise<Joined & { joined: boolean }> {
  const join = async (sessionId: string) => ({ ...(await joinSession(executor, presenter, { ...how.request, sessionId })), joined: true as const });
  if (how.sessionId) return join(how.sessionId);
  const inTx = executor.isTransaction;
  if (inTx) await sql`SAVEPOINT group_session_create`.execute(executor);
  try {
    const created = await how.create(executor);
    if (inTx) await sql`RELEASE SAVEPOINT group_session_create`.execute(executor);
    return { ...created, joined: false };
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'slot_unavailable') throw error;
    if (inTx) await sql`ROLLBACK TO SAVEPOINT group_session_create`.execute(executor);
    const session = await how.find(executor);
    if (!session) throw error;
    return join(session.id);
  }
}

/** A new booking of a group type takes a seat; a reschedule moves a whole appointment instead. */
export function takesSeat(p: CheckedBooking): boolean {
  return isGroup(p.meetingType) && p.rescheduledFromId === null;
}

/** Joins the session at this start, or creates it; losing the race to create it joins the winner's. */
export function seatStrategy(deps: { presenter: AppointmentPresenter }): WriteStrategy {
  return {
    transactional: false,
    async write(executor, p, ctx) {
      const { companyId, now } = ctx;
      // A held seat (issue 12 item 7) counts as a seat, but nothing is announced until it is confirmed.
      const seatStatus = p.provisional ? ('provisional' as const) : ('active' as const);
      const request = { companyId, attendee: p.attendee, secret: ctx.secret, notifyAttendees: ctx.notifyAttendees, now, seatStatus };
      const seat = await createOrJoin(executor, deps.presenter, {
        sessionId: p.session?.id,
        create: async (creator) => {
          const plan = planWrite(deps.presenter, p, ctx);
          await insertBooking(creator, plan);
          return { appointment: plan.appointment, attendeeId: plan.attendees[0]!.id };
        },
        find: (finder) => findSession(finder, { companyId, meetingTypeId: p.meetingType.id, start: p.start, hostIds: p.hostIds }),
        request,
      });
      const body = { ...bookedBody(seat.appointment, ctx.secret.secret), attendeeId: seat.attendeeId };
      return { appointment: seat.appointment, attendeeId: seat.attendeeId, outcome: { kind: seat.joined ? 'joined' : 'booked', body } };
    },
  };
}
