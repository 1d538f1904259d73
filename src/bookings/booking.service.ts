// POST /v4/booking: checks the request, asks the slot oracle whether the start is offered right
// now (the friendly check), then writes the appointment, its hosts, attendee and event in one
// transaction — where the exclusion constraint is the guarantee against double booking.
// With `rescheduledFromId` (seed 000) the old appointment is cancelled in the same transaction,
// so the new time may overlap the old one.
import { randomUUID } from 'node:crypto';
import type { SlotOracle } from '../availability/slot-oracle.ts';
import { allowedDurations } from '../availability/slot-search.service.ts';
import type { Db, Tx } from '../db/database.ts';
import { AppError, notFound } from '../lib/app-error.ts';
import type { Clock } from '../lib/clock.ts';
import { isUuid } from '../lib/ids.ts';
import { hashSecret, randomToken } from '../lib/secrets.ts';
import { enqueueEvent } from '../outbox/outbox.repo.ts';
import { type MeetingTypeRow, findMeetingType } from '../meeting-types/meeting-types.repo.ts';
import { type UserRow, findUsers } from '../users/users.repo.ts';
import type { AppointmentPresenter } from './appointment.presenter.ts';
import * as appointments from './appointments.repo.ts';
import { type NewAttendee, insertAttendee } from './attendees.repo.ts';
import * as rules from './booking.rules.ts';
import { type IdempotencyRequest, runIdempotent } from './idempotency.ts';

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
}

export interface BookingResult {
  appointmentId: string;
  secret: string;
  id: string;
  start: string;
  end: string;
  meetingLink: string | null;
}

interface Plan {
  meetingType: MeetingTypeRow;
  hostIds: string[];
  hosts: UserRow[];
  start: Date;
  end: Date;
  duration: number;
  channel: string;
  location: string | null;
  attendee: NewAttendee;
  rescheduledFromId: string | null;
}

export type BookingService = ReturnType<typeof createBookingService>;

