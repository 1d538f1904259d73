// Where a meeting type can be booked in time: a rolling window (`limit`, minutes from now) or a
// fixed range (`range`, dates in the host's zone with the last date inclusive, or ISO instants).
// Pure: `now` is an argument.
import type { DaysIntoFuture } from '../db/schema.ts';
import { DAY_MS, MINUTE_MS, parseInstant, wallOfDate, zoneRules } from '../lib/time.ts';

export const DEFAULT_BOOKING_LIMIT_MINUTES = 60 * 24 * 60;

export function bookingWindow(daysIntoFuture: DaysIntoFuture | null | undefined, now: number, zone: string) {
  if (daysIntoFuture?.mode === 'range') {
    const start = rangeBound(daysIntoFuture.rangeMin, zone, false) ?? Number.NEGATIVE_INFINITY;
    const end = rangeBound(daysIntoFuture.rangeMax, zone, true) ?? Number.POSITIVE_INFINITY;
    return { start, end };
  }
  const minutes = daysIntoFuture?.mode === 'limit' ? daysIntoFuture.bookingLimit : DEFAULT_BOOKING_LIMIT_MINUTES;
  return { start: Number.NEGATIVE_INFINITY, end: now + minutes * MINUTE_MS };
}

/** A date names local midnight (the day after it when it is an inclusive end); an instant itself. */
export function rangeBound(value: string, zone: string, inclusiveEnd: boolean): number | undefined {
  const wall = wallOfDate(value);
  if (wall !== undefined) return zoneRules(zone).boundAt(wall + (inclusiveEnd ? DAY_MS : 0), 'earlier');
  return parseInstant(value)?.getTime();
}
