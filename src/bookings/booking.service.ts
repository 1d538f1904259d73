// POST /v4/booking: checks the request, asks the slot oracle whether the start is offered right
// now (the friendly check), then writes the appointment, its hosts, attendee and event in one
// statement — where the exclusion constraint is the guarantee against double booking.
// The oracle's one read also brings the meeting type and the hosts, so a plain booking costs two
// round trips: that read and the write (see booking.repo.ts). With `rescheduledFromId` (seed 000)
// the old appointment is cancelled in the same transaction, so the new time may overlap the old one.
import type { Static } from '@fastify/type-provider-typebox';
import type { BookingView, SlotOracle } from '../availability/slot-oracle.ts';
import type { SlotMeetingType } from '../availability/slot-search.repo.ts';
import { allowedDurations } from '../availability/slot-search.service.ts';
import type { Db, Executor, Tx } from '../db/database.ts';
import { inTransaction, retrying } from '../db/transaction.ts';
import { AppError, notFound } from '../lib/app-error.ts';
import type { Clock } from '../lib/clock.ts';
import { isUuid } from '../lib/ids.ts';
import { withoutSecrets } from '../outbox/event-payload.ts';
import { enqueueEvent } from '../outbox/outbox.repo.ts';
import { type NewSecret, type SecretSealer, newSecret } from './appointment-secrets.ts';
import type { AppointmentPresenter } from './appointment.presenter.ts';
import * as appointments from './appointments.repo.ts';
import type { NewAttendee } from './attendees.repo.ts';
import { type BookingPlan, newAppointment, newAttendee, plannedHosts, type QueueChoice } from './booking.plan.ts';
import { insertBooking } from './booking.repo.ts';
import * as rules from './booking.rules.ts';
import type { BookingCreated } from './bookings.schemas.ts';
import { type IdempotencyRequest, runIdempotent } from './idempotency.ts';
import { type RecurrenceInput, type SeriesHooks, type SeriesPlace, createSeriesBooking } from './series-booking.ts';
import type { ProvisionalService } from './provisional/provisional.service.ts';
import type { ProvisionalMode } from './provisional/provisional.rules.ts';
import type { ProvisionalCreatedJson } from './provisional/provisional.schemas.ts';
import { bookFirstFree, teamChoices } from './team-booking.ts';
import { createOrJoin } from './group/group-booking.ts';
import { findSession, isGroup } from './group/seats.ts';

export interface BookingInput {
  meetingTypeId: string;
  start: string;
  hostIds?: string[];
  queueId?: string | null;
  attendee: rules.AttendeeInput;
  duration?: number;
  channel?: string | null;
  location?: string | null;
  skipNotifications?: boolean;
  rescheduledFromId?: string | null;
  /** A recurring series (series-booking.ts). */
  recurrence?: RecurrenceInput | null;
}

export type BookingResult = Static<typeof BookingCreated>;

/**
 * What a booking request came to; the route maps each kind to an answer. Later kinds (provisional
 * bookings, joining a group session) add their own body schema to the route's 201 union.
 */
export type BookingOutcome =
  | { kind: 'booked'; body: BookingResult }
  | { kind: 'replayed'; body: BookingResult | ProvisionalCreatedJson }
  | { kind: 'series'; body: BookingResult }
  /** A seat in an existing group session: the same appointment, this attendee's own secret. */
  | { kind: 'joined'; body: BookingResult }
  /** Double opt-in or host approval: the slot is held, no appointment exists yet (issue 12). */
  | { kind: 'provisional'; body: ProvisionalCreatedJson };

type Host = BookingView['hosts'][number];

