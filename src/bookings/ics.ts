// iCalendar (RFC 5545) for one appointment, as an iTIP message (RFC 5546): REQUEST while it
// stands, CANCEL once cancelled. Pure: everything, including the stamp, comes in as data.
// Times are written in UTC: ical-generator's `timezone` option without a VTIMEZONE writes wrong
// wall times, and UTC needs no VTIMEZONE at all.
import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';

export interface IcsPerson {
  email: string;
  name?: string | null;
}

export interface IcsInput {
  /** Stable for the appointment's whole life. */
  uid: string;
  /** Rises on every reschedule and on cancel. */
  sequence: number;
  cancelled: boolean;
  start: Date;
  end: Date;
  /** DTSTAMP: when this version of the appointment was last changed. */
  stamp: Date;
  summary: string;
  description?: string | null;
  location?: string | null;
  url?: string | null;
  organizer: IcsPerson;
  attendees: IcsPerson[];
  /** RELATED-TO (RFC 5545 §3.8.4.5, RELTYPE PARENT by default): the recurring series an occurrence belongs to. */
  relatedTo?: string | null;
}

const PROD_ID = { company: 'Termin', product: 'Termin', language: 'EN' };

export function renderIcs(input: IcsInput): string {
  const calendar = ical({
    prodId: PROD_ID,
    method: input.cancelled ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
  });
  const event = calendar.createEvent({
    id: input.uid,
    sequence: input.sequence,
    start: input.start,
    end: input.end,
    stamp: input.stamp,
    summary: input.summary,
    description: input.description || null,
    location: input.location || null,
    url: input.url || null,
    status: input.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    organizer: { name: input.organizer.name || input.organizer.email, ...addresses(input.organizer.email) },
  });
  for (const person of uniqueByEmail(input.attendees, input.organizer.email)) {
    event.createAttendee({
      ...addresses(person.email),
      name: person.name || null,
      role: ICalAttendeeRole.REQ,
      status: input.cancelled ? ICalAttendeeStatus.DECLINED : ICalAttendeeStatus.NEEDSACTION,
      rsvp: !input.cancelled,
    });
  }
  // RFC 5545 §3.1: every content line ends with CRLF, the last one (END:VCALENDAR) too.
  const text = `${calendar.toString()}\r\n`;
  // ical-generator writes no RELATED-TO; the line is short (a UUID-based UID), so needs no folding.
  return input.relatedTo ? text.replace('\r\nEND:VEVENT\r\n', `\r\nRELATED-TO:${input.relatedTo}\r\nEND:VEVENT\r\n`) : text;
}

/**
 * The address as a `mailto:` URI (RFC 6068): characters a URI cannot hold, non-ASCII among them,
 * are percent-encoded as UTF-8. When that changes the address, the readable one goes in EMAIL.
 */
function addresses(email: string): { email: string; mailto?: string } {
  const uri = mailtoAddress(email);
  return uri === email ? { email } : { email, mailto: uri };
}

export function mailtoAddress(email: string): string {
  return [...email].map((char) => (/[A-Za-z0-9.!$&'*+\-=^_`|~@]/.test(char) ? char : encodeURIComponent(char))).join('');
}

/** One ATTENDEE line per address; the organizer is not listed as their own attendee. */
function uniqueByEmail(people: IcsPerson[], organizerEmail: string): IcsPerson[] {
  const seen = new Set([organizerEmail.toLowerCase()]);
  return people.filter((person) => {
    const key = person.email.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
