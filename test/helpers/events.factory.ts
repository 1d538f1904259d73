// Realistic booking events for tests of events out, built to the outbox contract the bookings
// feature writes: `{ data, notifyAttendees, secret? }` with the appointment JSON as `data`, and a
// real iCalendar invitation made with ical-generator (REQUEST while active, CANCEL once cancelled).
import { randomUUID } from 'node:crypto';
import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import type { Executor } from '../../src/db/database.ts';
import type { AppointmentData, AttendeeData } from '../../src/outbox/event-payload.ts';
import type { EventType } from '../../src/outbox/events.ts';
import { enqueueEvent } from '../../src/outbox/outbox.repo.ts';

export interface HostInput {
  id: string;
  email: string;
  givenName?: string;
  familyName?: string;
}

export function icsFor(a: { id: string; start: string; end: string; title: string; host: HostInput; attendees: AttendeeData[]; sequence: number; cancelled: boolean; location?: string }): string {
  const calendar = ical({ prodId: { company: 'termin', product: 'termin' }, method: a.cancelled ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST });
  calendar.createEvent({
    id: `${a.id}@termin.test`,
    start: new Date(a.start),
    end: new Date(a.end),
    stamp: new Date('2025-01-01T00:00:00Z'),
    summary: a.title,
    sequence: a.sequence,
    status: a.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    organizer: { name: `${a.host.givenName ?? 'Host'} ${a.host.familyName ?? ''}`.trim(), email: a.host.email },
    attendees: a.attendees.map((attendee) => ({ email: attendee.email, name: attendee.fullname ?? attendee.email, rsvp: true })),
    ...(a.location ? { location: a.location } : {}),
  });
  return calendar.toString();
}

export interface AppointmentOptions {
  id?: string;
  companyId: string;
  meetingTypeId: string;
  host: HostInput;
  start: Date | string;
  durationMinutes?: number;
  attendees?: Partial<AttendeeData>[];
  sequence?: number;
  cancel?: { reason?: string | null; actionBy?: string };
  title?: string;
  meetingLink?: string | null;
  location?: string | null;
}

export function appointmentJson(options: AppointmentOptions): AppointmentData {
  const id = options.id ?? randomUUID();
  const duration = options.durationMinutes ?? 30;
  const start = new Date(options.start);
  const end = new Date(start.getTime() + duration * 60_000);
  const title = options.title ?? '30min Meeting';
  const attendees: AttendeeData[] = (options.attendees ?? [{}]).map((attendee, index) => ({
    id: randomUUID(),
    email: `attendee${index}@example.com`,
    firstname: 'Jane',
    lastname: 'Client',
    fullname: 'Jane Client',
    language: 'en',
    timezone: 'America/New_York',
    bringalongEmails: [],
    receiveReminders: true,
    ...attendee,
  }));
  const host = { givenName: 'Hedda', familyName: 'Host', ...options.host };
  const cancelled = options.cancel !== undefined;
  const location = options.location ?? null;
  return {
    id,
    start: start.toISOString(),
    end: end.toISOString(),
    isCancelled: cancelled,
    meetingTypeId: options.meetingTypeId,
    meetingType: { id: options.meetingTypeId, name: title, duration },
    companyId: options.companyId,
    hostIds: [host.id],
    hosts: [{ ...host, fullName: `${host.givenName} ${host.familyName}` }],
    attendees,
    meetingInfo: { name: title, duration, channel: 'google' },
    hostingInfo: { meetingLink: options.meetingLink === undefined ? 'https://meet.example.com/abc-defg-hij' : options.meetingLink },
    location,
    cancel: cancelled
      ? { actionSource: 'api', actionAt: new Date().toISOString(), actionBy: options.cancel?.actionBy ?? host.id, reason: options.cancel?.reason ?? null }
      : null,
    ics: icsFor({ id, start: start.toISOString(), end: end.toISOString(), title, host, attendees, sequence: options.sequence ?? 0, cancelled, ...(location ? { location } : {}) }),
  };
}

/** Writes a booking event to the outbox exactly as the bookings feature does. */
export async function enqueueBookingEvent(
  db: Executor,
  type: Exclude<EventType, 'new_employee'>,
  data: Record<string, unknown>,
  options: { companyId: string; subjectId: string; notifyAttendees?: boolean; secret?: string },
): Promise<string> {
  const payload = { data, notifyAttendees: options.notifyAttendees ?? true, ...(options.secret ? { secret: options.secret } : {}) };
  return enqueueEvent(db, { companyId: options.companyId, type, subjectId: options.subjectId, payload });
}

/** booking_rescheduled data: the moved appointment (same id, SEQUENCE + 1) and where it was. */
export function rescheduledData(before: AppointmentData, options: AppointmentOptions) {
  const moved = appointmentJson({ ...options, id: before.id, sequence: (options.sequence ?? 0) + 1 });
  return { rescheduledAppointment: moved, oldStartDate: before.start, oldEndDate: before.end };
}
