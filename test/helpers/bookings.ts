// Booking test helpers: a clock fixed on a Monday morning, hosts created through the API (Mon–Fri
// 9–17 Europe/Berlin, 30-minute meeting type), and booking bodies for slots that host offers.
import { randomUUID } from 'node:crypto';
import ICAL from 'ical.js';
import { fixedClock } from '../../src/lib/clock.ts';
import { type TestApp, type TestCompany, client } from './app.ts';

/** Monday 2030-01-07, 07:00 in Berlin. */
export const NOW = '2030-01-07T06:00:00Z';

export const testClock = () => fixedClock(NOW);

export interface TestHost {
  userId: string;
  meetingTypeId: string;
  api: ReturnType<typeof client>;
}

export async function newHost(t: TestApp, company: TestCompany, meetingType: Record<string, unknown> = {}): Promise<TestHost> {
  const api = client(t.app, company.apiKey);
  const res = await api.post('/v4/user', {
    email: `host-${randomUUID()}@example.com`,
    givenName: 'Hanna',
    familyName: 'Host',
    timezone: 'Europe/Berlin',
    meetingType: { name: 'Discovery Call', duration: 30, ...meetingType },
  });
  if (res.statusCode !== 201) throw new Error(`host create failed: ${res.body}`);
  const { userId, meetingTypeId } = res.json() as { userId: string; meetingTypeId: string };
  return { userId, meetingTypeId, api: client(t.app, company.apiKey, userId) };
}

/** A Berlin wall time on a day after NOW, e.g. slot(1, '10:00') = Tuesday 10:00 +01:00. */
export function slot(daysAfterMonday: number, time: string): string {
  const day = new Date(Date.UTC(2030, 0, 7 + daysAfterMonday)).toISOString().slice(0, 10);
  return `${day}T${time}:00+01:00`;
}

export function bookingBody(host: TestHost, start: string, extra: Record<string, unknown> = {}) {
  return {
    meetingTypeId: host.meetingTypeId,
    start,
    attendee: { email: 'jane@example.com', firstname: 'Jane', lastname: 'Doe' },
    ...extra,
  };
}

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

/** Parses an ICS text with ical.js (an independent parser): throws when it is not valid iCalendar. */
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