export function createBookingService(deps: { db: Db; clock: Clock; slotOracle: SlotOracle; presenter: AppointmentPresenter }) {
  const { db, clock, slotOracle, presenter } = deps;

  async function plan(companyId: string, input: BookingInput, now: Date): Promise<Plan> {
    if (input.queueId != null) {
      throw new AppError('validation_failed', 'Queues are not supported yet: book with hostIds, or omit both to book the meeting type’s own host');
    }
    const start = rules.requireStart(input.start);
    if (!isUuid(input.meetingTypeId)) throw notFound('Meeting type');
    const meetingType = await findMeetingType(db, companyId, input.meetingTypeId);
    if (!meetingType || meetingType.deleted_at !== null) throw notFound('Meeting type');
    if (!meetingType.enabled) throw new AppError('validation_failed', 'This meeting type is disabled and cannot be booked');
    const duration = rules.chooseDuration(input.duration, allowedDurations(meetingType));
    const channel = rules.chooseChannel(input.channel, meetingType.channel, meetingType.meeting_options);
    const attendee = rules.normalizeAttendee(input.attendee);
    const hosts = await resolveHosts(companyId, input.hostIds, meetingType);
    const hostIds = hosts.map((host) => host.id);
    rules.requireFuture(start, now);
    const rescheduledFromId = input.rescheduledFromId ?? null;
    if (rescheduledFromId !== null) await requireReschedulable(db, companyId, rescheduledFromId);
    const offered = await slotOracle.isOffered({
      companyId,
      meetingTypeId: meetingType.id,
      hostIds,
      start,
      duration,
      // Every host named becomes a host of the appointment, so all must be free.
      calculationMethod: 'everyone',
      ...(rescheduledFromId ? { excludeAppointmentId: rescheduledFromId } : {}),
    });
    if (!offered) throw new AppError('slot_unavailable', appointments.SLOT_UNAVAILABLE);
    const end = new Date(start.getTime() + duration * 60_000);
    const location = rules.chooseLocation(input.location, channel, meetingType.locations);
    return { meetingType, hostIds, hosts, start, end, duration, channel, location, attendee, rescheduledFromId };
  }

  /** The hosts, in the order asked for (the first is the main host). */
  async function resolveHosts(companyId: string, requested: string[] | undefined, meetingType: MeetingTypeRow): Promise<UserRow[]> {
    const hostIds = [...new Set(requested && requested.length > 0 ? requested : [meetingType.user_id])];
    if (hostIds.length > rules.MAX_HOSTS) throw new AppError('validation_failed', `At most ${rules.MAX_HOSTS} hosts per booking`);
    const bad = hostIds.find((id) => !isUuid(id));
    if (bad !== undefined) throw new AppError('validation_failed', `hostIds must contain user ids (got "${bad}")`);
    const found = await findUsers(db, companyId, hostIds);
    return hostIds.map((id) => {
      const user = found.find((candidate) => candidate.id === id);
      if (!user) throw new AppError('not_found', `Host ${id} not found`);
      return user;
    });
  }

  async function write(tx: Tx, companyId: string, p: Plan, input: BookingInput, secret: string, now: Date) {
    const notifyAttendees = input.skipNotifications !== true;
    const old = p.rescheduledFromId ? await cancelReplaced(tx, companyId, p.rescheduledFromId, now) : undefined;
    const mt = p.meetingType;
    const meetingLink = rules.meetingLinkOf(mt.meeting_info);
    const appointment = {
      companyId,
      start: p.start,
      end: p.end,
      bufferBefore: mt.buffer_before,
      bufferAfter: mt.buffer_after,
    };
    const row = await appointments.insertAppointment(tx, {
      ...appointment,
      meetingTypeId: mt.id,
      secretHash: hashSecret(secret),
      icsUid: `${randomUUID()}@termin`,
      channel: p.channel,
      location: p.location,
      meetingLink,
      meetingInfo: snapshot(mt, p.duration, p.channel),
      mainHostId: p.hostIds[0]!,
      rescheduledFromId: p.rescheduledFromId,
      now,
    });
    const id = row.id;
    await appointments.insertHosts(tx, { ...appointment, id }, p.hostIds);
    const attendee = await insertAttendee(tx, { id, companyId, now }, p.attendee);
    if (old) await appointments.linkRescheduledTo(tx, old.id, id);
    const data = await presenter.presentWritten(tx, row, {
      hosts: p.hosts.map((host) => ({ appointment_id: id, id: host.id, email: host.email, given_name: host.given_name, family_name: host.family_name })),
      attendees: [attendee],
      meetingType: { id: mt.id, name: mt.name, duration: mt.duration },
    });
    await enqueueEvent(tx, { companyId, type: 'booking_created', subjectId: id, payload: { data, notifyAttendees, secret } });
    if (old) {
      const oldData = await presenter.presentOne(tx, (await appointments.findAppointment(tx, companyId, old.id))!);
      await enqueueEvent(tx, { companyId, type: 'booking_cancelled', subjectId: old.id, payload: { data: oldData, notifyAttendees } });
    }
    return { appointmentId: id, secret, id, start: data.start, end: data.end, meetingLink };
  }

  async function cancelReplaced(tx: Tx, companyId: string, oldId: string, now: Date) {
    const old = await requireReschedulable(tx, companyId, oldId, true);
    await appointments.markCancelled(
      tx,
      old.id,
      { actionSource: 'host', actionAt: now.toISOString(), actionBy: null, reason: 'Rescheduled to a new time' },
      now,
    );
    return old;
  }

  /** Books; answers 201's body. Replays the first answer for a repeated Idempotency-Key. */
  async function book(companyId: string, input: BookingInput, idempotency?: IdempotencyRequest): Promise<BookingResult> {
    const now = clock.now();
    const prepare = () => plan(companyId, input, now);
    const work = (tx: Tx, p: Plan) => write(tx, companyId, p, input, randomToken(32), now);
    return runIdempotent(db, now, idempotency, prepare, work).catch(appointments.rethrowAsSlotError);
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

/** What the meeting type was when booked: later edits of the type do not rewrite history. */
function snapshot(mt: MeetingTypeRow, duration: number, channel: string): Record<string, unknown> {
  return {
    ...mt.meeting_info,
    name: mt.name,
    description: mt.description,
    duration,
    channel,
    bufferBefore: mt.buffer_before,
    bufferAfter: mt.buffer_after,
  };
}
