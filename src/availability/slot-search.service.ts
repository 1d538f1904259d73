// Slot search (GET /v4/booking-availability) and the slot oracle bookings ask. Both run the same
// code: load the meeting type, the hosts with their availability, their exceptions and busy time
// (a fixed number of queries), then the pure engine. So a start the search offers is exactly a
// start a booking accepts at that moment.
import type { Db } from '../db/database.ts';
import { AppError, invalidField, notFound } from '../lib/app-error.ts';
import type { Clock } from '../lib/clock.ts';
import { isUuid } from '../lib/ids.ts';
import { DAY_MS, isValidTimeZone } from '../lib/time.ts';
import { type MeetingTypeRow, findMeetingType } from '../meeting-types/meeting-types.repo.ts';
import { bookingWindow, rangeBound } from './booking-window.ts';
import type { SlotOracle, SlotQuestion } from './slot-oracle.ts';
import { type SlotResponse, slotResponse } from './slot-response.ts';
import { loadBusy, loadExceptions, loadHosts } from './slot-search.repo.ts';
import { type HostAvailability, type SlotResult, findSlots } from './slots.ts';

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
}

interface Run {
  meetingType: MeetingTypeRow;
  hostIds: string[];
  /** Output zone when none is asked for: the first host's. */
  hostZone: string;
  load(range: { from: number; to: number }): Promise<HostAvailability[]>;
}

export type SlotSearchService = ReturnType<typeof createSlotSearchService>;

export function createSlotSearchService(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;

  /** Meeting type and hosts, checked; the rest is loaded once the range is known. */
  async function prepare(companyId: string, meetingTypeId: string, hostIds: string[], exclude?: string): Promise<Run> {
    const meetingType = await findMeetingType(db, companyId, meetingTypeId);
    if (!meetingType || meetingType.deleted_at) throw notFound('Meeting type');
    const ids = hostIds.length > 0 ? [...new Set(hostIds)] : [meetingType.user_id];
    const hosts = await loadHosts(db, companyId, ids, meetingType.availability_id);
    for (const id of ids) {
      if (!hosts.some((h) => h.user_id === id)) throw new AppError('not_found', `Host ${id} not found`);
    }
    hosts.sort((a, b) => ids.indexOf(a.user_id) - ids.indexOf(b.user_id));
    const load = async (range: { from: number; to: number }): Promise<HostAvailability[]> => {
      // A day of margin both sides: local days around the range and buffers reaching into it.
      const wide = { from: new Date(range.from - 2 * DAY_MS), to: new Date(range.to + 2 * DAY_MS) };
      const availabilityIds = hosts.flatMap((h) => (h.availability_id ? [h.availability_id] : []));
      const [exceptions, busy] = await Promise.all([
        loadExceptions(db, availabilityIds, wide),
        loadBusy(db, ids, wide, exclude),
      ]);
      return hosts.map((host) => ({
        hostId: host.user_id,
        timezone: host.timezone ?? host.user_timezone,
        schedule: host.schedule ?? ({} as HostAvailability['schedule']),
        exceptions: exceptions
          .filter((e) => e.availability_id === host.availability_id)
          .map((e) => ({ start: e.start_at.getTime(), end: e.end_at.getTime(), available: e.available })),
        busy: busy
          .filter((b) => b.user_id === host.user_id)
          .map((b) => ({ start: b.start_at.getTime(), end: b.end_at.getTime(), appointmentId: b.appointment_id })),
      }));
    };
    return { meetingType, hostIds: ids, hostZone: hosts[0]!.timezone ?? hosts[0]!.user_timezone, load };
  }

  async function compute(
    run: Run,
    range: { from: number; to: number },
    options: { duration: number; method: 'anyone' | 'everyone'; troubleshoot?: boolean },
  ): Promise<SlotResult> {
    const { meetingType: mt } = run;
    if (!mt.enabled) return { slots: [], blocked: [] };
    const hosts = await run.load(range);
    const now = clock.now().getTime();
    const info = mt.meeting_info as { bufferMustStayWithinWorkingHours?: unknown };
    return findSlots(hosts, {
      ...range,
      now,
      duration: options.duration,
      interval: mt.timeslot_interval ?? options.duration,
      bufferBefore: mt.buffer_before,
      bufferAfter: mt.buffer_after,
      bookingMinimum: mt.booking_minimum,
      window: bookingWindow(mt.days_into_future, now, hosts[0]?.timezone ?? run.hostZone),
      bufferWithinHours: info.bufferMustStayWithinWorkingHours === true,
      method: options.method,
      troubleshoot: options.troubleshoot,
    });
  }

  async function search(companyId: string, input: SlotSearchInput): Promise<SlotResponse> {
    if (input.queueId !== undefined) {
      throw invalidField('queueId', 'queueId is not supported yet: pass hostIds, or neither to use the meeting type\'s host');
    }
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
    const run = await prepare(companyId, input.meetingTypeId, input.hostIds, input.existingAppointmentId);
    const duration = checkedDuration(run.meetingType, input.meetingDuration);
    const zone = input.timezone ?? run.hostZone;
    const range = requestRange(input.start, input.end, zone);
    const method = input.calculationMethod ?? 'anyone';
    const result = await compute(run, range, { duration, method, troubleshoot: input.troubleshoot });
    return slotResponse(result.slots, zone, input.troubleshoot ? result.blocked : undefined);
  }

  /** The hosts free for exactly this start (for `anyone`, some; for `everyone`, all or none). */
  async function freeHosts(question: SlotQuestion): Promise<string[]> {
    if (!isUuid(question.meetingTypeId) || question.hostIds.some((id) => !isUuid(id))) return [];
    let run: Run;
    try {
      run = await prepare(question.companyId, question.meetingTypeId, question.hostIds, question.excludeAppointmentId);
    } catch (error) {
      if (error instanceof AppError && error.code === 'not_found') return [];
      throw error;
    }
    const duration = question.duration ?? run.meetingType.duration;
    if (!allowedDurations(run.meetingType).includes(duration)) return [];
    const start = question.start.getTime();
    const method = question.calculationMethod ?? 'anyone';
    const result = await compute(run, { from: start, to: start + 1 }, { duration, method });
    return result.slots.find((slot) => slot.start === start)?.hostIds ?? [];
  }

  const oracle: SlotOracle = { isOffered: async (question) => (await freeHosts(question)).length > 0 };

  return { search, freeHosts, isOffered: oracle.isOffered };
}

