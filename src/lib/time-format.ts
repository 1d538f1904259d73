// Dates and times for people to read (emails, self-service pages), in their zone and language.
// Plain Intl formatting: no zone arithmetic happens here.
import { isValidTimeZone } from './time.ts';

/** An instant for people: "Monday, March 3, 2025 at 10:00 AM (Europe/Berlin)" in their zone and language. */
export function formatForPeople(epochMs: number, zone: string, language: string): string {
  const { format, timeZone } = peopleFormat(zone, language, 'full');
  return `${format.format(new Date(epochMs))} (${timeZone})`;
}

/** The local day of an instant for people: "Tuesday, January 8, 2030" / "Dienstag, 8. Januar 2030". */
export function formatDayForPeople(epochMs: number, zone: string, language: string): string {
  return peopleFormat(zone, language, 'day').format.format(new Date(epochMs));
}

/** The local time of day of an instant for people: "10:00 AM" / "10:00". */
export function formatTimeForPeople(epochMs: number, zone: string, language: string): string {
  return peopleFormat(zone, language, 'time').format.format(new Date(epochMs));
}

const PEOPLE_STYLES = {
  full: { dateStyle: 'full', timeStyle: 'short' },
  day: { dateStyle: 'full' },
  time: { timeStyle: 'short' },
} as const satisfies Record<string, Intl.DateTimeFormatOptions>;

const peopleFormats = new Map<string, Intl.DateTimeFormat>();

function peopleFormat(zone: string, language: string, style: keyof typeof PEOPLE_STYLES) {
  // Any German tag (de, de-DE, de-AT) reads German, as the email strings do.
  const locale = language.toLowerCase().startsWith('de') ? 'de-DE' : 'en-US';
  const timeZone = isValidTimeZone(zone) ? zone : 'UTC';
  // Building a formatter costs far more than using one: keep one per language, zone and style.
  const key = `${locale}|${timeZone}|${style}`;
  let format = peopleFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { ...PEOPLE_STYLES[style], timeZone });
    peopleFormats.set(key, format);
  }
  return { format, timeZone };
}
