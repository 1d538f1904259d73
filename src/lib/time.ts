// The only importer of Temporal. Everything about wall-clock time and IANA zones goes through here.
import { Temporal } from 'temporal-polyfill';

const zoneCache = new Map<string, boolean>();

/**
 * A zone is valid when Intl can format in it. (`Intl.supportedValuesOf` lists canonical names
 * only, e.g. Asia/Calcutta but not Asia/Kolkata, so it cannot be the test.)
 */
export function isValidTimeZone(zone: string): boolean {
  const known = zoneCache.get(zone);
  if (known !== undefined) return known;
  let valid = false;
  if (zone.length > 0 && zone.length <= 64) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      Temporal.Now.instant().toZonedDateTimeISO(zone);
      valid = true;
    } catch {
      valid = false;
    }
  }
  zoneCache.set(zone, valid);
  return valid;
}

/** ISO 8601 instant with an explicit offset or Z; false for a bare local time or date. */
export function hasExplicitOffset(value: string): boolean {
  return /T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i.test(value);
}

// Accepted input years: enough for any real schedule, far from the edges where Date, Temporal and
// PostgreSQL disagree (year 0, 275760, six-digit years) and arithmetic on them overflows.
const MIN_INPUT_MS = Date.UTC(1900, 0, 1);
const MAX_INPUT_MS = Date.UTC(10_000, 0, 1);

function inInputRange(epochMs: number): boolean {
  return epochMs >= MIN_INPUT_MS && epochMs < MAX_INPUT_MS;
}

/** Parses an ISO instant that carries an offset; undefined when malformed or outside 1900–9999. */
export function parseInstant(value: string): Date | undefined {
  if (!hasExplicitOffset(value)) return undefined;
  try {
    const epochMs = Temporal.Instant.from(value).epochMilliseconds;
    return inInputRange(epochMs) ? new Date(epochMs) : undefined;
  } catch {
    return undefined;
  }
}

/** The instant rendered with the offset it has in `zone`, e.g. 2025-03-30T10:00:00+02:00. */
export function formatInZone(epochMs: number, zone: string): string {
  const zoned = Temporal.Instant.fromEpochMilliseconds(epochMs).toZonedDateTimeISO(zone);
  return zoned.toString({ timeZoneName: 'never', smallestUnit: 'second' });
}

/** The calendar date (YYYY-MM-DD) of an instant in `zone`. */
export function dateInZone(epochMs: number, zone: string): string {
  return Temporal.Instant.fromEpochMilliseconds(epochMs).toZonedDateTimeISO(zone).toPlainDate().toString();
}

export { Temporal };

// ---------------------------------------------------------------------------------------------
// Fast zone arithmetic for slot search. Temporal answers each zone question correctly but slowly
// (tens of microseconds); slot search asks thousands per request. So each zone's UTC offsets are
// read from Temporal once per calendar year (its transitions) and every later question is integer
// arithmetic over that table. "Wall" values are local wall-clock times encoded as milliseconds
// since 1970-01-01T00:00 local (epoch arithmetic as if the zone were UTC).

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;
// No zone's offset is beyond ±14 h, so an instant showing a given wall time lies within this reach.
const OFFSET_REACH_MS = 15 * 3_600_000;

interface ZoneYear {
  start: number;
  end: number;
  firstOffset: number;
  transitions: { at: number; offset: number }[];
}

function offsetMsAt(zone: string, epochMs: number): number {
  return Temporal.Instant.fromEpochMilliseconds(epochMs).toZonedDateTimeISO(zone).offsetNanoseconds / 1e6;
}

function loadZoneYear(zone: string, year: number): ZoneYear {
  const start = Date.UTC(year, 0, 1);
  const end = Date.UTC(year + 1, 0, 1);
  const transitions: ZoneYear['transitions'] = [];
  let cursor = Temporal.Instant.fromEpochMilliseconds(start).toZonedDateTimeISO(zone);
  for (;;) {
    const next = cursor.getTimeZoneTransition('next');
    if (!next || next.epochMilliseconds >= end) break;
    transitions.push({ at: next.epochMilliseconds, offset: next.offsetNanoseconds / 1e6 });
    cursor = next;
  }
  return { start, end, firstOffset: offsetMsAt(zone, start), transitions };
}

