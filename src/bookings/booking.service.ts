// POST /v4/booking: checks the request, asks the slot oracle whether the start is offered right
// now (the friendly check), then writes the appointment, its hosts, attendee and event in one
// statement — where the exclusion constraint is the guarantee against double booking.
// The oracle's one read also brings the meeting type and the hosts, so a plain booking costs two
// round trips: that read and the write (see booking.repo.ts). With `rescheduledFromId` (seed 000)
// the old appointment is cancelled in the same transaction, so the new time may overlap the old one.
import { randomUUID } from 'node:crypto';
import type { BookingView, SlotOracle } from '../availability/slot-oracle.ts';
import type { SlotMeetingType } from '../availability/slot-search.repo.ts';
import { allowedDurations } from '../availability/slot-search.service.ts';
import type { Db, Executor, Tx } from '../db/database.ts';
import { retrying } from '../db/transaction.ts';
import { AppError, notFound } from '../lib/app-error.ts';
import type { Clock } from '../lib/clock.ts';
import { isUuid } from '../lib/ids.ts';
import { withoutSecrets } from '../outbox/event-payload.ts';
import { enqueueEvent } from '../outbox/outbox.repo.ts';
import { type NewSecret, type SecretSealer, newSecret } from './appointment-secrets.ts';
import type { AppointmentPresenter } from './appointment.presenter.ts';
import * as appointments from './appointments.repo.ts';
import type { AttendeeRow, NewAttendee } from './attendees.repo.ts';
import { insertBooking } from './booking.repo.ts';
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
}

export type BookingService = ReturnType<typeof createBookingService>;

