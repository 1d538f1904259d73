// Business rules of a booking request that need no database: the attendee, the duration, the
// channel, the location and guests. Each bad value is a 400 naming its field.
import { AppError, invalidField } from '../lib/app-error.ts';
import { isValidEmail, normalizeEmail } from '../lib/text.ts';
import { isValidTimeZone, parseInstant } from '../lib/time.ts';
import { CHANNELS, toChannel } from '../meeting-types/channels.ts';
import type { NewAttendee } from './attendees.repo.ts';

export const DURATION_MESSAGE = 'Duration must match one of the allowed durations for this meeting type';
export const MAX_GUESTS = 10;
export const MAX_HOSTS = 10;

export interface AttendeeInput {
  email: string;
  firstname?: string | null;
  lastname?: string | null;
  fullname?: string | null;
  phone?: string | null;
  company?: string | null;
  timezone?: string | null;
  language?: string | null;
  customFields?: Record<string, unknown> | null;
  notes?: Record<string, unknown> | null;
  bringalongEmails?: string[];
  receiveReminders?: boolean;
}

/** Cancellation is final: a cancelled appointment cannot move (book anew instead). */
export function requireNotCancelled(row: { status: string }): void {
  if (row.status === 'cancelled') throw new AppError('validation_failed', 'A cancelled appointment cannot be rescheduled');
}

export function requireStart(value: string, field = 'start'): Date {
  const start = parseInstant(value);
  if (!start) throw invalidField(field, `${field} must be an ISO 8601 date-time with an offset or Z, e.g. 2030-01-15T09:00:00+01:00`);
  return start;
}

export function requireFuture(start: Date, now: Date, field = 'start'): void {
  if (start.getTime() <= now.getTime()) throw invalidField(field, `${field} must be in the future`);
}

export function normalizeAttendee(input: AttendeeInput): NewAttendee {
  const email = normalizeEmail(input.email);
  if (!isValidEmail(email)) throw invalidField('attendee.email', 'attendee.email must be a valid email address');
  if (input.timezone != null && !isValidTimeZone(input.timezone)) {
    throw invalidField('attendee.timezone', `attendee.timezone must be a valid IANA time zone (got "${input.timezone}")`);
  }
  const text = (value: string | null | undefined) => (value == null || value.trim() === '' ? null : value.trim());
  return {
    email,
    firstname: text(input.firstname),
    lastname: text(input.lastname),
    fullname: text(input.fullname),
    phone: text(input.phone),
    company: text(input.company),
    language: text(input.language),
    timezone: text(input.timezone),
    notes: input.notes ?? {},
    customFields: input.customFields ?? {},
    bringalongEmails: guestList(input.bringalongEmails ?? [], 'attendee.bringalongEmails'),
    receiveReminders: input.receiveReminders ?? true,
  };
}

/** Validated, lower-cased, de-duplicated guest emails, at most MAX_GUESTS. */
export function guestList(emails: string[], field: string): string[] {
  const result: string[] = [];
  for (const raw of emails) {
    const email = normalizeEmail(raw);
    if (!isValidEmail(email)) throw invalidField(field, `${field} contains an invalid email address: ${raw}`);
    if (!result.includes(email)) result.push(email);
  }
  if (result.length > MAX_GUESTS) throw invalidField(field, `An appointment can have at most ${MAX_GUESTS} guests`);
  return result;
}

/** `allowed` holds the type's own duration first (see allowedDurations of slot search). */
export function chooseDuration(requested: number | undefined, allowed: number[]): number {
  if (requested === undefined) return allowed[0]!;
  if (!allowed.includes(requested)) {
    throw new AppError('validation_failed', DURATION_MESSAGE, { errors: [{ field: 'duration', message: DURATION_MESSAGE }] });
  }
  return requested;
}

export function chooseChannel(requested: string | null | undefined, defaultChannel: string, options: Record<string, unknown>): string {
  if (requested == null) return defaultChannel;
  const channel = toChannel(requested);
  if (!channel) throw invalidField('channel', `channel must be one of: ${CHANNELS.join(', ')}`);
  const allowed = Array.isArray(options.allowedChannels) ? options.allowedChannels.map(String) : [];
  if (channel !== defaultChannel && !allowed.includes(channel)) {
    throw invalidField('channel', `channel ${channel} is not offered by this meeting type`);
  }
  return channel;
}

export function chooseLocation(requested: string | null | undefined, channel: string, locations: string[]): string | null {
  const given = requested?.trim();
  if (given) return given;
  return channel === 'local' && typeof locations[0] === 'string' ? locations[0] : null;
}

/** The link attendees join with: a custom link configured on the meeting type, when there is one. */
export function meetingLinkOf(meetingInfo: Record<string, unknown>): string | null {
  const link = meetingInfo.customChannelLink ?? meetingInfo.meetingLink;
  return typeof link === 'string' && link.length > 0 ? link : null;
}
