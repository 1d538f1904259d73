// The slot engine: which meeting starts can be offered. Pure: no database, no clock (`now` is an
// argument). Weekly rules become instants per local day of the host's zone (the only zone
// conversion); everything after that is integer interval arithmetic on epoch milliseconds.
//
// A start s with meeting end e = s + duration is offered for a host when
//   - s lies on the grid: every `interval` minutes of wall-clock time from the start of each open
//     window (weekly hours ∪ opening exceptions), windows cut at local midnight so the grid of a
//     day never depends on the range asked for; wall times in a spring-forward gap do not exist,
//     wall times repeated by a fall-back appear once (the earlier instant);
//   - [s, e) lies inside the open time minus blocking exceptions (with `bufferWithinHours`, the
//     buffered meeting must too);
//   - [s − bufferBefore, e + bufferAfter) overlaps no busy interval (busy intervals are already
//     widened by their own buffers, exactly what the database's exclusion constraint compares);
//   - now + bookingMinimum ≤ s, and s lies in the booking window.
// Several hosts: `anyone` offers a start when one host can take it, `everyone` when all can.
import { type Interval, firstEndingAfter, intersect, normalize, Sweep, subtract } from '../lib/intervals.ts';
import { DAY_MS, MINUTE_MS, type ZoneRules, zoneRules } from '../lib/time.ts';
import { WEEKDAYS, minutesOf } from './schedule.ts';
import type { BlockReason, BlockedStart, HostAvailability, Slot, SlotQuery, SlotResult } from './slot-types.ts';

export type { BlockReason, BlockedStart, BusyInterval, HostAvailability, Slot, SlotQuery, SlotResult } from './slot-types.ts';

export function findSlots(hosts: readonly HostAvailability[], query: SlotQuery): SlotResult {
  const steps = slotSteps(hosts, query);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * The same answer as findSlots, computed in slices of at most about `sliceMs` of CPU with the event
 * loop free in between (a setImmediate turn), so a large search never holds up other requests for
 * long. Slices end at host boundaries: one host's work is bounded by the per-request cost limit.
 */
export async function findSlotsInSlices(hosts: readonly HostAvailability[], query: SlotQuery, sliceMs = 20): Promise<SlotResult> {
  const steps = slotSteps(hosts, query);
  let sliceStart = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() - sliceStart >= sliceMs) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
}

/** The whole computation as steps: each yield is a point where a caller may pause. */
function* slotSteps(hosts: readonly HostAvailability[], query: SlotQuery): Generator<void, SlotResult> {
  const memo = new Map<string, WeeklyTime>();
  if (query.firstFree && query.method === 'anyone' && !query.troubleshoot && hosts.length > 1) {
    return { slots: yield* firstFreeSlots(hosts, query, memo), blocked: [] };
  }
  const perHost: HostResult[] = [];
  for (const host of hosts) {
    perHost.push(hostStarts(host, query, memo));
    yield;
  }
  const slots = yield* combine(hosts, perHost, query);
  return { slots, blocked: query.troubleshoot ? explain(hosts, perHost, slots) : [] };
}

/**
 * Why each grid start (of any host) was not offered, per host: its own reason, or `outside_hours`
 * for a host whose hours do not hold that start at all.
 */
function explain(hosts: readonly HostAvailability[], perHost: HostResult[], slots: Slot[]): BlockedStart[] {
  const offered = new Set(slots.map((slot) => slot.start));
  const own = perHost.map((r) => ({ free: new Set(r.starts), blocked: new Map(r.blocked.map((b) => [b.start, b])) }));
  const candidates = new Set(perHost.flatMap((r) => [...r.starts, ...r.blocked.map((b) => b.start)]));
  const blocked: BlockedStart[] = [];
  for (const start of [...candidates].sort((a, b) => a - b)) {
    if (offered.has(start)) continue;
    own.forEach((host, index) => {
      const reason = host.blocked.get(start);
      if (reason) blocked.push(reason);
      else if (!host.free.has(start)) blocked.push({ start, hostId: hosts[index]!.hostId, reason: 'outside_hours' });
    });
  }
  return blocked;
}

