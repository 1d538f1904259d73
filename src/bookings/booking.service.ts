// POST /v4/booking: checks the request, asks the slot oracle whether the start is offered right
// now (the friendly check), chooses how the booking is written (booking.write.ts) and runs that —
// the exclusion constraint on the hosts' rows is the guarantee against double booking.
// The oracle's one read also brings the meeting type and the hosts, so a plain booking costs two
// round trips: that read and the write (see booking.repo.ts). With `rescheduledFromId` (seed 000)
// the old appointment is cancelled in the same transaction, so the new time may overlap the old one.
import type { SlotOracle } from '../availability/slot-oracle.ts';
import type { SlotMeetingType } from '../availability/slot-search.repo.ts';
import { allowedDurations } from '../availability/slot-search.input.ts';
import type { Db, Tx } from '../db/database.ts';
import { inTransaction, retrying } from '../db/transaction.ts';
import { AppError, notFound } from '../lib/app-error.ts';
import type { Clock } from '../lib/clock.ts';
import { isUuid } from '../lib/ids.ts';
import { type SecretSealer, newSecret } from './appointment-secrets.ts';
import type { AppointmentPresenter } from './appointment.presenter.ts';
import * as appointments from './appointments.repo.ts';
import { asReplay, type BookingOutcome } from './booking.outcome.ts';
import * as rules from './booking.rules.ts';
import { type CheckedBooking, type Host, type WriteContext, type WriteStrategy, requireReschedulable, singleStrategy } from './booking.write.ts';
import { seatStrategy, takesSeat } from './group/group-booking.ts';
import { findSession } from './group/seats.ts';
import { type IdempotencyRequest, runIdempotent } from './idempotency.ts';
import { holdingStrategy } from './provisional/provisional-booking.ts';
import type { ProvisionalService } from './provisional/provisional.service.ts';
import { type RecurrenceInput, createSeriesBooking } from './series-booking.ts';
import { teamStrategy } from './team-booking.ts';

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
  const series = createSeriesBooking({ db, clock, slotOracle, secrets: deps.secrets, presenter });
  const single = singleStrategy({ presenter });
  const team = teamStrategy({ slotOracle, presenter });
  const seat = seatStrategy({ presenter });

  async function plan(companyId: string, input: BookingInput, now: Date): Promise<CheckedBooking> {
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
    if (takesSeat(plan)) {
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

  /** The one way this booking is written: where it goes, then announced or held for confirmation. */
  function strategyFor(booking: CheckedBooking): WriteStrategy {
    const direct = booking.team ? team : takesSeat(booking) ? seat : single;
    return booking.provisional ? holdingStrategy(direct, booking.provisional, deps.provisional!) : direct;
  }

  /** Books; a repeated Idempotency-Key replays the first outcome. */
  async function book(companyId: string, input: BookingInput, idempotency?: IdempotencyRequest): Promise<BookingOutcome> {
    if (input.recurrence) {
      const occurrence = (start: string, now: Date) => plan(companyId, { ...input, start }, now);
      return series.book(companyId, { ...input, recurrence: input.recurrence }, occurrence, idempotency);
    }
    const now = clock.now();
    const ctx: WriteContext = { companyId, secret: await newSecret(deps.secrets), notifyAttendees: input.skipNotifications !== true, now, request: { ...input } };
    const prepare = () => plan(companyId, input, now);
    if (!idempotency && input.rescheduledFromId == null && input.queueId == null) {
      const booking = await prepare();
      const strategy = strategyFor(booking);
      // A plain booking is one statement, atomic by itself: no transaction round trips.
      const written = strategy.transactional
        ? inTransaction(db, (tx) => strategy.write(tx, booking, ctx))
        : retrying(() => strategy.write(db, booking, ctx));
      return (await written.catch(appointments.rethrowAsSlotError)).outcome;
    }
    const write = async (tx: Tx, booking: CheckedBooking) => (await strategyFor(booking).write(tx, booking, ctx)).outcome;
    return runIdempotent(db, now, idempotency, prepare, write, asReplay).catch(appointments.rethrowAsSlotError);
  }

  return { book };
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

function checkedHostIds(hostIds: string[]): string[] {
  if (hostIds.length > rules.MAX_HOSTS) throw new AppError('validation_failed', `At most ${rules.MAX_HOSTS} hosts per booking`);
  const bad = hostIds.find((id) => !isUuid(id));
  if (bad !== undefined) throw new AppError('validation_failed', `hostIds must contain user ids (got "${bad}")`);
  return hostIds;
}
