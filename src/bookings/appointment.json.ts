// The appointment JSON (spec §4.6) from its rows: a pure mapping. The loader
// (appointment.loader.ts) reads the rows; the presenter joins the two. Types come from the TypeBox
// schemas of bookings.schemas.ts, so the answer's schema and this mapping cannot drift apart.
import type { Static } from '@fastify/type-provider-typebox';
import type { AppointmentRow, HostRow } from './appointments.repo.ts';
import type { AttendeeRow } from './attendees.repo.ts';
import type { Appointment, AppointmentAttendee, AppointmentHost, AppointmentMeetingType } from './bookings.schemas.ts';
import { invitationsFor } from './group/seat-ics.ts';
import { renderIcs } from './ics.ts';

export type AppointmentJson = Static<typeof Appointment>;
export type HostJson = Static<typeof AppointmentHost>;
export type AttendeeJson = Static<typeof AppointmentAttendee>;
export type MeetingTypeJson = Static<typeof AppointmentMeetingType>;

/** How the API names a stored status ('active' is what meetergo calls confirmed). */
const STATUS_JSON = { active: 'confirmed', provisional: 'provisional', cancelled: 'cancelled', expired: 'expired', declined: 'declined' } as const;

export interface Related {
  hosts: HostRow[];
  attendees: AttendeeRow[];
  meetingType: { id: string; name: string; duration: number; slug: string };
  reminderIds: string[];
  /** The appointment's secret, opened from its sealed copy; null for rows booked before 0007. */
  secret: string | null;
  /** Write-back into hosts' calendars; the main host's is shown (seed 002 has one object). */
  calendarSync: CalendarSyncJson[];
  /** Group sessions: each seat's own secret by attendee id (the first seat's is the appointment's). */
  seatSecrets?: ReadonlyMap<string, string>;
}

/**
 * Where the appointment was written back into a host's calendar (seed 002's `{ id, type, hostId,
 * eventId, calendarId }`, plus the write's status); the calendars feature supplies it.
 */
export interface CalendarSyncJson {
  id: string;
  type: string;
  hostId: string;
  eventId: string;
  calendarId: string | null;
  status: string;
  lastError: string | null;
}