function* combine(hosts: readonly HostAvailability[], perHost: HostResult[], query: SlotQuery): Generator<void, Slot[]> {
  const durationMs = query.duration * MINUTE_MS;
  if (hosts.length === 1) {
    const hostIds = [hosts[0]!.hostId];
    return perHost[0]!.starts.map((start) => ({ start, end: start + durationMs, hostIds }));
  }
  // Keyed by seconds after `from` (small integers hash fast; epoch milliseconds do not).
  const byStart = new Map<number, string[]>();
  for (let index = 0; index < perHost.length; index++) {
    const hostId = hosts[index]!.hostId;
    for (const start of perHost[index]!.starts) {
      const key = Math.floor((start - query.from) / 1000);
      const list = byStart.get(key);
      if (list) list.push(hostId);
      else byStart.set(key, [hostId]);
    }
    yield;
  }
  const needed = query.method === 'everyone' ? hosts.length : 1;
  const slots: Slot[] = [];
  for (const [key, hostIds] of byStart) {
    const start = query.from + key * 1000;
    if (hostIds.length >= needed) slots.push({ start, end: start + durationMs, hostIds });
  }
  return slots.sort((a, b) => a.start - b.start);
}

/**
 * `anyone` with `firstFree`: per grid start, the hosts whose grid holds it are asked in order until
 * one can take it. Hosts with the same weekly time and no openings of their own share one grid.
 * Each host's checker still sees its starts in increasing order (skipping some), as it expects.
 */
function* firstFreeSlots(hosts: readonly HostAvailability[], query: SlotQuery, memo: Map<string, WeeklyTime>): Generator<void, Slot[]> {
  const durationMs = query.duration * MINUTE_MS;
  const groups = new Map<object, { sets: HostSets; members: { hostId: string; check: ReturnType<typeof startChecker> }[] }>();
  for (const host of hosts) {
    const sets = hostSets(host, query, memo);
    // Own openings make an own grid: such a host is a group of its own.
    const key = sets.open === sets.weekly.open ? sets.weekly : sets;
    const group = groups.get(key) ?? { sets, members: [] };
    group.members.push({ hostId: host.hostId, check: startChecker(sets, query) });
    groups.set(key, group);
  }
  yield;
  const byStart = new Map<number, string[]>();
  for (const { sets, members } of groups.values()) {
    forEachGridStart(sets, query.interval * MINUTE_MS, (start) => {
      if (start < query.from || start >= query.to) return;
      for (const member of members) {
        if (member.check(start) !== undefined) continue;
        const list = byStart.get(start);
        if (list) list.push(member.hostId);
        else byStart.set(start, [member.hostId]);
        return;
      }
    });
    yield;
  }
  const slots: Slot[] = [];
  for (const [start, hostIds] of byStart) slots.push({ start, end: start + durationMs, hostIds });
  return groups.size === 1 ? slots : slots.sort((a, b) => a.start - b.start);
}

interface HostResult {
  starts: number[];
  blocked: BlockedStart[];
}

/** The host's time as sets: weekly hours ∪ openings, the same minus blockers, busy time. */
interface HostSets {
  rules: ZoneRules;
  /** Local midnights from the day before `from` to the day after `to`. */
  dayStarts: number[];
  open: readonly Interval[];
  free: readonly Interval[];
  busy: readonly Interval[];
  /** The weekly time these sets come from (shared by hosts of the same zone and hours). */
  weekly: WeeklyTime;
}

/** Weekly hours as instants over the days around the query, and those days' local midnights. */
interface WeeklyTime {
  rules: ZoneRules;
  dayStarts: number[];
  open: readonly Interval[];
}

