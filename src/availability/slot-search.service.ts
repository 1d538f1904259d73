// Slot search (GET /v4/booking-availability) and the slot oracle bookings ask. Both run the same
// code: load the meeting type, the hosts with their availability, their exceptions and busy time
// (a fixed number of queries), then the pure engine. So a start the search offers is exactly a
// start a booking accepts at that moment.
import type { Db, Executor } from '../db/database.ts';
import { AppError, invalidField, notFound } from '../lib/app-error.ts';
import type { Clock } from '../lib/clock.ts';
import { isUuid } from '../lib/ids.ts';
import { DAY_MS, zoneRules } from '../lib/time.ts';
import { bookingWindow } from './booking-window.ts';
import { MAX_WINDOW_DAYS, type SlotSearchInput, allowedDurations, checkInput, checkedDuration, requestRange } from './slot-search.input.ts';
import type { BookingQuestion, BookingView, SlotOracle, SlotQuestion } from './slot-oracle.ts';
import { type SlotResponse, slotResponse } from './slot-response.ts';
import { type BusyColumns, type SlotData, type SlotMeetingType, loadSlotData } from './slot-search.repo.ts';
import type { BusyCache } from './busy-cache.ts';
import { emptySchedule } from './schedule.ts';
import { needsNearTermFallback, teamScope, teamSlots, usersOf } from './team-scope.ts';
import { type SlotCost, chargeCost, checkCost, roughCost, searchCost } from './slot-cost.ts';
import { type BusyInterval, type HostAvailability, type Slot, type SlotQuery, type SlotResult, findSlots, findSlotsInSlices } from './slots.ts';
import { type GroupSlot, sessionsBetween, withSessions } from './group-sessions.ts';
import { type CalendarWarning, calendarWarnings } from '../calendars/staleness.ts';
import { seriesReachMs } from '../lib/recurrence.ts';
import { normalize } from '../lib/intervals.ts';
import { RECURRING_WITH_QUEUE, requireSeriesAllowed } from '../meeting-types/recurring-options.ts';
import { keepWholeSeries } from './series-slots.ts';

/** What fetch read, with each host's busy time (read now or reused). */
type Fetched = SlotData & { busy: ReadonlyMap<string, readonly BusyInterval[]> };

interface Loaded {
  meetingType: SlotMeetingType;
  hosts: HostAvailability[];
  /** Hosts' calendars whose busy time may be out of date (still used). */
  warnings: CalendarWarning[];
  /** Names of the hosts' calendars, for troubleshooting. */
  calendarNames: Map<string, string>;
  /** Output zone when none is asked for: the first host's. */
  hostZone: string;
}

export type SlotSearchService = ReturnType<typeof createSlotSearchService>;