export function createBookingService(deps: {
  db: Db;
  clock: Clock;
  slotOracle: SlotOracle;
  presenter: AppointmentPresenter;
  secrets: SecretSealer;
}) {
  const { db, clock, slotOracle, presenter } = deps;

  async function plan(companyId: string, input: BookingInput, now: Date): Promise<Plan> {
    if (input.queueId != null) {
      throw new AppError('validation_failed', 'Queues are not supported yet: book with hostIds, or omit both to book the meeting type’s own host');
    }
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
    const hosts = resolveHosts(requested, meetingType, view.hosts);
    const hostIds = hosts.map((host) => host.user_id);
    rules.requireFuture(start, now);
    if (rescheduledFromId !== null) await requireReschedulable(db, companyId, rescheduledFromId);
    // Every host named becomes a host of the appointment, so all must be free.
    if (view.freeHosts(hostIds, duration, 'everyone').length === 0) {
      throw new AppError('slot_unavailable', appointments.SLOT_UNAVAILABLE);
    }
    const end = new Date(start.getTime() + duration * 60_000);
    const location = rules.chooseLocation(input.location, channel, meetingType.locations);
    return { meetingType, hostIds, hosts, start, end, duration, channel, location, attendee, rescheduledFromId };
  }

  /** The hosts, in the order asked for (the first is the main host). */
  function resolveHosts(requested: string[], meetingType: SlotMeetingType, found: readonly Host[]): Host[] {
    const hostIds = requested.length > 0 ? requested : [meetingType.user_id];
    if (hostIds.length > rules.MAX_HOSTS) throw new AppError('validation_failed', `At most ${rules.MAX_HOSTS} hosts per booking`);
    const bad = hostIds.find((id) => !isUuid(id));
    if (bad !== undefined) throw new AppError('validation_failed', `hostIds must contain user ids (got "${bad}")`);
    return hostIds.map((id) => {
      const user = found.find((candidate) => candidate.user_id === id);
      if (!user) throw new AppError('not_found', `Host ${id} not found`);
      return user;
    });
  }

  async function write(tx: Executor, companyId: string, p: Plan, input: BookingInput, fresh: NewSecret, now: Date) {
    const notifyAttendees = input.skipNotifications !== true;
    const old = p.rescheduledFromId ? await cancelReplaced(tx, companyId, p.rescheduledFromId, now) : undefined;
    const mt = p.meetingType;
    const { secret } = fresh;
    const row = newAppointment(companyId, p, fresh, now);
    const attendee = newAttendee(row, p.attendee);
    const data = presenter.presentNew(row, {
      hosts: p.hosts.map((host) => ({
        appointment_id: row.id,
        id: host.user_id,
        email: host.email,
        given_name: host.given_name,
        family_name: host.family_name,
        slug: host.slug,
      })),
      attendees: [attendee],
      meetingType: { id: mt.id, name: mt.name, duration: mt.duration, slug: mt.slug },
      secret,
    });
    const blocked = { from: new Date(p.start.getTime() - mt.buffer_before * 60_000), to: new Date(p.end.getTime() + mt.buffer_after * 60_000) };
    const payload = { data: withoutSecrets(data), notifyAttendees, secret };
    const event = { companyId, type: 'booking_created' as const, subjectId: row.id, payload };
    await insertBooking(tx, { appointment: row, hostIds: p.hostIds, blocked, attendee, event });
    if (old) {
      await appointments.linkRescheduledTo(tx, old.id, row.id);
      const oldData = await presenter.presentOne(tx, (await appointments.findAppointment(tx, companyId, old.id))!);
      await enqueueEvent(tx, { companyId, type: 'booking_cancelled', subjectId: old.id, payload: { data: withoutSecrets(oldData), notifyAttendees } });
    }
    return { appointmentId: row.id, secret, id: row.id, start: data.start, end: data.end, meetingLink: row.meeting_link };
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

  /** Books; answers 201's body. Replays the first answer for a repeated Idempotency-Key. */
  async function book(companyId: string, input: BookingInput, idempotency?: IdempotencyRequest): Promise<BookingResult> {
    const now = clock.now();
    const prepare = () => plan(companyId, input, now);
    const fresh = await newSecret(deps.secrets);
    const work = (tx: Executor, p: Plan) => write(tx, companyId, p, input, fresh, now);
    if (!idempotency && input.rescheduledFromId == null) {
      // A plain booking is one statement, atomic by itself: no transaction round trips.
      const p = await prepare();
      return retrying(() => work(db, p)).catch(appointments.rethrowAsSlotError);
    }
    return runIdempotent(db, now, idempotency, prepare, (tx: Tx, p: Plan) => work(tx, p)).catch(appointments.rethrowAsSlotError);
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

/** The appointment row in full, as it is stored (booking.repo.ts writes every column of it). */
function newAppointment(companyId: string, p: Plan, secret: NewSecret, now: Date): appointments.AppointmentRow {
  const mt = p.meetingType;
  return {
    id: randomUUID(),
    company_id: companyId,
    meeting_type_id: mt.id,
    start_at: p.start,
    end_at: p.end,
    buffer_before: mt.buffer_before,
    buffer_after: mt.buffer_after,
    status: 'active',
    overbooked: false,
    secret_hash: secret.hash,
    secret_sealed: secret.sealed,
    ics_uid: `${randomUUID()}@termin`,
    ics_sequence: 0,
    created_at: now,
    updated_at: now,
    channel: p.channel,
    location: p.location,
    meeting_link: rules.meetingLinkOf(mt.meeting_info),
    meeting_info: snapshot(mt, p.duration, p.channel),
    main_host_id: p.hostIds[0]!,
    note: null,
    cancel: null,
    rescheduled_at: null,
    rescheduled_from_id: p.rescheduledFromId,
    rescheduled_to_id: null,
  };
}

function newAttendee(appointment: appointments.AppointmentRow, attendee: NewAttendee): AttendeeRow {
  return {
    id: randomUUID(),
    appointment_id: appointment.id,
    company_id: appointment.company_id,
    position: 0,
    email: attendee.email,
    firstname: attendee.firstname,
    lastname: attendee.lastname,
    fullname: attendee.fullname,
    phone: attendee.phone,
    company: attendee.company,
    language: attendee.language,
    timezone: attendee.timezone,
    notes: attendee.notes,
    custom_fields: attendee.customFields,
    bringalong_emails: attendee.bringalongEmails,
    receive_reminders: attendee.receiveReminders,
    no_show: false,
    created_at: appointment.created_at,
    updated_at: appointment.created_at,
  };
}

/** What the meeting type was when booked: later edits of the type do not rewrite history. */
function snapshot(mt: SlotMeetingType, duration: number, channel: string): Record<string, unknown> {
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
