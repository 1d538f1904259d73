// The one place that knows the two payload shapes in the outbox: booking events carry
// `{ data, notifyAttendees, secret? }`; new_employee carries the user JSON itself. Pure.
import { type EventType, PROVISIONAL_EVENT_TYPES } from './events.ts';

export interface OutboxRow {
  id: string;
  event_id: string;
  company_id: string;
  type: string;
  subject_id: string | null;
  payload: Record<string, unknown>;
  created_at: Date;
}

export interface DispatchedEvent {
  eventId: string;
  companyId: string;
  type: EventType | string;
  subjectId: string | null;
  createdAt: Date;
  /** The webhook `data`. */
  data: Record<string, unknown>;
  notifyAttendees: boolean;
  /** The plaintext self-service secret (booking created/rescheduled) or a provisional booking's link token. */
  secret?: string;
}

const BOOKING_EVENTS = new Set(['booking_created', 'booking_rescheduled', 'booking_cancelled']);
/** Events whose payload wraps the webhook data: `{ data, notifyAttendees, secret? }`. */
const WRAPPED_EVENTS = new Set<string>([...BOOKING_EVENTS, ...PROVISIONAL_EVENT_TYPES]);

export function normaliseEvent(row: OutboxRow): DispatchedEvent {
  const base = { eventId: row.event_id, companyId: row.company_id, type: row.type, subjectId: row.subject_id, createdAt: row.created_at };
  const payload = row.payload ?? {};
  const wrapped = WRAPPED_EVENTS.has(row.type) && typeof payload.data === 'object' && payload.data !== null;
  if (!wrapped) return { ...base, data: payload, notifyAttendees: false };
  return {
    ...base,
    data: payload.data as Record<string, unknown>,
    notifyAttendees: payload.notifyAttendees !== false,
    ...(typeof payload.secret === 'string' && payload.secret ? { secret: payload.secret } : {}),
  };
}

/**
 * The body every subscriber receives, serving both documented forms at once: the subject's own
 * fields flat at the top level with `webhookType` (current docs, n8n: for booking events `id` is
 * the appointment id), and `{ event, data }` (seeds 000, 003). A reschedule also carries
 * `oldStartDate`/`oldEndDate` flat. The event's own id travels in the `webhook-id` header.
 */
export function webhookBody(event: DispatchedEvent): Record<string, unknown> {
  const subject = (appointmentOf(event) as Record<string, unknown> | undefined) ?? event.data;
  const moved = event.type === 'booking_rescheduled' ? { oldStartDate: event.data.oldStartDate, oldEndDate: event.data.oldEndDate } : {};
  return { ...subject, ...moved, webhookType: event.type, event: event.type, data: event.data };
}

/** Every appointment object in a webhook body or event data: the flat one, `data`, `data.rescheduledAppointment`. */
function appointmentsIn(body: Record<string, unknown>): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  const visit = (value: unknown, depth: number) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
    const record = value as Record<string, unknown>;
    if ('secret' in record) found.push(record);
    if (depth < 2) {
      visit(record.data, depth + 1);
      visit(record.rescheduledAppointment, depth + 1);
    }
  };
  visit(body, 0);
  return found;
}

/**
 * Event data as the outbox keeps it: appointment secrets blanked (the appointment row holds the
 * sealed copy, and webhook sending fills it back in), so no readable secret rests in events.
 */
export function withoutSecrets<T extends object>(data: T): T {
  const copy = structuredClone(data) as T & Record<string, unknown>;
  for (const appointment of appointmentsIn(copy)) setSecret(appointment, null);
  return copy;
}

/** The JSON text of a stored webhook body with the appointment's secret filled back in. */
export function withSecret(body: string, secret: string): string {
  const parsed = JSON.parse(body) as Record<string, unknown>;
  for (const appointment of appointmentsIn(parsed)) setSecret(appointment, secret);
  return JSON.stringify(parsed);
}

function setSecret(appointment: Record<string, unknown>, secret: string | null): void {
  appointment.secret = secret;
  const attendees = appointment.attendees;
  if (!Array.isArray(attendees)) return;
  // A group session's seats each have their own secret, not the appointment's: none is filled in.
  if (secret !== null && appointment.totalSpots !== undefined) return;
  for (const attendee of attendees) {
    if (typeof attendee === 'object' && attendee !== null && 'secret' in attendee) (attendee as Record<string, unknown>).secret = secret;
  }
}

/** The appointment an event is about: `rescheduledAppointment` for reschedules, else `data`. */
export function appointmentOf(event: DispatchedEvent): AppointmentData | undefined {
  if (!BOOKING_EVENTS.has(event.type)) return undefined;
  const data = event.data as { rescheduledAppointment?: AppointmentData };
  return event.type === 'booking_rescheduled' ? data.rescheduledAppointment : (event.data as unknown as AppointmentData);
}

/** A cancellation happens once per appointment: later copies of the event are not sent again. */
export function dedupeKeyOf(event: DispatchedEvent): string {
  const appointment = appointmentOf(event);
  // One attendee leaving a group session is a cancellation of their seat, not of the appointment.
  if (event.type === 'booking_cancelled' && appointment?.removedAttendee?.id) return `cancelled:${appointment.id}:${appointment.removedAttendee.id}`;
  if (event.type === 'booking_cancelled' && appointment?.id) return `cancelled:${appointment.id}`;
  return event.eventId;
}

// The fields of the appointment JSON that events out rely on (the contract with bookings).
export interface AttendeeData {
  id?: string;
  email: string;
  firstname?: string;
  lastname?: string;
  fullname?: string;
  language?: string;
  timezone?: string;
  bringalongEmails?: string[];
  receiveReminders?: boolean;
  /** Group sessions: this attendee's own invitation. */
  ics?: string;
}

export interface HostData {
  id: string;
  email: string;
  givenName?: string;
  familyName?: string;
  fullName?: string;
}

export interface AppointmentData {
  id: string;
  start: string;
  end: string;
  isCancelled?: boolean;
  meetingTypeId?: string;
  meetingType?: { id?: string; name?: string; duration?: number };
  companyId?: string;
  hostIds?: string[];
  hosts?: HostData[];
  attendees?: AttendeeData[];
  meetingInfo?: { name?: string; duration?: number; channel?: string };
  hostingInfo?: { meetingLink?: string | null };
  location?: string | null;
  cancel?: { actionSource?: string; actionAt?: string; actionBy?: string; reason?: string | null } | null;
  ics?: string;
  /** Group sessions (bookings/group/): the seats, and the attendee an event is about. */
  totalSpots?: number;
  attendeeId?: string;
  removedAttendee?: AttendeeData;
}