/** The durations a booking may ask for: the type's own plus meetingOptions.allowedDurations. */
export function allowedDurations(meetingType: MeetingTypeRow): number[] {
  const options = meetingType.meeting_options as { allowedDurations?: unknown };
  const extra = Array.isArray(options.allowedDurations)
    ? options.allowedDurations.filter((d): d is number => Number.isInteger(d))
    : [];
  return [meetingType.duration, ...extra];
}

function checkedDuration(meetingType: MeetingTypeRow, requested: number | undefined): number {
  if (requested === undefined) return meetingType.duration;
  if (!allowedDurations(meetingType).includes(requested)) {
    throw invalidField('meetingDuration', 'Duration must match one of the allowed durations for this meeting type');
  }
  return requested;
}

/** `start`/`end` as dates in the output zone (a date end is inclusive) or ISO instants. */
function requestRange(start: string, end: string, zone: string): { from: number; to: number } {
  const from = rangeValue(start, zone, 'start', false);
  const to = rangeValue(end, zone, 'end', true);
  if (to <= from) throw invalidField('end', 'end must be after start');
  if (to - from > MAX_WINDOW_DAYS * DAY_MS + 2 * 3_600_000) {
    throw invalidField('end', `The window from start to end may span at most ${MAX_WINDOW_DAYS} days`);
  }
  return { from, to };
}

function rangeValue(value: string, zone: string, field: string, inclusiveEnd: boolean): number {
  const bound = rangeBound(value, zone, inclusiveEnd);
  if (bound === undefined) {
    throw invalidField(field, `${field} must be a date YYYY-MM-DD or an ISO 8601 instant with an offset`);
  }
  return bound;
}