/**
 * Expands a weekly schedule in a zone. Team members often share the same hours (the default), so
 * one search expands each distinct (zone, schedule) once: `memo` lives for one findSlots call.
 */
function weeklyTime(host: HostAvailability, query: SlotQuery, memo: Map<string, WeeklyTime>): WeeklyTime {
  const key = `${host.timezone}\n${JSON.stringify(host.schedule)}`;
  const known = memo.get(key);
  if (known) return known;
  const rules = zoneRules(host.timezone);
  const firstWall = Math.floor(rules.wallOf(query.from) / DAY_MS) * DAY_MS - DAY_MS;
  const lastWall = Math.floor(rules.wallOf(query.to) / DAY_MS) * DAY_MS + DAY_MS;
  const hoursByWeekday = WEEKDAYS.map((day) => {
    const entry = host.schedule[day];
    return entry?.enabled ? entry.hours.map((h) => [minutesOf(h.start), minutesOf(h.end)] as const) : [];
  });
  const dayStarts: number[] = [];
  const weekly: Interval[] = [];
  for (let wall = firstWall; wall <= lastWall + DAY_MS; wall += DAY_MS) {
    dayStarts.push(rules.boundAt(wall, 'earlier'));
    if (wall > lastWall) break;
    // 1970-01-01 was a Thursday; WEEKDAYS starts on Monday.
    const weekday = (((Math.floor(wall / DAY_MS) + 3) % 7) + 7) % 7;
    for (const [from, to] of hoursByWeekday[weekday]!) {
      weekly.push(...rules.instantsShowing(wall + from * MINUTE_MS, wall + to * MINUTE_MS));
    }
  }
  const span = [{ start: dayStarts[0]!, end: dayStarts[dayStarts.length - 1]! }];
  const expanded = { rules, dayStarts, open: intersect(normalize(weekly), span) };
  memo.set(key, expanded);
  return expanded;
}

function hostSets(host: HostAvailability, query: SlotQuery, memo: Map<string, WeeklyTime>): HostSets {
  const shared = weeklyTime(host, query, memo);
  const { rules, dayStarts, open: weekly } = shared;
  const openings = host.exceptions.filter((e) => e.available).map(({ start, end }) => ({ start, end }));
  const blockers = normalize(host.exceptions.filter((e) => !e.available).map(({ start, end }) => ({ start, end })));
  const span = [{ start: dayStarts[0]!, end: dayStarts[dayStarts.length - 1]! }];
  const open = openings.length === 0 ? weekly : intersect(normalize([...weekly, ...openings]), span);
  return { rules, dayStarts, open, free: subtract(open, blockers), busy: normalize(host.busy), weekly: shared };
}

function hostStarts(host: HostAvailability, query: SlotQuery, memo: Map<string, WeeklyTime>): HostResult {
  const sets = hostSets(host, query, memo);
  const starts: number[] = [];
  const blocked: BlockedStart[] = [];
  const check = startChecker(sets, query);
  forEachGridStart(sets, query.interval * MINUTE_MS, (start) => {
    if (start < query.from || start >= query.to) return;
    const reason = check(start);
    if (reason === undefined) starts.push(start);
    else if (query.troubleshoot) blocked.push(blockedStart(host, query, start, reason));
  });
  return { starts, blocked };
}

/**
 * undefined when the start is offered, else why not. Hot: no allocation, and the grid visits
 * starts in increasing order, so each set is swept once instead of searched per start.
 */
