// Weekly schedules: both documented input forms normalised into the stored weekday-object form,
// with the hours checked (HH:mm, end after start, no overlaps within a day). Pure.
import { AppError } from '../lib/app-error.ts';
import type { DayHours, WeekdayName, WeeklySchedule } from '../db/schema.ts';

export const WEEKDAYS: readonly WeekdayName[] = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
];

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}

export function emptySchedule(): WeeklySchedule {
  return Object.fromEntries(WEEKDAYS.map((day) => [day, { enabled: false, hours: [] }])) as unknown as WeeklySchedule;
}

/** Mon–Fri 09:00–17:00: what a new user gets. */
export function businessHours(): WeeklySchedule {
  const schedule = emptySchedule();
  for (const day of WEEKDAYS.slice(0, 5)) schedule[day] = { enabled: true, hours: [{ start: '09:00', end: '17:00' }] };
  return schedule;
}

type ObjectForm = Partial<Record<string, { enabled?: unknown; hours?: unknown }>>;
type ArrayForm = { dayOfWeek?: unknown; intervals?: unknown }[];

/** Accepts `{ monday: { enabled, hours: [{start,end}] } }` or `[{ dayOfWeek, intervals: [{from,to}] }]`. */
export function normalizeSchedule(input: unknown, field = 'schedule'): WeeklySchedule {
  return readSchedule(input, field).schedule;
}

/**
 * A partial update: the weekdays the input names replace those of `current`; the others stay
 * (PATCH with `{ saturday: … }` opens Saturday without closing Monday to Friday).
 */
export function mergeSchedule(current: WeeklySchedule, input: unknown, field = 'schedule'): WeeklySchedule {
  const { schedule, named } = readSchedule(input, field);
  const merged = { ...current };
  for (const day of named) merged[day] = schedule[day];
  return merged;
}

function readSchedule(input: unknown, field: string): { schedule: WeeklySchedule; named: Set<WeekdayName> } {
  const schedule = emptySchedule();
  const named = new Set<WeekdayName>();
  if (Array.isArray(input)) {
    for (const [index, entry] of (input as ArrayForm).entries()) {
      const day = typeof entry?.dayOfWeek === 'string' ? entry.dayOfWeek.toLowerCase() : '';
      if (!WEEKDAYS.includes(day as WeekdayName)) {
        throw invalid(`${field}[${index}].dayOfWeek`, `must be one of ${WEEKDAYS.join(', ')}`);
      }
      const intervals = Array.isArray(entry.intervals) ? entry.intervals : [];
      const hours = intervals.map((interval: { from?: unknown; to?: unknown }, i: number) =>
        hoursOf(interval?.from, interval?.to, `${field}[${index}].intervals[${i}]`),
      );
      const target = schedule[day as WeekdayName];
      named.add(day as WeekdayName);
      target.hours.push(...hours);
      target.enabled = target.hours.length > 0;
    }
  } else if (input && typeof input === 'object') {
    for (const [key, value] of Object.entries(input as ObjectForm)) {
      const day = key.toLowerCase() as WeekdayName;
      if (!WEEKDAYS.includes(day)) throw invalid(`${field}.${key}`, 'is not a weekday');
      if (!value || typeof value !== 'object') throw invalid(`${field}.${key}`, 'must be an object');
      const rawHours = value.hours ?? [];
      if (!Array.isArray(rawHours)) throw invalid(`${field}.${key}.hours`, 'must be an array');
      const hours = rawHours.map((h: { start?: unknown; end?: unknown }, i: number) =>
        hoursOf(h?.start, h?.end, `${field}.${key}.hours[${i}]`),
      );
      const enabled = value.enabled === undefined ? hours.length > 0 : value.enabled === true;
      schedule[day] = { enabled, hours };
      named.add(day);
    }
  } else {
    throw invalid(field, 'must be an object keyed by weekday or an array of { dayOfWeek, intervals }');
  }
  for (const day of WEEKDAYS) checkNoOverlap(schedule[day].hours, `${field}.${day}`);
  return { schedule, named };
}

function hoursOf(start: unknown, end: unknown, field: string): DayHours {
  if (typeof start !== 'string' || !HH_MM.test(start)) throw invalid(`${field}.start`, 'must be a time HH:mm');
  if (typeof end !== 'string' || !HH_MM.test(end)) throw invalid(`${field}.end`, 'must be a time HH:mm');
  if (minutesOf(end) <= minutesOf(start)) throw invalid(field, 'must end after it starts');
  return { start, end };
}

function checkNoOverlap(hours: DayHours[], field: string): void {
  hours.sort((a, b) => minutesOf(a.start) - minutesOf(b.start));
  for (let i = 1; i < hours.length; i++) {
    if (minutesOf(hours[i]!.start) < minutesOf(hours[i - 1]!.end)) throw invalid(field, 'has overlapping intervals');
  }
}

function invalid(field: string, problem: string): AppError {
  const message = `${field} ${problem}`;
  return new AppError('validation_failed', message, { errors: [{ field, message }] });
}
