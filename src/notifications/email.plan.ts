// Which emails and reminders an event causes. Pure: the event and the hosts' profiles in, planned
// rows out. The self-service secret never enters a plan; rendering fetches it while it exists.
import { type AppointmentData, type AttendeeData, appointmentOf, type DispatchedEvent, dedupeKeyOf } from '../outbox/event-payload.ts';

export type EmailKind = 'booked' | 'rescheduled' | 'cancelled' | 'reminder';
export type Role = 'attendee' | 'guest' | 'host';

export interface EmailPayload {
  kind: EmailKind;
  role: Role;
  to: string;
  name: string;
  language: string;
  timezone: string;
  appointment: AppointmentData;
  oldStart?: string;
  /** True when the email carries the cancel/reschedule links (needs the event's secret). */
  withLinks: boolean;
}

export interface PlannedEmail {
  kind: string;
  recipient: string;
  dedupeKey: string;
  payload: EmailPayload;
}

export interface HostProfile {
  language: string;
  timezone: string;
}

const KIND: Record<string, EmailKind> = {
  booking_created: 'booked',
  booking_rescheduled: 'rescheduled',
  booking_cancelled: 'cancelled',
};

export function planEmails(event: DispatchedEvent, hosts: ReadonlyMap<string, HostProfile>): PlannedEmail[] {
  const kind = KIND[event.type];
  const appointment = appointmentOf(event);
  if (!kind || !appointment) return [];
  const oldStart = (event.data as { oldStartDate?: string }).oldStartDate;
  const common = { kind, appointment, ...(oldStart ? { oldStart } : {}) };
  const planned: EmailPayload[] = [];
  if (event.notifyAttendees) {
    for (const attendee of attendeesToTell(appointment)) {
      const language = attendee.language ?? 'en';
      const timezone = attendee.timezone ?? 'UTC';
      const name = attendee.fullname ?? [attendee.firstname, attendee.lastname].filter(Boolean).join(' ');
      const own = { ...common, appointment: seatView(appointment, attendee) };
      // In a group session the event's secret is one seat's: only that attendee gets the links.
      const withLinks = event.secret !== undefined && (appointment.totalSpots === undefined || attendee.id === appointment.attendeeId);
      planned.push({ ...own, role: 'attendee', to: attendee.email, name, language, timezone, withLinks });
      for (const guest of attendee.bringalongEmails ?? []) {
        planned.push({ ...own, role: 'guest', to: guest, name: '', language, timezone, withLinks: false });
      }
    }
  }
  for (const host of appointment.hosts ?? []) {
    const profile = hosts.get(host.id) ?? { language: 'en', timezone: 'UTC' };
    const name = host.fullName ?? [host.givenName, host.familyName].filter(Boolean).join(' ');
    planned.push({ ...common, role: 'host', to: host.email, name, ...profile, withLinks: false });
  }
  const eventKey = dedupeKeyOf(event);
  const seen = new Set<string>();
  return planned.flatMap((payload) => {
    const recipient = payload.to.trim().toLowerCase();
    const dedupeKey = `${eventKey}:${kind}:${recipient}`;
    if (seen.has(dedupeKey)) return [];
    seen.add(dedupeKey);
    return [{ kind, recipient, dedupeKey, payload: { ...payload, to: recipient } }];
  });
}

/**
 * Group sessions: an event about one seat (joined, left) tells that attendee only; an attendee
 * sees the appointment with themselves as its only attendee and their own invitation.
 */
function attendeesToTell(appointment: AppointmentData): AttendeeData[] {
  if (appointment.removedAttendee) return [appointment.removedAttendee];
  const all = appointment.attendees ?? [];
  return appointment.attendeeId ? all.filter((attendee) => attendee.id === appointment.attendeeId) : all;
}

function seatView(appointment: AppointmentData, attendee: AttendeeData): AppointmentData {
  if (appointment.totalSpots === undefined) return appointment;
  return { ...appointment, attendees: [attendee], ics: attendee.ics ?? appointment.ics };
}

/** What a reminder shows of its appointment: small, because one row is stored per attendee and offset. */
function reminderView(a: AppointmentData): AppointmentData {
  const { id, start, end, meetingTypeId, meetingType, meetingInfo, hostingInfo, location } = a;
  return { id, start, end, meetingTypeId, meetingType, meetingInfo, hostingInfo, location };
}

export interface PlannedReminder {
  recipient: string;
  offsetMinutes: number;
  dueAt: Date;
  payload: EmailPayload;
}

/** One reminder per attendee (unless they opted out) per offset, only those still in the future. */
export function planReminders(appointment: AppointmentData, offsetsMinutes: readonly number[], now: Date): PlannedReminder[] {
  const start = Date.parse(appointment.start);
  const result: PlannedReminder[] = [];
  for (const attendee of appointment.attendees ?? []) {
    if (attendee.receiveReminders === false) continue;
    for (const offsetMinutes of new Set(offsetsMinutes)) {
      const dueAt = new Date(start - offsetMinutes * 60_000);
      if (dueAt.getTime() <= now.getTime()) continue;
      const recipient = attendee.email.trim().toLowerCase();
      const name = attendee.fullname ?? [attendee.firstname, attendee.lastname].filter(Boolean).join(' ');
      const payload: EmailPayload = {
        kind: 'reminder',
        role: 'attendee',
        to: recipient,
        name,
        language: attendee.language ?? 'en',
        timezone: attendee.timezone ?? 'UTC',
        appointment: reminderView(appointment),
        withLinks: false,
      };
      result.push({ recipient, offsetMinutes, dueAt, payload });
    }
  }
  return result;
}