function startChecker(sets: HostSets, query: SlotQuery) {
  const durationMs = query.duration * MINUTE_MS;
  const beforeMs = query.bufferBefore * MINUTE_MS;
  const afterMs = query.bufferAfter * MINUTE_MS;
  const earliest = query.now + query.bookingMinimum * MINUTE_MS;
  const open = new Sweep(sets.open);
  const free = new Sweep(sets.free);
  const freeBuffered = new Sweep(sets.free);
  const busy = new Sweep(sets.busy);
  return (start: number): BlockReason | undefined => {
    const end = start + durationMs;
    if (!open.contains(start, end)) return 'outside_hours';
    if (!free.contains(start, end)) return 'exception';
    if (query.bufferWithinHours && !freeBuffered.contains(start - beforeMs, end + afterMs)) return 'outside_hours';
    if (busy.overlaps(start - beforeMs, end + afterMs)) return 'busy';
    if (start < earliest) return 'minimum_notice';
    if (start < query.window.start || start >= query.window.end) return 'beyond_window';
    return undefined;
  };
}

/** A troubleshooting entry; for busy time it names the appointment or calendar block in the way. */
function blockedStart(host: HostAvailability, query: SlotQuery, start: number, reason: BlockReason): BlockedStart {
  if (reason !== 'busy') return { start, hostId: host.hostId, reason };
  const from = start - query.bufferBefore * MINUTE_MS;
  const to = start + (query.duration + query.bufferAfter) * MINUTE_MS;
  const overlapping = host.busy.filter((b) => b.start < to && b.end > from);
  const appointment = overlapping.find((b) => b.appointmentId !== undefined);
  if (appointment) return { start, hostId: host.hostId, reason, appointmentId: appointment.appointmentId! };
  const block = overlapping[0];
  if (block?.calendarId === undefined) return { start, hostId: host.hostId, reason };
  return { start, hostId: host.hostId, reason: 'calendar_busy', calendarId: block.calendarId, busyBlock: { start: block.start, end: block.end } };
}

/**
 * Calls `visit` with every grid start in increasing order: per open window cut at local midnight,
 * every `stepMs` of wall-clock time from the window's start. Within a local day grid wall times
 * only increase, so the hour a fall-back repeats yields no second set of starts.
 */
function forEachGridStart(sets: HostSets, stepMs: number, visit: (start: number) => void): void {
  const { rules, dayStarts, open } = sets;
  for (let day = 0; day + 1 < dayStarts.length; day++) {
    const dayStart = dayStarts[day]!;
    const dayEnd = dayStarts[day + 1]!;
    let lastWall = Number.NEGATIVE_INFINITY;
    for (let i = firstEndingAfter(open, dayStart); i < open.length && open[i]!.start < dayEnd; i++) {
      const pieceStart = Math.max(open[i]!.start, dayStart);
      const pieceEnd = Math.min(open[i]!.end, dayEnd);
      if (rules.nextTransitionAfter(pieceStart) >= pieceEnd) {
        // One offset all along: wall-clock steps are instant steps.
        const offset = rules.offsetAt(pieceStart);
        for (let start = pieceStart; start < pieceEnd; start += stepMs) {
          if (start + offset <= lastWall) continue;
          lastWall = start + offset;
          visit(start);
        }
      } else {
        lastWall = walkAcrossTransition(rules, { start: pieceStart, end: pieceEnd }, stepMs, lastWall, visit);
      }
    }
  }
}

/** The grid of a piece with an offset change inside; returns the last wall time visited. */
function walkAcrossTransition(
  rules: ZoneRules,
  piece: Interval,
  stepMs: number,
  lastWall: number,
  visit: (start: number) => void,
): number {
  const firstWall = rules.wallOf(piece.start);
  // After a fall-back the wall clock inside the piece can run past the wall time of its end.
  const maxWall = rules.wallOf(piece.end) + Math.max(0, rules.offsetAt(piece.start) - rules.offsetAt(piece.end));
  let visited = lastWall;
  for (let wall = firstWall; wall <= maxWall; wall += stepMs) {
    if (wall <= visited) continue;
    const start = rules.instantsAt(wall).find((instant) => instant >= piece.start && instant < piece.end);
    if (start === undefined) continue;
    visited = wall;
    visit(start);
  }
  return visited;
}
