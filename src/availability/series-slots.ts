// Slot search for a recurring series (GET /v4/booking-availability with recurrenceFrequency and
// recurrenceCount): a start is offered only when every occurrence of the series it would begin is
// a start the same search offers — the question a series booking asks of each occurrence. The
// engine runs once per occurrence over the requested range carried forward (weekly: +7 days, …),
// so the work is the plain search's times the number of sessions, bounded like every search.
import { invalidField } from '../lib/app-error.ts';
import { FREQUENCIES, type Frequency, MAX_SESSIONS, expandOccurrences } from '../lib/recurrence.ts';
import type { ZoneRules } from '../lib/time.ts';
import type { Slot } from './slots.ts';

export interface SeriesQuery {
  frequency: Frequency;
  count: number;
}

/** The query's two parameters, both or neither; undefined for a plain search. */
export function seriesQueryOf(frequency: string | undefined, count: number | undefined): SeriesQuery | undefined {
  if (frequency === undefined && count === undefined) return undefined;
  if (frequency === undefined || !(FREQUENCIES as readonly string[]).includes(frequency)) {
    throw invalidField('recurrenceFrequency', `recurrenceFrequency must be one of: ${FREQUENCIES.join(', ')} (with recurrenceCount)`);
  }
  if (count === undefined || !Number.isInteger(count) || count < 1 || count > MAX_SESSIONS) {
    throw invalidField('recurrenceCount', `recurrenceCount must be a whole number from 1 to ${MAX_SESSIONS} (with recurrenceFrequency)`);
  }
  return { frequency: frequency as Frequency, count };
}

/**
 * The candidate first starts whose every later occurrence is offered. `offeredIn` runs the same
 * search over a range (epoch ms) and answers the starts it offers there.
 */
export async function keepWholeSeries(
  candidates: Slot[],
  zone: ZoneRules,
  series: SeriesQuery,
  offeredIn: (range: { from: number; to: number }) => Promise<Slot[]>,
): Promise<Slot[]> {
  if (series.count === 1 || candidates.length === 0) return candidates;
  const plans = candidates.map((slot) => ({ slot, occurrences: expandOccurrences(slot.start, zone, series.frequency, series.count) }));
  let alive = plans.filter((p) => p.occurrences.every((o) => 'start' in o));
  for (let index = 1; index < series.count && alive.length > 0; index++) {
    const starts = alive.map((p) => (p.occurrences[index] as { start: number }).start);
    const from = Math.min(...starts);
    const to = Math.max(...starts) + 1;
    const offered = new Set((await offeredIn({ from, to })).map((slot) => slot.start));
    alive = alive.filter((_, i) => offered.has(starts[i]!));
  }
  return alive.map((p) => p.slot);
}