export function createSlotSearchService(deps: {
  db: Db;
  clock: Clock;
  /** Told the work of each search (metrics). */
  onSearch?: (cost: { hosts: number; days: number; startsPerDay: number }) => void;
  /** Fair sharing: the work a search may cost, per request and per company per second. */
  cost?: SlotCost;
  /** Slot computation runs in slices of this many ms, yielding the event loop between them (0: in one go). */
  sliceMs?: number;
  /** A calendar not refreshed for this long is reported stale. */
  calendarStaleAfterMs?: number;
  /** Hosts' busy time kept between searches (busy-cache.ts); none: every search reads it. */
  busyCache?: BusyCache;
}) {
  const { db, clock, busyCache } = deps;
  const staleAfterMs = deps.calendarStaleAfterMs ?? 900_000;

  /**
   * Meeting type, hosts, their exceptions and busy time around `range`: one query, nothing checked
   * yet. A search (not a booking's check, not troubleshooting, not a reschedule's search that
   * leaves an appointment out) reuses the busy time of hosts nothing changed since it was read.
   */
  async function fetch(
    companyId: string,
    question: { meetingTypeId: string; hostIds: readonly string[]; range: { from: number; to: number }; exclude?: string; withIds?: boolean },
    executor: Executor = db,
    reuse = false,
  ): Promise<Fetched> {
    // Margin: local days around the range in any zone, and buffers reaching into it.
    const range = { from: question.range.from - 3 * DAY_MS, to: question.range.to + 3 * DAY_MS };
    const hostIds = [...new Set(question.hostIds)];
    const cache = reuse && busyCache?.enabled && question.exclude === undefined && question.withIds !== true ? busyCache : undefined;
    const owner = hostIds.length === 0 ? cache?.ownerOf(question.meetingTypeId) : undefined;
    const cached = cache?.candidates(owner ? [owner] : hostIds, range);
    const data = await loadSlotData(executor, {
      companyId,
      meetingTypeId: question.meetingTypeId,
      hostIds,
      range: { from: new Date(range.from), to: new Date(range.to) },
      excludeAppointmentId: question.exclude,
      withIds: question.withIds === true,
      cached,
    });
    const busy = new Map<string, readonly BusyInterval[]>();
    for (const row of data.hosts) {
      const entry = row.fresh ? cached?.entries.get(row.user_id) : undefined;
      if (entry) {
        cache!.touch(row.user_id, entry);
        busy.set(row.user_id, entry.busy);
        continue;
      }
      // Kept merged (the engine's own first step), so searches that reuse it allocate nothing for it.
      const read = cache ? normalize(busyOf(row)) : busyOf(row);
      busy.set(row.user_id, read);
      cache?.remember(row.user_id, { ...range, snapshot: data.snapshot, busy: read });
    }
    if (cache && hostIds.length === 0 && data.meetingType) cache.rememberOwner(question.meetingTypeId, data.meetingType.user_id);
    return { ...data, busy };
  }

  /** The fetched hosts asked for (the type's own host when none), checked to exist: else 404. */
  function resolve(data: Fetched, hostIds: readonly string[]): Loaded {
    const meetingType = data.meetingType;
    if (!meetingType || meetingType.deleted) throw notFound('Meeting type');
    const ids = [...new Set(hostIds)];
    const wanted = ids.length > 0 ? ids : [meetingType.user_id];
    const rows = wanted.map((id) => {
      const row = data.hosts.find((h) => h.user_id === id);
      if (!row) throw new AppError('not_found', `Host ${id} not found`);
      return row;
    });
    const hosts = rows.map(
      (row): HostAvailability => ({
        hostId: row.user_id,
        timezone: row.timezone ?? row.user_timezone,
        schedule: row.schedule ?? emptySchedule(),
        exceptions: row.exceptions,
        busy: data.busy.get(row.user_id) ?? [],
      }),
    );
    const warnings = calendarWarnings(
      rows.map((row) => ({ hostId: row.user_id, calendars: row.calendars })),
      clock.now().getTime(),
      staleAfterMs,
    );
    const calendarNames = new Map(rows.flatMap((row) => row.calendars.map((c) => [c.id, c.name] as const)));
    return { meetingType, hosts, hostZone: rows[0]!.user_timezone, warnings, calendarNames };
  }

  /** The engine's question; undefined when the meeting type is disabled (no slots at all). */
  function slotQuery(
    loaded: Loaded,
    range: { from: number; to: number },
    options: { duration: number; method: 'anyone' | 'everyone'; troubleshoot?: boolean; firstFree?: boolean },
  ): SlotQuery | undefined {
    const { meetingType: mt, hosts } = loaded;
    if (!mt.enabled) return undefined;
    const now = clock.now().getTime();
    return {
      ...range,
      now,
      duration: options.duration,
      interval: mt.timeslot_interval ?? options.duration,
      bufferBefore: mt.buffer_before,
      bufferAfter: mt.buffer_after,
      bookingMinimum: mt.booking_minimum,
      window: bookingWindow(mt.days_into_future, now, hosts[0]!.timezone),
      bufferWithinHours: mt.meeting_info.bufferMustStayWithinWorkingHours === true,
      method: options.method,
      troubleshoot: options.troubleshoot,
      firstFree: options.firstFree,
    };
  }

  function compute(loaded: Loaded, range: { from: number; to: number }, options: Parameters<typeof slotQuery>[2]): SlotResult {
    const query = slotQuery(loaded, range, options);
    return query ? findSlots(loaded.hosts, query) : { slots: [], blocked: [] };
  }

  /** A search's computation: charged to the company's budget, run in slices so the event loop stays free. */
  async function computeCharged(
    companyId: string,
    loaded: Loaded,
    range: { from: number; to: number },
    options: Parameters<typeof slotQuery>[2],
  ): Promise<SlotResult> {
    const query = slotQuery(loaded, range, options);
    if (!query) return { slots: [], blocked: [] };
    if (deps.cost) await chargeCost(deps.cost, companyId, searchCost(loaded.hosts.length, range, query.interval));
    return deps.sliceMs === 0 ? findSlots(loaded.hosts, query) : findSlotsInSlices(loaded.hosts, query, deps.sliceMs);
  }

  async function search(companyId: string, input: SlotSearchInput): Promise<SlotResponse> {
    checkInput(input);
    // Bounded before anything is read: dates read as UTC are within a day of any zone's reading.
    const rough = requestRange(input.start!, input.end!, 'UTC', MAX_WINDOW_DAYS + 2);
    // A company out of budget is refused before its search reads anything.
    if (deps.cost) await checkCost(deps.cost, companyId, roughCost(input.hostIds.length, rough));
    const now = clock.now();
    const scopeOf = (queueId: string) => teamScope(db, { companyId, meetingTypeId: input.meetingTypeId, queueId, hostIds: input.hostIds, now });
    let team = input.queueId !== undefined ? await scopeOf(input.queueId) : undefined;
    // A series reads busy time as far ahead as its last occurrence can reach.
    const reach = input.recurrence ? seriesReachMs(input.recurrence.frequency, input.recurrence.count) : 0;
    const readRange = { from: rough.from, to: rough.to + reach };
    // Only a troubleshooting answer names the appointments and calendars in the way.
    const withIds = input.troubleshoot === true;
    const read = (hostIds: readonly string[]) =>
      fetch(companyId, { ...input, hostIds, range: readRange, exclude: input.existingAppointmentId, withIds }, db, true);
    let data = await read(team?.userIds ?? input.hostIds);
    if (!team && input.hostIds.length === 0 && data.meetingType?.queue_id && !data.meetingType.deleted) {
      // A team type asked about without hosts: its queue decides who counts.
      team = await scopeOf(data.meetingType.queue_id);
      data = await read(team.userIds);
    }
    if (team && team.userIds.length === 0) {
      if (!data.meetingType || data.meetingType.deleted) throw notFound('Meeting type');
      return slotResponse([], input.timezone ?? 'UTC');
    }
    const loaded = resolve(data, team?.userIds ?? input.hostIds);
    const duration = checkedDuration(loaded.meetingType, input.meetingDuration);
    const zone = input.timezone ?? loaded.hostZone;
    const range = requestRange(input.start!, input.end!, zone, MAX_WINDOW_DAYS);
    const method = team ? (team.collective ? 'everyone' : 'anyone') : (input.calculationMethod ?? 'anyone');
    const options = { duration, method, troubleshoot: input.troubleshoot } as const;
    let result: SlotResult;
    if (input.recurrence) {
      if (team) throw invalidField('recurrenceFrequency', RECURRING_WITH_QUEUE);
      requireSeriesAllowed(loaded.meetingType.meeting_options, input.recurrence, { frequency: 'recurrenceFrequency', count: 'recurrenceCount' });
    }
    if (!team) {
      result = await computeCharged(companyId, loaded, range, options);
      // Group types: sessions with seats left stay offered, and each start shows its seats.
      if (loaded.meetingType.spots > 1 && loaded.meetingType.enabled) result = { ...result, slots: await withGroupSessions(companyId, loaded, result.slots, range, now) };
    } else {
      const scope = team;
      const over = async (candidates: typeof scope.candidates): Promise<SlotResult> => {
        const users = new Set(usersOf(candidates));
        const subset = { ...loaded, hosts: loaded.hosts.filter((h) => users.has(h.hostId)) };
        if (subset.hosts.length === 0) return { slots: [], blocked: [] };
        // A round robin of single members needs one free member per start, unless the answer
        // names the free hosts; a user group is offered only where all its members are free.
        const firstFree = input.includeHosts !== true && candidates.every((c) => c.userIds.length === 1);
        const r = await computeCharged(companyId, subset, range, { ...options, firstFree });
        return { ...r, slots: teamSlots(scope, candidates, r.slots) };
      };
      result = await over(scope.candidates);
      const earliest = now.getTime() + loaded.meetingType.booking_minimum * 60_000;
      if (scope.fallback && needsNearTermFallback(result.slots, earliest)) result = await over(scope.fallback);
    }
    if (input.recurrence) {
      const offeredIn = async (r: { from: number; to: number }) => (await computeCharged(companyId, loaded, r, { duration, method })).slots;
      const slots = await keepWholeSeries(result.slots, zoneRules(loaded.hostZone), input.recurrence, offeredIn);
      result = { ...result, slots };
    }
    const interval = loaded.meetingType.timeslot_interval ?? duration;
    const days = Math.ceil((range.to - range.from) / DAY_MS);
    deps.onSearch?.({ hosts: loaded.hosts.length, days, startsPerDay: Math.ceil(1440 / interval) });
    const troubleshoot = input.troubleshoot ? { blocked: result.blocked, calendarNames: loaded.calendarNames } : undefined;
    return slotResponse(result.slots, zone, troubleshoot, loaded.warnings, input.includeHosts === true);
  }

  async function withGroupSessions(companyId: string, loaded: Loaded, slots: Slot[], range: { from: number; to: number }, now: Date): Promise<GroupSlot[]> {
    const mt = loaded.meetingType;
    const sessions = await sessionsBetween(db, { companyId, meetingTypeId: mt.id, from: new Date(range.from), to: new Date(range.to) });
    const earliest = now.getTime() + mt.booking_minimum * 60_000;
    return withSessions(slots, sessions, mt.spots, { earliest, hostIds: loaded.hosts.map((h) => h.hostId) });
  }

  /** The hosts free for exactly this start (for `anyone`, some; for `everyone`, all or none). */
  async function freeHosts(question: SlotQuestion): Promise<string[]> {
    if (!isUuid(question.meetingTypeId) || question.hostIds.some((id) => !isUuid(id))) return [];
    if (question.excludeAppointmentId !== undefined && !isUuid(question.excludeAppointmentId)) return [];
    const view = await readForBooking(question);
    return view.freeHosts(question.hostIds, question.duration, question.calculationMethod ?? 'anyone');
  }

  /** One read answering everything a booking of this start asks (ids must be UUIDs). */
  async function readForBooking(question: BookingQuestion, executor: Executor = db): Promise<BookingView> {
    const start = question.start.getTime();
    const range = { from: start, to: start + 1 };
    const data = await fetch(question.companyId, { ...question, range, exclude: question.excludeAppointmentId }, executor);
    const meetingType = data.meetingType && !data.meetingType.deleted ? data.meetingType : undefined;
    return {
      meetingType,
      hosts: data.hosts,
      freeHosts(hostIds, duration, method) {
        let loaded: Loaded;
        try {
          loaded = resolve(data, hostIds);
        } catch (error) {
          if (error instanceof AppError && error.code === 'not_found') return [];
          throw error;
        }
        const minutes = duration ?? loaded.meetingType.duration;
        if (!allowedDurations(loaded.meetingType).includes(minutes)) return [];
        const result = compute(loaded, range, { duration: minutes, method });
        return result.slots.find((slot) => slot.start === start)?.hostIds ?? [];
      },
    };
  }

  const oracle: SlotOracle = {
    isOffered: async (question) => (await freeHosts(question)).length > 0,
    readForBooking: (question) => readForBooking(question),
    readInTransaction: (tx, question) => readForBooking(question, tx),
  };

  return { search, freeHosts, ...oracle };
}

/** Appointments and calendar busy time together (the engine normalises the union). */
function busyOf(row: SlotData['hosts'][number]): HostAvailability['busy'] {
  const appointments = intervalsOf(row.busy, 'appointmentId');
  if (row.calendar_busy.starts.length === 0) return appointments;
  return [...appointments, ...intervalsOf(row.calendar_busy, 'calendarId')].sort((a, b) => a.start - b.start);
}

/** Columns of epoch seconds as intervals in milliseconds, naming their source when ids came along. */
function intervalsOf(columns: BusyColumns, idKey: 'appointmentId' | 'calendarId'): BusyInterval[] {
  const { starts, ends, ids } = columns;
  const out: BusyInterval[] = new Array(starts.length);
  for (let i = 0; i < starts.length; i++) {
    out[i] = ids ? { start: starts[i]! * 1000, end: ends[i]! * 1000, [idKey]: ids[i] } : { start: starts[i]! * 1000, end: ends[i]! * 1000 };
  }
  return out;
}