interface Plan {
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

export type BookingService = ReturnType<typeof createBookingService>;

export function createBookingService(deps: {
  db: Db;
  clock: Clock;
  slotOracle: SlotOracle;
  presenter: AppointmentPresenter;
  secrets: SecretSealer;
  /** Double opt-in and host approval; without it every booking is direct. */
  provisional?: Pick<ProvisionalService, 'modeFor' | 'hold'>;
}) {
  const { db, clock, slotOracle, presenter } = deps;
  const series = createSeriesBooking({ db, clock, slotOracle, secrets: deps.secrets });

  async function plan(companyId: string, input: BookingInput, now: Date): Promise<Plan> {
    const start = rules.requireStart(input.start);
    if (!isUuid(input.meetingTypeId)) throw notFound('Meeting type');
    const requested = [...new Set(input.hostIds ?? [])];
    const rescheduledFromId = input.rescheduledFromId ?? null;
    // One read for the checks below and the oracle; ids that are no UUIDs are refused in order below.
    const view = await slotOracle.readForBooking({
      companyId,
      meetingTypeId: input.meetingTypeId,
      hostIds: requested.filter(isUuid),
      start,
      ...(rescheduledFromId && isUuid(rescheduledFromId) ? { excludeAppointmentId: rescheduledFromId } : {}),
    });
    const meetingType = view.meetingType;
    if (!meetingType) throw notFound('Meeting type');
    if (!meetingType.enabled) throw new AppError('validation_failed', 'This meeting type is disabled and cannot be booked');
    const duration = rules.chooseDuration(input.duration, allowedDurations(meetingType));
    const channel = rules.chooseChannel(input.channel, meetingType.channel, meetingType.meeting_options);
    const attendee = rules.normalizeAttendee(input.attendee);
    const end = new Date(start.getTime() + duration * 60_000);
    const location = rules.chooseLocation(input.location, channel, meetingType.locations);
    // A reschedule moves a confirmed booking: it never waits for confirmation again.
    const provisional = rescheduledFromId === null ? await deps.provisional?.modeFor(db, companyId, meetingType.meeting_options) : null;
    // A queue named, or a team type booked without hosts: the queue chooses (see team-booking.ts).
    const queueId = input.queueId ?? (requested.length === 0 ? meetingType.queue_id : null);
    if (queueId != null) {
      rules.requireFuture(start, now);
      if (rescheduledFromId !== null) await requireReschedulable(db, companyId, rescheduledFromId);
      const team = { queueId, pinned: checkedHostIds(requested) };
      return { meetingType, hostIds: [], hosts: [], start, end, duration, channel, location, attendee, rescheduledFromId, team, provisional };
    }
    const hosts = resolveHosts(requested, meetingType, view.hosts);
    const hostIds = hosts.map((host) => host.user_id);
    rules.requireFuture(start, now);
    if (rescheduledFromId !== null) await requireReschedulable(db, companyId, rescheduledFromId);
    const plan = { meetingType, hostIds, hosts, start, end, duration, channel, location, attendee, rescheduledFromId, provisional };
    // A group session's start stays bookable while seats remain, though its hosts are busy with it.
    if (isGroup(meetingType) && rescheduledFromId === null) {
      const session = await findSession(db, { companyId, meetingTypeId: meetingType.id, start, hostIds });
      // Minimum notice holds for joining as for any start (slot search hides such sessions too).
      const noticed = start.getTime() >= now.getTime() + meetingType.booking_minimum * 60_000;
      if (session && noticed) return { ...plan, session };
    }
    // Every host named becomes a host of the appointment, so all must be free.
    if (view.freeHosts(hostIds, duration, 'everyone').length === 0) {
      throw new AppError('slot_unavailable', appointments.SLOT_UNAVAILABLE);
    }
    return plan;
  }

  /** The hosts, in the order asked for (the first is the main host). */
  function resolveHosts(requested: string[], meetingType: SlotMeetingType, found: readonly Host[]): Host[] {
    const hostIds = checkedHostIds(requested.length > 0 ? requested : [meetingType.user_id]);
    return hostIds.map((id) => {
      const user = found.find((candidate) => candidate.user_id === id);
      if (!user) throw new AppError('not_found', `Host ${id} not found`);
      return user;
    });
  }

  /** The whole booking as data: rows to write and the events to emit with them. */
  function planWrite(companyId: string, p: Plan, input: BookingInput, fresh: NewSecret, now: Date): BookingPlan {
    const mt = p.meetingType;
    const { secret } = fresh;
    const appointment = newAppointment({ companyId, ...p, status: p.provisional ? 'provisional' : 'active', secret: fresh, now });
    // In a group session the first seat's secret is the appointment's, kept on the seat too.
    const attendees = [newAttendee(appointment, p.attendee, 0, isGroup(mt) ? fresh : undefined)];
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
    const notifyAttendees = input.skipNotifications !== true;
    // The event keeps no readable appointment secret in its data (webhook sending fills it back in).
    const payload = { data: withoutSecrets(data), notifyAttendees, secret };
    const event = { companyId, type: 'booking_created' as const, subjectId: appointment.id, payload };
    // A held slot announces nothing yet: booking_created fires on the final confirmation.
    return { appointment, hosts: plannedHosts(appointment, p.hostIds), attendees, events: p.provisional ? [] : [event] };
  }

  /** A team booking: choose under the queue's lock, write the first choice still free. */
  async function writeTeam(tx: Tx, companyId: string, p: Plan, input: BookingInput, fresh: NewSecret, now: Date): Promise<BookingOutcome> {
    const team = p.team!;
    const old = p.rescheduledFromId ? await cancelReplaced(tx, companyId, p.rescheduledFromId, now) : undefined;
    const choices = await teamChoices(tx, slotOracle, {
      companyId,
      meetingTypeId: p.meetingType.id,
      queueId: team.queueId,
      pinned: team.pinned,
      start: p.start,
      duration: p.duration,
      now,
      ...(old ? { excludeAppointmentId: old.id } : {}),
    });
    const outcome = await bookFirstFree(tx, choices, async (choice) => {
      const plan = planWrite(companyId, { ...p, ...choice }, input, fresh, now);
      await insertBooking(tx, plan);
      return { plan, outcome: booked(plan.appointment, fresh.secret) };
    });
    if (old) await replaced(tx, companyId, old.id, outcome.plan.appointment.id, input);
    if (p.provisional) return hold(tx, outcome.plan, p.provisional, input, now);
    return outcome.outcome;
  }

  async function replaced(tx: Executor, companyId: string, oldId: string, newId: string, input: BookingInput): Promise<void> {
    const notifyAttendees = input.skipNotifications !== true;
    await appointments.linkRescheduledTo(tx, oldId, newId);
    const oldData = await presenter.presentOne(tx, (await appointments.findAppointment(tx, companyId, oldId))!);
    await enqueueEvent(tx, { companyId, type: 'booking_cancelled', subjectId: oldId, payload: { data: withoutSecrets(oldData), notifyAttendees } });
  }

  async function write(tx: Executor, companyId: string, p: Plan, input: BookingInput, fresh: NewSecret, now: Date): Promise<BookingOutcome> {
    if (isGroup(p.meetingType) && p.rescheduledFromId === null) return writeGroup(tx, companyId, p, input, fresh, now);
    const old = p.rescheduledFromId ? await cancelReplaced(tx, companyId, p.rescheduledFromId, now) : undefined;
    const plan = planWrite(companyId, p, input, fresh, now);
    await insertBooking(tx, plan);
    if (old) await replaced(tx, companyId, old.id, plan.appointment.id, input);
    if (p.provisional) return hold(tx, plan, p.provisional, input, now);
    return booked(plan.appointment, fresh.secret);
  }

  /** The held appointment is written; the hold records what it waits for (same transaction). */
  async function hold(tx: Executor, plan: Pick<BookingPlan, 'appointment'>, mode: ProvisionalMode, input: BookingInput, now: Date, attendeeId?: string): Promise<BookingOutcome> {
    const dto = { ...input } as Record<string, unknown>;
    const held = { appointment: plan.appointment, mode, dto, notifyAttendees: input.skipNotifications !== true, now, ...(attendeeId ? { attendeeId } : {}) };
    const body = await deps.provisional!.hold(tx, held);
    return { kind: 'provisional', body };
  }

  /** Joins the session at this start, or creates it; losing the race to create it joins the winner's. */
  async function writeGroup(tx: Executor, companyId: string, p: Plan, input: BookingInput, fresh: NewSecret, now: Date): Promise<BookingOutcome> {
    const seatStatus = p.provisional ? ('provisional' as const) : ('active' as const);
    const request = { companyId, attendee: p.attendee, secret: fresh, notifyAttendees: input.skipNotifications !== true, now, seatStatus };
    const outcome = await createOrJoin(tx, presenter, {
      sessionId: p.session?.id,
      create: async (executor) => {
        const plan = planWrite(companyId, p, input, fresh, now);
        await insertBooking(executor, plan);
        return { appointment: plan.appointment, attendeeId: plan.attendees[0]!.id };
      },
      find: (executor) => findSession(executor, { companyId, meetingTypeId: p.meetingType.id, start: p.start, hostIds: p.hostIds }),
      request,
    });
    // A held seat (issue 12 item 7): the hold names the seat; nothing is announced until it is confirmed.
    if (p.provisional) return hold(tx, outcome, p.provisional, input, now, outcome.attendeeId);
    const body = bookedBody(outcome.appointment, fresh.secret);
    return { kind: outcome.joined ? 'joined' : 'booked', body: { ...body, attendeeId: outcome.attendeeId } };
  }

  async function cancelReplaced(tx: Executor, companyId: string, oldId: string, now: Date) {
    const old = await requireReschedulable(tx, companyId, oldId, true);
    await appointments.markCancelled(
      tx,
      old.id,
      { actionSource: 'host', actionAt: now.toISOString(), actionBy: null, reason: 'Rescheduled to a new time' },
      now,
    );
    return old;
  }

  /** A series plans and writes each occurrence as this service plans and writes one booking. */
  function seriesHooks(companyId: string, input: BookingInput): SeriesHooks<Plan> {
    return {
      plan: (start, now) => plan(companyId, { ...input, start }, now),
      planWrite: (p, place, secret, now) => planWrite(companyId, { ...p, series: place }, input, secret, now),
    };
  }

  /** Books; a repeated Idempotency-Key replays the first outcome. */
  async function book(companyId: string, input: BookingInput, idempotency?: IdempotencyRequest): Promise<BookingOutcome> {
    if (input.recurrence) return series.book(companyId, { ...input, recurrence: input.recurrence }, seriesHooks(companyId, input), idempotency);
    const now = clock.now();
    const prepare = () => plan(companyId, input, now);
    const fresh = await newSecret(deps.secrets);
    const work = (tx: Executor, p: Plan) => write(tx, companyId, p, input, fresh, now);
    if (!idempotency && input.rescheduledFromId == null && input.queueId == null) {
      // A plain booking is one statement, atomic by itself: no transaction round trips.
      const p = await prepare();
      if (!p.team && !p.provisional) return retrying(() => work(db, p)).catch(appointments.rethrowAsSlotError);
      if (!p.team) return inTransaction(db, (tx) => work(tx, p)).catch(appointments.rethrowAsSlotError);
      return inTransaction(db, (tx) => writeTeam(tx, companyId, p, input, fresh, now)).catch(appointments.rethrowAsSlotError);
    }
    const transactional = (tx: Tx, p: Plan) => (p.team ? writeTeam(tx, companyId, p, input, fresh, now) : work(tx, p));
    return runIdempotent(db, now, idempotency, prepare, transactional, asReplay).catch(appointments.rethrowAsSlotError);
  }

  return { book };
}

async function requireReschedulable(db: Db | Tx, companyId: string, id: string, lock = false) {
  const row = isUuid(id)
    ? await (lock ? appointments.lockAppointment(db, companyId, id) : appointments.findAppointment(db, companyId, id))
    : undefined;
  if (!row) throw notFound('Appointment');
  rules.requireNotCancelled(row);
  return row;
}

function checkedHostIds(hostIds: string[]): string[] {
  if (hostIds.length > rules.MAX_HOSTS) throw new AppError('validation_failed', `At most ${rules.MAX_HOSTS} hosts per booking`);
  const bad = hostIds.find((id) => !isUuid(id));
  if (bad !== undefined) throw new AppError('validation_failed', `hostIds must contain user ids (got "${bad}")`);
  return hostIds;
}

function bookedBody(row: appointments.AppointmentRow, secret: string): BookingResult {
  return { appointmentId: row.id, secret, id: row.id, start: row.start_at.toISOString(), end: row.end_at.toISOString(), meetingLink: row.meeting_link };
}

function booked(row: appointments.AppointmentRow, secret: string): BookingOutcome {
  return { kind: 'booked', body: bookedBody(row, secret) };
}

/** The appointment a booking made; a held (provisional) answer has none, which callers needing one refuse. */
export function appointmentOf(outcome: BookingOutcome): BookingResult {
  if ('appointmentId' in outcome.body) return outcome.body;
  throw new AppError('validation_failed', 'This booking waits for confirmation and has no appointment yet');
}

const asReplay = (outcome: BookingOutcome): BookingOutcome => ({ ...outcome, kind: 'replayed' });
