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

/** Parses an ISO instant that carries an offset; undefined when malformed. */
export function parseInstant(value: string): Date | undefined {
  if (!hasExplicitOffset(value)) return undefined;
  try {
    return new Date(Temporal.Instant.from(value).epochMilliseconds);
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

/** An instant for people: "Monday, March 3, 2025 at 10:00 AM (Europe/Berlin)" in their zone and language. */
export function formatForPeople(epochMs: number, zone: string, language: string): string {
  const locale = language === 'de' ? 'de-DE' : 'en-US';
  const timeZone = isValidTimeZone(zone) ? zone : 'UTC';
  // Building a formatter costs far more than using one: keep one per language and zone.
  const key = `${locale}|${timeZone}`;
  let format = peopleFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'short', timeZone });
    peopleFormats.set(key, format);
  }
  return `${format.format(new Date(epochMs))} (${timeZone})`;
}

const peopleFormats = new Map<string, Intl.DateTimeFormat>();
