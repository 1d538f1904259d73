// Reads iCalendar text with ical.js (an independent parser), the way a calendar would: throws when
// it is not valid iCalendar.
import ICAL from 'ical.js';

export interface ParsedIcs {
  method: string;
  uid: string;
  sequence: number;
  status: string;
  start: string;
  end: string;
  startIsUtc: boolean;
  organizer: string;
  attendees: string[];
}

export function parseIcs(text: string): ParsedIcs {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const vevent = calendar.getFirstSubcomponent('vevent');
  if (!vevent) throw new Error('no VEVENT');
  const event = new ICAL.Event(vevent);
  const start = vevent.getFirstPropertyValue('dtstart') as ICAL.Time;
  return {
    method: String(calendar.getFirstPropertyValue('method')),
    uid: event.uid,
    sequence: event.sequence,
    status: String(vevent.getFirstPropertyValue('status')),
    start: event.startDate.toJSDate().toISOString(),
    end: event.endDate.toJSDate().toISOString(),
    startIsUtc: start.zone?.tzid === 'UTC',
    organizer: String(vevent.getFirstPropertyValue('organizer')).replace(/^mailto:/i, ''),
    attendees: vevent.getAllProperties('attendee').map((p) => String(p.getFirstValue()).replace(/^mailto:/i, '')),
  };
}

/** An attached invitation, read as a calendar would. */
export const readInvitation = parseIcs;
