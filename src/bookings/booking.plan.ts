// A booking planned as data: the appointment row (meeting type, start/end, status), the hosts to
// write with the time each gives, the attendees to add and the events to emit. Services build a
// plan; booking.repo.ts writes any plan in one statement, whatever the number of hosts, attendees
// and events. Pure: no database, no clock (the caller passes `now`).
import { randomUUID } from 'node:crypto';
import type { SlotMeetingType } from '../availability/slot-search.repo.ts';
import type { AppointmentStatus, RoundRobinEntryRow } from '../db/schema.ts';
import type { OutboxEvent } from '../outbox/events.ts';
import type { NewSecret } from './appointment-secrets.ts';
import type { AppointmentRow } from './appointments.repo.ts';
import type { AttendeeRow, NewAttendee } from './attendees.repo.ts';
import { meetingLinkOf } from './booking.rules.ts';

export interface PlannedHost {
  userId: string;
  /** The time the host gives: the meeting widened by its buffers. */
  blocked: { from: Date; to: Date };
  /** Forced onto busy time on purpose: recorded, not constrained. */
  overbooked: boolean;
}

export interface BookingPlan {
  appointment: AppointmentRow;
  hosts: PlannedHost[];
  attendees: AttendeeRow[];
  events: OutboxEvent[];
}

/** Where an appointment stands in its series (stored as appointments.series_id / series_position). */
export interface SeriesPlace {
  id: string;
  position: number;
}

export interface QueueChoice {
  queueId: string;
  /** The member picked: a user id, or a group id. */
  pick: string | null;
  userId: string | null;
  groupId: string | null;
  selectionReason: string;
}

/** The audit record of one selection (spec §4.6 `roundRobinEntries`); ids count per appointment. */
export function entryOf(choice: QueueChoice, appointmentId: string, now: Date, id: number): RoundRobinEntryRow {
  return {
    id,
    createdAt: now.toISOString(),
    userId: choice.userId,
    groupId: choice.groupId,
    appointmentId,
    queueId: choice.queueId,
    selectionReason: choice.selectionReason,
  };
}

/** Statuses that keep the hosts' time blocked (their host rows stay under the constraint). */
const HOLDING: ReadonlySet<AppointmentStatus> = new Set(['active', 'provisional']);

export function holdsTime(status: AppointmentStatus): boolean {
  return HOLDING.has(status);
}

/** A meeting type or appointment with more than one spot is a group session (group/). */
export function isGroup(thing: { spots?: number | null }): boolean {
  return (thing.spots ?? 1) > 1;
}

export interface AppointmentDraft {
  companyId: string;
  meetingType: SlotMeetingType;
  start: Date;
  end: Date;
  duration: number;
  channel: string;
  location: string | null;
  /** Main host first. */
  hostIds: readonly string[];
  status: AppointmentStatus;
  /** The secret in its stored forms: the hash finds it, the sealed copy shows it again (0007). */
  secret: NewSecret;
  rescheduledFromId: string | null;
  /** How a queue chose the hosts (team meeting types). */
  queue?: QueueChoice;
  /** A per-host link (queue member's custom link) beats the meeting type's. */
  meetingLink?: string | null;
  /** An occurrence of a recurring series (series-booking.ts): the series and the place in it. */
  series?: SeriesPlace;
  now: Date;
}

/** The appointment row in full, as it is stored (booking.repo.ts writes every column of it). */
export function newAppointment(d: AppointmentDraft): AppointmentRow {
  const mt = d.meetingType;
  const id = randomUUID();
  return {
    id,
    company_id: d.companyId,
    meeting_type_id: mt.id,
    start_at: d.start,
    end_at: d.end,
    buffer_before: mt.buffer_before,
    buffer_after: mt.buffer_after,
    status: d.status,
    overbooked: false,
    secret_hash: d.secret.hash,
    secret_sealed: d.secret.sealed,
    ics_uid: `${randomUUID()}@termin`,
    ics_sequence: 0,
    created_at: d.now,
    updated_at: d.now,
    channel: d.channel,
    location: d.location,
    meeting_link: d.meetingLink || meetingLinkOf(mt.meeting_info),
    meeting_info: snapshot(mt, d.duration, d.channel),
    main_host_id: d.hostIds[0]!,
    note: null,
    cancel: null,
    rescheduled_at: null,
    rescheduled_from_id: d.rescheduledFromId,
    rescheduled_to_id: null,
    transcription: null,
    summary: null,
    queue_id: d.queue?.queueId ?? null,
    queue_pick: d.queue?.pick ?? null,
    round_robin_entries: d.queue ? [entryOf(d.queue, id, d.now, 1)] : [],
    series_id: d.series?.id ?? null,
    series_position: d.series?.position ?? null,
    // A group session (spots > 1) starts with its first seat taken (group/seats.ts).
    spots: mt.spots ?? 1,
    taken_spots: 1,
  };
}

/** Each host gives the appointment's time widened by the type's buffers. */
export function plannedHosts(appointment: AppointmentRow, hostIds: readonly string[]): PlannedHost[] {
  const blocked = {
    from: new Date(appointment.start_at.getTime() - appointment.buffer_before * 60_000),
    to: new Date(appointment.end_at.getTime() + appointment.buffer_after * 60_000),
  };
  return hostIds.map((userId) => ({ userId, blocked, overbooked: false }));
}

/** `secret`: the seat's own secret in a group session (group/seats.ts); a plain attendee uses the appointment's. */
export function newAttendee(appointment: AppointmentRow, attendee: NewAttendee, position: number, secret?: NewSecret): AttendeeRow {
  return {
    id: randomUUID(),
    appointment_id: appointment.id,
    company_id: appointment.company_id,
    position,
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
    seat_status: 'active',
    secret_hash: secret?.hash ?? null,
    secret_sealed: secret?.sealed ?? null,
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