export function toAppointmentJson(row: AppointmentRow, related: Related): AppointmentJson {
  const hosts = orderedHosts(row, related.hosts);
  const attendees = related.attendees.map((attendee) => attendeeJson(attendee, related.seatSecrets?.get(attendee.id) ?? related.secret));
  const ics = icsOf(row, hosts, attendees);
  const cancelled = row.status === 'cancelled';
  const { id: typeId, name, duration, slug } = related.meetingType;
  return {
    id: row.id,
    secret: related.secret,
    start: row.start_at.toISOString(),
    end: row.end_at.toISOString(),
    isCancelled: cancelled,
    status: STATUS_JSON[row.status],
    meetingTypeId: row.meeting_type_id,
    meetingType: { id: typeId, name, duration, slug, meetingInfo: { name, duration } },
    meetingTypeSlug: slug,
    companyId: row.company_id,
    companySlug: hosts[0]?.slug ?? '',
    hostIds: hosts.map((host) => host.id),
    hosts: hosts.map(hostJson),
    attendeeIds: attendees.map((attendee) => attendee.id),
    attendees,
    meetingInfo: row.meeting_info,
    hostingInfo: {
      mainHost: row.main_host_id,
      meetingLink: row.meeting_link,
      calendarSyncProviders: related.calendarSync.find((c) => c.hostId === row.main_host_id) ?? related.calendarSync[0] ?? null,
    },
    channel: row.channel,
    location: row.location,
    note: row.note,
    transcription: row.transcription,
    summary: row.summary,
    // seed 000 reads cancel.cancelledAt; the API reference names it actionAt.
    cancel: row.cancel ? { ...row.cancel, cancelledAt: row.cancel.actionAt } : null,
    rescheduledAt: row.rescheduled_at?.toISOString() ?? null,
    rescheduledFromId: row.rescheduled_from_id,
    rescheduledToId: row.rescheduled_to_id,
    seriesId: row.series_id,
    seriesPosition: row.series_position,
    overbooked: row.overbooked,
    ...groupFields(row, ics, attendees),
    ics,
    scheduledReminderIds: related.reminderIds,
    crmOptions: {},
    roundRobinEntries: row.round_robin_entries ?? [],
    resolvableErrors: [],
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Main host first, then by id: the same order however the rows were obtained. */
function orderedHosts(row: AppointmentRow, hosts: readonly HostRow[]): HostRow[] {
  const rank = (host: HostRow) => `${host.id === row.main_host_id ? 0 : 1}${host.id}`;
  return [...hosts].sort((a, b) => (rank(a) < rank(b) ? -1 : 1));
}

/** The invitation of one attendee who left a group session: cancelled, for them alone. */
export function leftSeatIcs(row: AppointmentRow, hosts: readonly HostRow[], attendee: AttendeeJson): string {
  return icsOf({ ...row, status: 'cancelled' }, orderedHosts(row, hosts), [attendee]);
}

function hostJson(host: HostRow): HostJson {
  return {
    id: host.id,
    email: host.email,
    givenName: host.given_name,
    familyName: host.family_name,
    fullName: `${host.given_name} ${host.family_name}`.trim(),
    slug: host.slug,
  };
}

export function attendeeJson(row: AttendeeRow, secret: string | null): AttendeeJson {
  const joined = [row.firstname, row.lastname].filter(Boolean).join(' ');
  return {
    id: row.id,
    /** The seat's own secret in a group session, else the appointment's. */
    secret,
    email: row.email,
    firstname: row.firstname,
    lastname: row.lastname,
    fullname: row.fullname ?? (joined || null),
    phone: row.phone,
    company: row.company,
    language: row.language,
    timezone: row.timezone,
    notes: row.notes,
    customFields: row.custom_fields,
    bringalongEmails: row.bringalong_emails,
    receiveReminders: row.receive_reminders,
    noShow: row.no_show,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/**
 * A group session shows its occupancy, and each attendee's own invitation carries only the
 * organizer and that attendee (with their guests): attendees never see each other (issue 11).
 */
function groupFields(row: AppointmentRow, ics: string, attendees: AttendeeJson[]) {
  if ((row.spots ?? 1) <= 1) return {};
  const own = invitationsFor(ics, attendees.map((attendee) => [attendee.email, ...attendee.bringalongEmails]));
  attendees.forEach((attendee, i) => {
    attendee.ics = own[i];
  });
  return { totalSpots: row.spots, takenSpots: row.taken_spots };
}

function icsOf(row: AppointmentRow, hosts: HostRow[], attendees: AttendeeJson[]): string {
  const organizer = hosts[0];
  const info = row.meeting_info as { name?: string; description?: string };
  const people = [
    ...hosts.slice(1).map((host) => ({ email: host.email, name: `${host.given_name} ${host.family_name}`.trim() })),
    ...attendees.flatMap((attendee) => [
      { email: attendee.email, name: attendee.fullname },
      ...attendee.bringalongEmails.map((email) => ({ email })),
    ]),
  ];
  return renderIcs({
    uid: row.ics_uid,
    sequence: row.ics_sequence,
    cancelled: row.status === 'cancelled',
    start: row.start_at,
    end: row.end_at,
    stamp: row.updated_at,
    summary: info.name ?? 'Appointment',
    description: [info.description, row.meeting_link, seriesLine(row)].filter(Boolean).join('\n\n'),
    location: row.location ?? row.meeting_link,
    url: row.meeting_link,
    organizer: organizer
      ? { email: organizer.email, name: `${organizer.given_name} ${organizer.family_name}`.trim() }
      : { email: 'no-reply@termin.local', name: 'Termin' },
    attendees: people,
    relatedTo: row.series_id ? seriesUid(row.series_id) : null,
  });
}

/** The series every occurrence's ICS names (RELATED-TO), so calendars can group the sessions. */
export const seriesUid = (seriesId: string) => `${seriesId}@termin`;

function seriesLine(row: AppointmentRow): string | null {
  return row.series_id ? `Session ${row.series_position} of recurring series ${row.series_id}` : null;
}