/** Offsets, wall-time resolution and formatting for one IANA zone; see `zoneRules`. */
export interface ZoneRules {
  readonly zone: string;
  /** UTC offset in milliseconds at an instant. */
  offsetAt(epochMs: number): number;
  /** The wall time an instant shows. */
  wallOf(epochMs: number): number;
  /** The instants that show this wall time: none in a spring-forward gap, two in a fall-back overlap. */
  instantsAt(wall: number): number[];
  /**
   * One instant for a wall time used as an interval bound: in an overlap the earlier or later
   * occurrence, in a gap the transition itself (the first instant after the skipped wall times).
   */
  boundAt(wall: number, pick: 'earlier' | 'later'): number;
  /** The instants whose wall time lies in [wallStart, wallEnd): one interval, or two around a fall-back. */
  instantsShowing(wallStart: number, wallEnd: number): { start: number; end: number }[];
  /** The first offset change after an instant (within a year or so), or Infinity. */
  nextTransitionAfter(epochMs: number): number;
  /** ISO 8601 with the zone's offset, to the second: 2025-03-30T10:00:00+02:00. */
  format(epochMs: number): string;
  /** The local calendar date YYYY-MM-DD of an instant. */
  dateOf(epochMs: number): string;
}

const rulesCache = new Map<string, ZoneRules>();

/** Rules of a valid zone (check with isValidTimeZone first); cached per zone. */
export function zoneRules(zone: string): ZoneRules {
  let rules = rulesCache.get(zone);
  if (!rules) {
    rules = createZoneRules(zone);
    rulesCache.set(zone, rules);
  }
  return rules;
}

