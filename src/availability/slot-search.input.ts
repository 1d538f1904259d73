// What a slot search may ask, checked before anything is read: ids, zone, the window (at most
// MAX_WINDOW_DAYS, read as dates in the output zone, local date-times or instants) and durations.
import { invalidField } from '../lib/app-error.ts';
import { isUuid } from '../lib/ids.ts';
import { DAY_MS, isValidTimeZone, wallOfLocalDateTime, zoneRules } from '../lib/time.ts';
import { rangeBound } from './booking-window.ts';
import type { SlotMeetingType } from './slot-search.repo.ts';
import type { SeriesQuery } from './series-slots.ts';

export const MAX_WINDOW_DAYS = 62;
export const MAX_HOSTS = 100;

export interface SlotSearchInput {
  meetingTypeId: string;
  start?: string;
  end?: string;
  hostIds: string[];
  queueId?: string;
  calculationMethod?: 'anyone' | 'everyone';
  meetingDuration?: number;
  timezone?: string;
  existingAppointmentId?: string;
  troubleshoot?: boolean;
  /** Name the free hosts of every start (troubleshooting team types). */
  includeHosts?: boolean;
  /** Only starts whose every occurrence of this recurring series is offered (series-slots.ts). */
  recurrence?: SeriesQuery;
}

export function checkInput(input: SlotSearchInput): void {
  if (!isUuid(input.meetingTypeId)) throw invalidField('meetingTypeId', 'meetingTypeId must be a UUID');
  if (input.hostIds.length > MAX_HOSTS) throw invalidField('hostIds', `hostIds takes at most ${MAX_HOSTS} users`);
  for (const id of input.hostIds) if (!isUuid(id)) throw invalidField('hostIds', `hostIds must be UUIDs (got "${id}")`);
  if (input.existingAppointmentId !== undefined && !isUuid(input.existingAppointmentId)) {
    throw invalidField('existingAppointmentId', 'existingAppointmentId must be a UUID');
  }
  if (input.timezone !== undefined && !isValidTimeZone(input.timezone)) {
    throw invalidField('timezone', `timezone must be a valid IANA time zone (got "${input.timezone}")`);
  }
  if (!input.start) throw invalidField('start', 'start is required (YYYY-MM-DD or an ISO 8601 instant)');
  if (!input.end) throw invalidField('end', 'end is required (YYYY-MM-DD or an ISO 8601 instant)');
}

/** The durations a booking may ask for: the type's own plus meetingOptions.allowedDurations. */
export function allowedDurations(meetingType: { duration: number; meeting_options: unknown }): number[] {
  const options = meetingType.meeting_options as { allowedDurations?: unknown };
  const extra = Array.isArray(options.allowedDurations)
    ? options.allowedDurations.filter((d): d is number => Number.isInteger(d))
    : [];
  return [meetingType.duration, ...extra];
}

export function checkedDuration(meetingType: SlotMeetingType, requested: number | undefined): number {
  if (requested === undefined) return meetingType.duration;
  if (!allowedDurations(meetingType).includes(requested)) {
    throw invalidField('meetingDuration', 'Duration must match one of the allowed durations for this meeting type');
  }
  return requested;
}

/** `start`/`end` as dates in the output zone (a date end is inclusive) or ISO instants. */
export function requestRange(start: string, end: string, zone: string, maxDays: number): { from: number; to: number } {
  const from = rangeValue(start, zone, 'start', false);
  const to = rangeValue(end, zone, 'end', true);
  if (to <= from) throw invalidField('end', 'end must be after start');
  // Two hours of slack: a window of whole days can be longer in real time across a DST change.
  if (to - from > maxDays * DAY_MS + 2 * 3_600_000) {
    throw invalidField('end', `The window from start to end may span at most ${MAX_WINDOW_DAYS} days`);
  }
  return { from, to };
}

function rangeValue(value: string, zone: string, field: string, inclusiveEnd: boolean): number {
  // A date-time without an offset is a wall time in the requested zone (clients send it so).
  const local = wallOfLocalDateTime(value);
  const bound = local !== undefined ? zoneRules(zone).boundAt(local, 'earlier') : rangeBound(value, zone, inclusiveEnd);
  if (bound === undefined) {
    throw invalidField(field, `${field} must be a date YYYY-MM-DD, a local date-time (read in timezone) or an ISO 8601 instant`);
  }
  return bound;
}
