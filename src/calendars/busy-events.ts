// Busy time from iCalendar data: the events of a calendar that make its owner busy within a window,
// with recurring events expanded (RRULE/RDATE, EXDATE, and RECURRENCE-ID exceptions that move,
// change or cancel single instances). Ignored, as a calendar user expects: all-day events,
// TRANSP:TRANSPARENT ("free"), STATUS:CANCELLED, and events the owner declined (PARTSTAT=DECLINED
// on the owner's ATTENDEE line). Times with a TZID use the calendar's own VTIMEZONE when it has
// one, an IANA zone of that name otherwise, and floating times the host's zone. Pure.
import ICAL from 'ical.js';
import { isValidTimeZone, zoneRules } from '../lib/time.ts';

export interface CalendarBusy {
  start: number;
  end: number;
  uid: string;
}

export interface BusyOptions {
  /** The window [from, to): events overlapping it are returned whole. */
  from: number;
  to: number;
  /** The zone of floating times and unknown TZIDs (the host's). */
  zone: string;
  /** Addresses of the calendar's owner, lower case, for declined invitations. */
  ownerEmails: ReadonlySet<string>;
}

/** Occurrences looked at per recurring event, at most (a bound on hostile or endless rules). */
const MAX_OCCURRENCES = 20_000;

/** Busy intervals of one or more VCALENDAR texts (a feed, or calendar-data of a REPORT). */
export function busyFromIcs(texts: readonly string[], options: BusyOptions): CalendarBusy[] {
  const out: CalendarBusy[] = [];
  for (const text of texts) {
    let calendar: ICAL.Component;
    try {
      calendar = new ICAL.Component(ICAL.parse(text));
    } catch {
      continue; // one unreadable resource must not hide the others' busy time
    }
    const byUid = new Map<string, ICAL.Component[]>();
    for (const vevent of calendar.getAllSubcomponents('vevent')) {
      const uid = String(vevent.getFirstPropertyValue('uid') ?? '');
      const list = byUid.get(uid) ?? [];
      list.push(vevent);
      byUid.set(uid, list);
    }
    for (const [uid, components] of byUid) collect(uid, components, options, out);
  }
  return out.sort((a, b) => a.start - b.start || a.end - b.end);
}

function collect(uid: string, components: ICAL.Component[], options: BusyOptions, out: CalendarBusy[]): void {
  const master = components.find((c) => !c.hasProperty('recurrence-id'));
  const exceptions = components.filter((c) => c.hasProperty('recurrence-id'));
  // Exceptions stand on their own: wherever they moved to, they are single events.
  for (const exception of exceptions) addSingle(uid, new ICAL.Event(exception), options, out);
  if (!master) return;
  const event = new ICAL.Event(master);
  if (!event.isRecurring()) {
    addSingle(uid, event, options, out);
    return;
  }
  if (event.startDate.isDate || !blocks(master, options)) return;
  const overridden = new Set(exceptions.map((c) => instantOf(c.getFirstPropertyValue('recurrence-id') as ICAL.Time, c, 'recurrence-id', options.zone)));
  const length = instantOf(event.endDate, master, endProperty(master), options.zone) - instantOf(event.startDate, master, 'dtstart', options.zone);
  const iterator = event.iterator();
  for (let i = 0; i < MAX_OCCURRENCES; i++) {
    const next = iterator.next();
    if (!next) break;
    const start = instantOf(next, master, 'dtstart', options.zone);
    if (start >= options.to) break;
    if (overridden.has(start)) continue;
    const end = start + length;
    if (end > options.from && end > start) out.push({ start, end, uid });
  }
}

function addSingle(uid: string, event: ICAL.Event, options: BusyOptions, out: CalendarBusy[]): void {
  const component = event.component;
  if (!component.hasProperty('dtstart') || event.startDate.isDate || !blocks(component, options)) return;
  const start = instantOf(event.startDate, component, 'dtstart', options.zone);
  const hasEnd = component.hasProperty('dtend') || component.hasProperty('duration');
  const end = hasEnd ? instantOf(event.endDate, component, endProperty(component), options.zone) : start;
  if (end > start && start < options.to && end > options.from) out.push({ start, end, uid });
}

/** Where an end time's TZID is written: DTEND, or DTSTART when the end is DTSTART + DURATION. */
function endProperty(component: ICAL.Component): string {
  return component.hasProperty('dtend') ? 'dtend' : 'dtstart';
}

/** Whether an event (or one instance) makes the owner busy at all. */
function blocks(component: ICAL.Component, options: BusyOptions): boolean {
  if (String(component.getFirstPropertyValue('transp') ?? '').toUpperCase() === 'TRANSPARENT') return false;
  if (String(component.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED') return false;
  for (const attendee of component.getAllProperties('attendee')) {
    const address = String(attendee.getFirstValue() ?? '').replace(/^mailto:/i, '').toLowerCase();
    const partstat = String(attendee.getParameter('partstat') ?? '').toUpperCase();
    if (partstat === 'DECLINED' && options.ownerEmails.has(address)) return false;
  }
  return true;
}

/**
 * The instant of a time: ical.js converts UTC and VTIMEZONE-defined times; a TZID without a
 * VTIMEZONE is read as the IANA zone of that name, a floating time in the host's zone.
 */
function instantOf(time: ICAL.Time, component: ICAL.Component, property: string, fallbackZone: string): number {
  const zone = time.zone as (ICAL.Timezone & { component?: unknown }) | undefined;
  if (zone && (zone.tzid === 'UTC' || zone.component)) return time.toUnixTime() * 1000;
  const tzid = component.getFirstProperty(property)?.getParameter('tzid');
  const name = typeof tzid === 'string' && isValidTimeZone(tzid) ? tzid : fallbackZone;
  const wall = Date.UTC(time.year, time.month - 1, time.day, time.hour, time.minute, time.second);
  return zoneRules(name).boundAt(wall, 'earlier');
}
