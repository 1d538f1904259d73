// `meetingOptions.recurring`: whether attendees may book a meeting type as a recurring series,
// how often, and how many sessions at most. Termin's name for what meetergo keeps in its booking
// page settings (weekly, every two weeks or monthly; 1–52 sessions). As in meetergo, a series
// cannot be combined with group spots or a queue. Pure.
import { invalidField } from '../lib/app-error.ts';
import { FREQUENCIES, type Frequency, MAX_SESSIONS } from '../lib/recurrence.ts';

export interface RecurringOptions {
  enabled: boolean;
  frequencies: Frequency[];
  maxSessions: number;
}

export const RECURRING_WITH_SPOTS = 'meetingOptions.recurring cannot be enabled for a meeting type with more than one spot (group sessions)';
export const RECURRING_WITH_QUEUE = 'meetingOptions.recurring cannot be enabled for a team meeting type with a queue';

const DISABLED: RecurringOptions = { enabled: false, frequencies: [...FREQUENCIES], maxSessions: MAX_SESSIONS };

/** The stored setting, or `undefined` when the type never had one (nothing is added to it then). */
export function checkedRecurring(value: unknown, spots: number): RecurringOptions | undefined {
  if (value === undefined || value === null) return undefined;
  const field = 'meetingOptions.recurring';
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidField(field, `${field} must be an object`);
  const input = value as { enabled?: unknown; frequencies?: unknown; maxSessions?: unknown };
  if (input.enabled !== undefined && typeof input.enabled !== 'boolean') throw invalidField(`${field}.enabled`, `${field}.enabled must be true or false`);
  const frequencies = input.frequencies ?? [...FREQUENCIES];
  if (!Array.isArray(frequencies) || frequencies.length === 0 || frequencies.some((f) => !(FREQUENCIES as readonly unknown[]).includes(f))) {
    throw invalidField(`${field}.frequencies`, `${field}.frequencies must list one or more of: ${FREQUENCIES.join(', ')}`);
  }
  const maxSessions = input.maxSessions ?? MAX_SESSIONS;
  if (!Number.isInteger(maxSessions) || (maxSessions as number) < 2 || (maxSessions as number) > MAX_SESSIONS) {
    throw invalidField(`${field}.maxSessions`, `${field}.maxSessions must be a whole number from 2 to ${MAX_SESSIONS}`);
  }
  const enabled = input.enabled === true;
  if (enabled && spots > 1) throw invalidField(field, RECURRING_WITH_SPOTS);
  return { enabled, frequencies: [...new Set(frequencies as Frequency[])], maxSessions: maxSessions as number };
}

/**
 * The series a request asks for, checked against what the meeting type allows; `fields` name the
 * request's two values in its own form (the booking body or the availability query).
 */
export function requireSeriesAllowed(
  meetingOptions: unknown,
  asked: { frequency: string; count: number },
  fields: { frequency: string; count: string },
): Frequency {
  const options = recurringOf(meetingOptions);
  if (!options.enabled) {
    const message = 'This meeting type cannot be booked as a recurring series (meetingOptions.recurring is not enabled)';
    throw invalidField(fields.frequency, message);
  }
  const frequency = asked.frequency as Frequency;
  if (!FREQUENCIES.includes(frequency) || !options.frequencies.includes(frequency)) {
    throw invalidField(fields.frequency, `${fields.frequency} must be one of: ${options.frequencies.join(', ')}`);
  }
  if (!Number.isInteger(asked.count) || asked.count < 1 || asked.count > options.maxSessions) {
    throw invalidField(fields.count, `${fields.count} must be a whole number from 1 to ${options.maxSessions}`);
  }
  return frequency;
}

/** A team type (one with a queue) cannot offer series: refused when the setting is enabled. */
export function refuseSeriesWithQueue(meetingOptions: unknown): void {
  if (recurringOf(meetingOptions).enabled) throw invalidField('meetingOptions.recurring', RECURRING_WITH_QUEUE);
}

/** What a stored meeting type allows (a type without the setting allows no series). */
export function recurringOf(meetingOptions: unknown): RecurringOptions {
  const stored = (meetingOptions as { recurring?: Partial<RecurringOptions> } | null)?.recurring;
  if (stored?.enabled !== true) return DISABLED;
  return {
    enabled: true,
    frequencies: Array.isArray(stored.frequencies) ? stored.frequencies : [...FREQUENCIES],
    maxSessions: typeof stored.maxSessions === 'number' ? stored.maxSessions : MAX_SESSIONS,
  };
}
