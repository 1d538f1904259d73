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
    organizer: { name: input.organizer.name || input.organizer.email, email: input.organizer.email },
  });
  for (const person of uniqueByEmail(input.attendees, input.organizer.email)) {
    event.createAttendee({
      email: person.email,
      name: person.name || null,
      role: ICalAttendeeRole.REQ,
      status: input.cancelled ? ICalAttendeeStatus.DECLINED : ICalAttendeeStatus.NEEDSACTION,
      rsvp: !input.cancelled,
    });
  }
  return calendar.toString();
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
