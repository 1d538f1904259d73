// The occurrences of a recurring series: the first start's wall-clock time in the host's zone,
// repeated weekly, every two weeks or monthly on the same day of the month. 10:00 stays 10:00
// across a daylight-saving change (the UTC instant moves instead). Nothing is moved silently: a
// day of the month that does not exist (the 31st in April) or a wall time skipped by a
// spring-forward change makes that occurrence impossible, and the caller refuses the series.
// Pure, used by bookings and slot search alike: zone rules come from lib/time.ts (its table
// arithmetic; the tests hold the result against Temporal).
import { DAY_MS, type ZoneRules } from './time.ts';

export const FREQUENCIES = ['weekly', 'biweekly', 'monthly'] as const;
export type Frequency = (typeof FREQUENCIES)[number];
/** The longest series meetergo offers, and Termin's bound for a series' work. */
export const MAX_SESSIONS = 52;

export type Occurrence =
  | { position: number; date: string; start: number }
  /** The day of the month does not exist in that month (monthly on the 29th–31st). */
  | { position: number; date: string; missing: 'no_such_day' }
  /** The wall time falls in a spring-forward gap on that date. */
  | { position: number; date: string; missing: 'no_such_time' };

/** The local wall time (ms since 1970-01-01T00:00 local) of occurrence `index` (0-based). */
function wallOfOccurrence(firstWall: number, frequency: Frequency, index: number): number | undefined {
  if (frequency === 'weekly') return firstWall + index * 7 * DAY_MS;
  if (frequency === 'biweekly') return firstWall + index * 14 * DAY_MS;
  const day = Math.floor(firstWall / DAY_MS);
  const timeOfDay = firstWall - day * DAY_MS;
  const first = new Date(day * DAY_MS);
  const target = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + index, first.getUTCDate()));
  // Date.UTC rolls the 31st of a 30-day month into the next month: that day does not exist.
  if (target.getUTCDate() !== first.getUTCDate()) return undefined;
  return target.getTime() + timeOfDay;
}

/** The local date YYYY-MM-DD a wall time falls on (months counted even when the day is missing). */
function dateOfWall(wall: number): string {
  return new Date(Math.floor(wall / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
}

function missingDate(firstWall: number, index: number): string {
  const first = new Date(firstWall);
  const month = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + index, 1));
  return `${month.toISOString().slice(0, 8)}${String(first.getUTCDate()).padStart(2, '0')}`;
}

/**
 * All `count` occurrences of a series whose first start is `first` (epoch ms), in the zone of
 * `rules`. In a fall-back overlap the earlier of the two instants showing the wall time is taken.
 */
export function expandOccurrences(first: number, rules: ZoneRules, frequency: Frequency, count: number): Occurrence[] {
  const firstWall = rules.wallOf(first);
  const out: Occurrence[] = [];
  for (let index = 0; index < count; index++) {
    const position = index + 1;
    if (index === 0) {
      out.push({ position, date: rules.dateOf(first), start: first });
      continue;
    }
    const wall = wallOfOccurrence(firstWall, frequency, index);
    if (wall === undefined) {
      out.push({ position, date: missingDate(firstWall, index), missing: 'no_such_day' });
      continue;
    }
    const instants = rules.instantsAt(wall);
    if (instants.length === 0) out.push({ position, date: dateOfWall(wall), missing: 'no_such_time' });
    else out.push({ position, date: dateOfWall(wall), start: instants[0]! });
  }
  return out;
}

/** How far past the first start a series can reach (for reading busy time ahead); generous. */
export function seriesReachMs(frequency: Frequency, count: number): number {
  const days = frequency === 'weekly' ? 7 : frequency === 'biweekly' ? 14 : 31;
  return (count - 1) * days * DAY_MS + 2 * DAY_MS;
}
