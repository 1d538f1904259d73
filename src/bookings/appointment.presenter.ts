// The appointment as the API shows it (spec §4.6, seeds 001/002/004) and as webhooks carry it.
// One place builds it, for GET answers, cancel/reschedule answers and outbox payloads alike.
// It carries the appointment's secret (opened from its sealed copy): the company owns it, and
// seed 002 lists it as a required field. Event payloads drop it again (outbox/event-payload.ts).
import type { Executor } from '../db/database.ts';
import type { AppointmentCancel } from '../db/schema.ts';
import { type AppointmentRow, type HostRow, findHosts } from './appointments.repo.ts';
import { type AttendeeRow, type NewAttendee, findAttendees } from './attendees.repo.ts';
import { renderIcs } from './ics.ts';

export interface HostJson {
  id: string;
  email: string;
  givenName: string;
  familyName: string;
  fullName: string;
  slug: string;
}

/** An attendee as answers and events show it: what was booked with, plus identity and state. */
export interface AttendeeJson extends NewAttendee {
  id: string;
  /** One attendee per appointment here: the appointment's own secret. */
  secret: string | null;
  noShow: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface AppointmentJson {
  id: string;
  /** Null only for appointments booked before secrets were sealed (migration 0007). */
  secret: string | null;
  start: string;
  end: string;
  isCancelled: boolean;
  status: 'confirmed' | 'cancelled';
  meetingTypeId: string;
  meetingType: MeetingTypeJson;
  meetingTypeSlug: string;
  companyId: string;
  /** The first segment of the booking page address (`$PUBLIC_URL/{companySlug}/{meetingTypeSlug}`): the main host's slug. */
  companySlug: string;
  hostIds: string[];
  hosts: HostJson[];
  attendeeIds: string[];
  attendees: AttendeeJson[];
  meetingInfo: Record<string, unknown>;
  hostingInfo: { mainHost: string | null; meetingLink: string | null };
  channel: string | null;
  location: string | null;
  note: string | null;
  cancel: (AppointmentCancel & { cancelledAt: string }) | null;
  rescheduledAt: string | null;
  rescheduledFromId: string | null;
  rescheduledToId: string | null;
  overbooked: boolean;
  ics: string;
  scheduledReminderIds: string[];
  crmOptions: Record<string, never>;
  roundRobinEntries: never[];
  resolvableErrors: never[];
  createdAt: string;
  updatedAt: string;
}

/**
 * Reminder ids per appointment; reminders live in another feature, wired by the composition root.
 * It gets the executor the presentation runs on — often the change's open transaction, and on
 * PGlite (one connection) a query on any other connection would wait forever.
 */
export type ListReminderIds = (db: Executor, appointmentIds: string[]) => Promise<Map<string, string[]>>;

export interface MeetingTypeJson {
  id: string;
  name: string;
  duration: number;
  slug: string;
  meetingInfo: { name: string; duration: number };
}

/** Opens a sealed appointment secret; secrets live in another feature's key, wired by the composition root. */
export type OpenSecret = (sealed: string) => Promise<string>;

export type AppointmentPresenter = ReturnType<typeof createAppointmentPresenter>;

export function createAppointmentPresenter(deps: { listReminderIds?: ListReminderIds; openSecret?: OpenSecret } = {}) {
  const listReminderIds: ListReminderIds = deps.listReminderIds ?? (async () => new Map());
  const openSecret = deps.openSecret;
  const secretOf = (row: AppointmentRow) => (row.secret_sealed && openSecret ? openSecret(row.secret_sealed) : null);

  /** Presents rows in the given order, reading hosts, attendees and meeting types in three queries. */
  async function present(db: Executor, rows: AppointmentRow[]): Promise<AppointmentJson[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((row) => row.id);
    const typeIds = [...new Set(rows.map((row) => row.meeting_type_id))];
    const [hosts, attendees, types, reminders, secrets] = await Promise.all([
      findHosts(db, ids),
      findAttendees(db, ids),
      db.selectFrom('meeting_types').select(['id', 'name', 'duration', 'slug']).where('id', 'in', typeIds).execute(),
      listReminderIds(db, ids),
      Promise.all(rows.map(secretOf)),
    ]);
    const typeById = new Map(types.map((type) => [type.id, type]));
    return rows.map((row, index) =>
      toJson(row, {
        secret: secrets[index] ?? null,
        hosts: hosts.filter((host) => host.appointment_id === row.id),
        attendees: attendees.filter((attendee) => attendee.appointment_id === row.id),
        meetingType: typeById.get(row.meeting_type_id) ?? { id: row.meeting_type_id, name: '', duration: 0, slug: '' },
        reminderIds: reminders.get(row.id) ?? [],
      }),
    );
  }

  async function presentOne(db: Executor, row: AppointmentRow): Promise<AppointmentJson> {
    const [json] = await present(db, [row]);
    return json!;
  }

  /**
   * Presents an appointment the caller has just written with its related rows: the same JSON as
   * `present`, without reading back what was just written. It has no reminders yet (the outbox
   * dispatcher schedules them from its event).
   */
  function presentNew(row: AppointmentRow, related: Omit<Related, 'reminderIds'>): AppointmentJson {
    return toJson(row, { ...related, reminderIds: [] });
  }

  return { present, presentOne, presentNew };
}

export interface Related {
  hosts: HostRow[];
  attendees: AttendeeRow[];
  meetingType: { id: string; name: string; duration: number; slug: string };
  reminderIds: string[];
  secret: string | null;
}

function toJson(row: AppointmentRow, related: Related): AppointmentJson {
  // Main host first, then by id: the same order however the rows were obtained.
  const rank = (host: HostRow) => `${host.id === row.main_host_id ? 0 : 1}${host.id}`;
  const hosts = [...related.hosts].sort((a, b) => (rank(a) < rank(b) ? -1 : 1));
  const attendees = related.attendees.map((attendee) => attendeeJson(attendee, related.secret));
  const cancelled = row.status === 'cancelled';
  const { id: typeId, name, duration, slug } = related.meetingType;
  return {
    id: row.id,
    secret: related.secret,
    start: row.start_at.toISOString(),
    end: row.end_at.toISOString(),
    isCancelled: cancelled,
    status: cancelled ? 'cancelled' : 'confirmed',
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
    hostingInfo: { mainHost: row.main_host_id, meetingLink: row.meeting_link },
    channel: row.channel,
    location: row.location,
    note: row.note,
    // seed 000 reads cancel.cancelledAt; the API reference names it actionAt.
    cancel: row.cancel ? { ...row.cancel, cancelledAt: row.cancel.actionAt } : null,
    rescheduledAt: row.rescheduled_at?.toISOString() ?? null,
    rescheduledFromId: row.rescheduled_from_id,
    rescheduledToId: row.rescheduled_to_id,
    overbooked: row.overbooked,
    ics: icsOf(row, hosts, attendees),
    scheduledReminderIds: related.reminderIds,
    crmOptions: {},
    roundRobinEntries: [],
    resolvableErrors: [],
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
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

function attendeeJson(row: AttendeeRow, secret: string | null): AttendeeJson {
  const joined = [row.firstname, row.lastname].filter(Boolean).join(' ');
  return {
    id: row.id,
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
    description: [info.description, row.meeting_link].filter(Boolean).join('\n\n'),
    location: row.location ?? row.meeting_link,
    url: row.meeting_link,
    organizer: organizer
      ? { email: organizer.email, name: `${organizer.given_name} ${organizer.family_name}`.trim() }
      : { email: 'no-reply@termin.local', name: 'Termin' },
    attendees: people,
  });
}