function createZoneRules(zone: string): ZoneRules {
  const years = new Map<number, ZoneYear>();
  let current: ZoneYear | undefined;

  function yearOf(epochMs: number): ZoneYear {
    if (current && epochMs >= current.start && epochMs < current.end) return current;
    const year = new Date(epochMs).getUTCFullYear();
    let loaded = years.get(year);
    if (!loaded) {
      loaded = loadZoneYear(zone, year);
      years.set(year, loaded);
    }
    current = loaded;
    return loaded;
  }

  function offsetAt(epochMs: number): number {
    const year = yearOf(epochMs);
    let offset = year.firstOffset;
    for (const transition of year.transitions) {
      if (transition.at > epochMs) break;
      offset = transition.offset;
    }
    return offset;
  }

  function instantsAt(wall: number): number[] {
    const before = offsetAt(wall - OFFSET_REACH_MS);
    const after = offsetAt(wall + OFFSET_REACH_MS);
    const out: number[] = [];
    for (const offset of before === after ? [before] : [before, after]) {
      const instant = wall - offset;
      if (offsetAt(instant) === offset) out.push(instant);
    }
    return out.sort((a, b) => a - b);
  }

  function boundAt(wall: number, pick: 'earlier' | 'later'): number {
    const instants = instantsAt(wall);
    if (instants.length > 0) return pick === 'earlier' ? instants[0]! : instants[instants.length - 1]!;
    // A gap: the skipped wall times begin to exist at the transition, the latest instant not after
    // `wall - before` (as an instant that is already past the transition).
    const candidate = wall - offsetAt(wall - OFFSET_REACH_MS);
    return transitionBefore(candidate);
  }

  function transitionBefore(epochMs: number): number {
    for (const probe of [epochMs, yearOf(epochMs).start - 1]) {
      const { transitions } = yearOf(probe);
      for (let i = transitions.length - 1; i >= 0; i--) {
        if (transitions[i]!.at <= epochMs) return transitions[i]!.at;
      }
    }
    return epochMs;
  }

  function nextTransitionAfter(epochMs: number): number {
    const year = yearOf(epochMs);
    for (const transition of year.transitions) if (transition.at > epochMs) return transition.at;
    const following = yearOf(year.end);
    for (const transition of following.transitions) if (transition.at > epochMs) return transition.at;
    return Number.POSITIVE_INFINITY;
  }

  function instantsShowing(wallStart: number, wallEnd: number): { start: number; end: number }[] {
    // Walk the offset segments that can show these wall times; each contributes the instants
    // [wallStart − offset, wallEnd − offset) that fall inside it.
    const out: { start: number; end: number }[] = [];
    let segmentStart = wallStart - OFFSET_REACH_MS;
    const last = wallEnd + OFFSET_REACH_MS;
    while (segmentStart < last) {
      const offset = offsetAt(segmentStart);
      const segmentEnd = Math.min(nextTransitionAfter(segmentStart), last);
      const start = Math.max(segmentStart, wallStart - offset);
      const end = Math.min(segmentEnd, wallEnd - offset);
      if (start < end) out.push({ start, end });
      segmentStart = segmentEnd;
    }
    return out;
  }

  // Formatting is the hot path of a slot answer (hundreds of instants): plain arithmetic with the
  // date part memoised per local day, instead of a Date and toISOString per instant.
  let memoDay = Number.NaN;
  let memoDate = '';
  const dateOfWall = (wall: number): string => {
    const day = Math.floor(wall / DAY_MS);
    if (day !== memoDay) {
      memoDay = day;
      memoDate = civilDate(day);
    }
    return memoDate;
  };
  const format = (epochMs: number): string => {
    const offset = offsetAt(epochMs);
    const wall = epochMs + offset;
    const seconds = Math.floor((wall - Math.floor(wall / DAY_MS) * DAY_MS) / 1000);
    const time = `${TWO_DIGITS[Math.floor(seconds / 3600)]}:${TWO_DIGITS[Math.floor(seconds / 60) % 60]}:${TWO_DIGITS[seconds % 60]}`;
    return `${dateOfWall(wall)}T${time}${offsetText(offset)}`;
  };
  const dateOf = (epochMs: number): string => dateOfWall(epochMs + offsetAt(epochMs));

  return {
    zone,
    offsetAt,
    wallOf: (e) => e + offsetAt(e),
    instantsAt,
    boundAt,
    instantsShowing,
    nextTransitionAfter,
    format,
    dateOf,
  };
}

const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const offsetTexts = new Map<number, string>();

function offsetText(offsetMs: number): string {
  let text = offsetTexts.get(offsetMs);
  if (text === undefined) {
    const minutes = Math.round(Math.abs(offsetMs) / MINUTE_MS);
    text = `${offsetMs < 0 ? '-' : '+'}${TWO_DIGITS[Math.floor(minutes / 60)]}:${TWO_DIGITS[minutes % 60]}`;
    offsetTexts.set(offsetMs, text);
  }
  return text;
}

/** YYYY-MM-DD of a day number (days since 1970-01-01), proleptic Gregorian (H. Hinnant's civil_from_days). */
function civilDate(days: number): string {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return `${String(year).padStart(4, '0')}-${TWO_DIGITS[month]}-${TWO_DIGITS[day]}`;
}

/** Wall time of local midnight of a YYYY-MM-DD date; undefined when malformed or outside 1900–9999. */
export function wallOfDate(date: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const wall = Date.UTC(year, month - 1, day);
  const check = new Date(wall);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
  return inInputRange(wall) ? wall : undefined;
}

/** Wall time of a local date-time without an offset (`2030-01-08T09:30`, seconds optional); undefined otherwise. */
export function wallOfLocalDateTime(value: string): number | undefined {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?$/.exec(value);
  if (!match) return undefined;
  const midnight = wallOfDate(match[1]!);
  const [hour, minute, second] = [Number(match[2]), Number(match[3]), Number(match[4] ?? 0)];
  if (midnight === undefined || hour > 23 || minute > 59 || second > 59) return undefined;
  const millis = Number((match[5] ?? '').padEnd(3, '0'));
  return midnight + ((hour * 60 + minute) * 60 + second) * 1000 + millis;
}
