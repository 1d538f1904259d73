// How a checked booking is written. The service plans a booking (`CheckedBooking`), chooses ONE
// write strategy for it and runs it: a single appointment (here), a team's choice under the queue's
// lock (team-booking.ts), a seat in a group session (group/group-booking.ts); a booking that waits
// for confirmation is written by its direct strategy and then held (provisional/provisional-booking.ts).
// A strategy says whether it needs a transaction around it: a plain booking is one statement,
// atomic by itself, so it runs without BEGIN/COMMIT.
import type { BookingView } from '../availability/slot-oracle.ts';
import type { SlotMeetingType } from '../availability/slot-search.repo.ts';
import type { Db, Executor, Tx } from '../db/database.ts';
import { notFound } from '../lib/app-error.ts';
import { isUuid } from '../lib/ids.ts';
import { withoutSecrets } from '../outbox/event-payload.ts';
import { enqueueEvent } from '../outbox/outbox.repo.ts';
import type { NewSecret } from './appointment-secrets.ts';
import type { AppointmentPresenter } from './appointment.presenter.ts';
import * as appointments from './appointments.repo.ts';
import type { NewAttendee } from './attendees.repo.ts';
import { type BookingPlan, isGroup, newAppointment, newAttendee, plannedHosts, type QueueChoice, type SeriesPlace } from './booking.plan.ts';
import { bookedBody, type BookingOutcome } from './booking.outcome.ts';
import { insertBooking } from './booking.repo.ts';
import { requireNotCancelled } from './booking.rules.ts';
import type { ProvisionalMode } from './provisional/provisional.rules.ts';

export type Host = BookingView['hosts'][number];

/** A booking request checked and resolved by the service: what to write, for whom, when. */
export interface CheckedBooking {
  meetingType: SlotMeetingType;
  hostIds: string[];
  hosts: Host[];
  start: Date;
  end: Date;
  duration: number;
  channel: string;
  location: string | null;
  attendee: NewAttendee;
  rescheduledFromId: string | null;
  /** A team type: the hosts are chosen under the queue's lock, in the transaction. */
  team?: { queueId: string; pinned: string[] };
  queue?: QueueChoice;
  meetingLink?: string | null;
  series?: SeriesPlace;
  /** The booking waits for the host's approval or the attendee's confirmation (issue 12). */
  provisional?: ProvisionalMode | null;
  /** A group type's session already at this start: the booking joins it (group/group-booking.ts). */
  session?: appointments.AppointmentRow;
}

/** What every write of one booking shares. */
export interface WriteContext {
  companyId: string;
  /** The new appointment's secret (in a group session, the new seat's). */
  secret: NewSecret;
  notifyAttendees: boolean;
  now: Date;
  /** The booking request as sent (a hold keeps it). */
  request: Record<string, unknown>;
}

/** What a strategy wrote: the appointment, the seat in a group session, and the answer for a direct booking. */
export interface Written {
  appointment: appointments.AppointmentRow;
  /** A group session's seat (a hold names it). */
  attendeeId?: string;
  outcome: BookingOutcome;
}

/** One way of writing a booking; the service chooses one per booking and runs it. */
export type WriteStrategy =
  /** Runs inside the transaction the caller opens (a queue's lock, a hold written with its appointment). */
  | { transactional: true; write(tx: Tx, booking: CheckedBooking, ctx: WriteContext): Promise<Written> }
  /** Atomic by itself (one statement, or a transaction of its own), so it may run on the pool. */
  | { transactional: false; write(executor: Executor, booking: CheckedBooking, ctx: WriteContext): Promise<Written> };

/** The whole booking as data: rows to write and the events to emit with them. Pure. */
export function planWrite(presenter: AppointmentPresenter, p: CheckedBooking, ctx: Omit<WriteContext, 'request'>): BookingPlan {
  const { companyId, now } = ctx;
  const mt = p.meetingType;
  const { secret } = ctx.secret;
  const appointment = newAppointment({ companyId, ...p, status: p.provisional ? 'provisional' : 'active', secret: ctx.secret, now });
  // In a group session the first seat's secret is the appointment's, kept on the seat too.
  const attendees = [newAttendee(appointment, p.attendee, 0, isGroup(mt) ? ctx.secret : undefined)];
  // A held seat creating its session: the seat waits as the session does (group/held-seats.ts).
  if (isGroup(mt) && p.provisional) attendees[0]!.seat_status = 'provisional';
  const data = presenter.presentNew(appointment, {
    hosts: p.hosts.map((host) => ({
      appointment_id: appointment.id,
      id: host.user_id,
      email: host.email,
      given_name: host.given_name,
      family_name: host.family_name,
      slug: host.slug,
    })),
    attendees,
    meetingType: { id: mt.id, name: mt.name, duration: mt.duration, slug: mt.slug },
    secret,
  });
  // The event keeps no readable appointment secret in its data (webhook sending fills it back in).
  const payload = { data: withoutSecrets(data), notifyAttendees: ctx.notifyAttendees, secret };
  const event = { companyId, type: 'booking_created' as const, subjectId: appointment.id, payload };
  // A held slot announces nothing yet: booking_created fires on the final confirmation.
  return { appointment, hosts: plannedHosts(appointment, p.hostIds), attendees, events: p.provisional ? [] : [event] };
}

/** One appointment with the hosts the request named (or the type's own host). */
export function singleStrategy(deps: { presenter: AppointmentPresenter }): WriteStrategy {
  return {
    transactional: false,
    async write(executor, p, ctx) {
      const old = p.rescheduledFromId ? await cancelReplaced(executor, ctx, p.rescheduledFromId) : undefined;
      const plan = planWrite(deps.presenter, p, ctx);
      await insertBooking(executor, plan);
      if (old) await linkReplaced(executor, deps.presenter, ctx, old.id, plan.appointment.id);
      return { appointment: plan.appointment, outcome: { kind: 'booked', body: bookedBody(plan.appointment, ctx.secret.secret) } };
    },
  };
}

/** The appointment a reschedule replaces: it must exist and not be cancelled (locked when writing). */
export async function requireReschedulable(db: Db | Tx, companyId: string, id: string, lock = false) {
  const row = isUuid(id)
    ? await (lock ? appointments.lockAppointment(db, companyId, id) : appointments.findAppointment(db, companyId, id))
    : undefined;
  if (!row) throw notFound('Appointment');
  requireNotCancelled(row);
  return row;
}

/** With `rescheduledFromId` the old appointment is cancelled in the new one's transaction. */
export async function cancelReplaced(tx: Executor, ctx: WriteContext, oldId: string) {
  const old = await requireReschedulable(tx, ctx.companyId, oldId, true);
  const cancel = { actionSource: 'host' as const, actionAt: ctx.now.toISOString(), actionBy: null, reason: 'Rescheduled to a new time' };
  await appointments.markCancelled(tx, old.id, cancel, ctx.now);
  return old;
}

/** Links the old appointment to its replacement and announces its cancellation. */
export async function linkReplaced(tx: Executor, presenter: AppointmentPresenter, ctx: WriteContext, oldId: string, newId: string): Promise<void> {
  const { companyId } = ctx;
  await appointments.linkRescheduledTo(tx, oldId, newId);
  const oldData = await presenter.presentOne(tx, (await appointments.findAppointment(tx, companyId, oldId))!);
  const payload = { data: withoutSecrets(oldData), notifyAttendees: ctx.notifyAttendees };
  await enqueueEvent(tx, { companyId, type: 'booking_cancelled', subjectId: oldId, payload });
}
