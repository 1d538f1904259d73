// Property tests: the engine equals a brute-force model on random zones (every IANA zone Intl
// knows), dates 2024–2035 (biased towards daylight-saving months), schedules, exceptions and busy
// sets. The model samples every 5 minutes and reads the wall clock through Intl (not through the
// engine's offset tables or Temporal), so it checks that every slot lies inside working hours in
// the host's zone, overlaps no busy time with buffers, respects notice and window — and that no
// valid grid start is missing.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { type HostAvailability, type SlotQuery, findSlots } from '../../src/availability/slots.ts';
import type { WeekdayName } from '../../src/db/schema.ts';
import { emptySchedule, WEEKDAYS } from '../../src/availability/schedule.ts';
import { zoneRules } from '../../src/lib/time.ts';

const MIN = 60_000;
const STEP = 5 * MIN;
const DAY = 86_400_000;
const ZONES = [...new Set([...Intl.supportedValuesOf('timeZone'), 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Pacific/Chatham', 'Europe/Dublin'])];

const formatters = new Map<string, Intl.DateTimeFormat>();
function wallParts(zone: string, t: number): { date: string; minute: number; weekday: number } {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', weekday: 'long' });
    formatters.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(t).map((x) => [x.type, x.value]));
  return {
    date: `${p.year}-${p.month}-${p.day}`,
    minute: Number(p.hour) * 60 + Number(p.minute),
    weekday: WEEKDAYS.indexOf(String(p.weekday).toLowerCase() as WeekdayName),
  };
}

const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** The expected starts, by brute force over 5-minute samples. */
function model(host: HostAvailability, q: SlotQuery): number[] {
  const base = q.from - 2 * DAY;
  const n = (q.to - q.from + 4 * DAY) / STEP;
  const hours = WEEKDAYS.map((d) => (host.schedule[d].enabled ? host.schedule[d].hours : []));
  const inAny = (t: number, list: readonly { start: number; end: number }[]) => list.some((x) => x.start <= t && t < x.end);
  const open: boolean[] = [];
  const free: boolean[] = [];
  const busy: boolean[] = [];
  const walls: { date: string; minute: number }[] = [];
  for (let i = 0; i < n; i++) {
    const t = base + i * STEP;
    const w = wallParts(host.timezone, t);
    walls.push(w);
    const byRule = hours[w.weekday]!.some((h) => hhToMin(h.start) <= w.minute && w.minute < hhToMin(h.end));
    open.push(byRule || inAny(t, host.exceptions.filter((e) => e.available)));
    free.push(open[i]! && !inAny(t, host.exceptions.filter((e) => !e.available)));
    busy.push(inAny(t, host.busy));
  }
  const candidates: number[] = [];
  let date = '';
  let lastWall = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; ) {
    if (!open[i]) {
      i++;
      continue;
    }
    let j = i;
    while (j < n && open[j] && walls[j]!.date === walls[i]!.date) j++;
    if (walls[i]!.date !== date) {
      date = walls[i]!.date;
      lastWall = Number.NEGATIVE_INFINITY;
    }
    const anchor = walls[i]!.minute;
    for (let k = i; k < j; k++) {
      const w = walls[k]!.minute;
      if (w >= anchor && (w - anchor) % q.interval === 0 && w > lastWall) {
        candidates.push(k);
        lastWall = w;
      }
    }
    i = j;
  }
  const d = q.duration / 5;
  const bb = q.bufferBefore / 5;
  const ba = q.bufferAfter / 5;
  const all = (arr: boolean[], a: number, b: number) => arr.slice(a, b).every(Boolean) && a >= 0 && b <= n;
  return candidates
    .filter((k) => {
      const t = base + k * STEP;
      if (t < q.from || t >= q.to) return false;
      if (!all(free, k, k + d)) return false;
      if (q.bufferWithinHours && !all(free, k - bb, k + d + ba)) return false;
      if (busy.slice(k - bb, k + d + ba).some(Boolean)) return false;
      if (t < q.now + q.bookingMinimum * MIN) return false;
      return t >= q.window.start && t < q.window.end;
    })
    .map((k) => base + k * STEP);
}

function hhToMin(value: string): number {
  const [h, m] = value.split(':').map(Number);
  return h! * 60 + m!;
}

const quarter = fc.integer({ min: 0, max: 96 }).map((q) => q * 15);
const dayHours = fc
  .uniqueArray(quarter, { maxLength: 4 })
  .map((points) => points.sort((a, b) => a - b))
  .map((points) => {
    const out: { start: string; end: string }[] = [];
    for (let i = 0; i + 1 < points.length; i += 2) out.push({ start: hhmm(points[i]!), end: hhmm(points[i + 1]!) });
    return out;
  });
const weekly = fc.array(dayHours, { minLength: 7, maxLength: 7 }).map((days) => {
  const s = emptySchedule();
  WEEKDAYS.forEach((day, i) => {
    s[day] = { enabled: days[i]!.length > 0, hours: days[i]! };
  });
  return s;
});

const scenario = fc
  .record({
    zone: fc.constantFrom(...ZONES),
    year: fc.integer({ min: 2024, max: 2035 }),
    month: fc.constantFrom(1, 3, 3, 4, 4, 6, 9, 9, 10, 10, 11, 11, 12),
    day: fc.integer({ min: 1, max: 28 }),
    hour: fc.integer({ min: 0, max: 23 }),
    nearTransition: fc.integer({ min: 0, max: 3 }).map((x) => x > 0),
    hoursBeforeTransition: fc.integer({ min: 0, max: 40 }),
    spanDays: fc.integer({ min: 1, max: 3 }),
    schedule: weekly,
    interval: fc.constantFrom(5, 10, 15, 20, 25, 30, 45, 60),
    duration: fc.integer({ min: 1, max: 48 }).map((x) => x * 5),
    bufferBefore: fc.integer({ min: 0, max: 12 }).map((x) => x * 5),
    bufferAfter: fc.integer({ min: 0, max: 12 }).map((x) => x * 5),
    bookingMinimum: fc.integer({ min: 0, max: 120 }).map((x) => x * 5),
    nowOffset: fc.integer({ min: -288, max: 576 }),
    windowAfterNow: fc.integer({ min: 0, max: 1152 }),
    bufferWithinHours: fc.boolean(),
    exceptions: fc.array(fc.record({ at: fc.integer({ min: -288, max: 1152 }), len: fc.integer({ min: 1, max: 576 }), available: fc.boolean() }), { maxLength: 3 }),
    busy: fc.array(fc.record({ at: fc.integer({ min: -288, max: 1152 }), len: fc.integer({ min: 1, max: 36 }) }), { maxLength: 8 }),
  })
  .map((s) => {
    // Mostly start shortly before one of the zone's offset changes, so gaps and overlaps are hit.
    const random = Date.UTC(s.year, s.month - 1, s.day, s.hour);
    const transition = zoneRules(s.zone).nextTransitionAfter(random);
    const from =
      s.nearTransition && Number.isFinite(transition)
        ? Math.floor(transition / 3_600_000) * 3_600_000 - s.hoursBeforeTransition * 3_600_000
        : random;
    const host: HostAvailability = {
      hostId: 'h',
      timezone: s.zone,
      schedule: s.schedule,
      exceptions: s.exceptions.map((e) => ({ start: from + e.at * STEP, end: from + (e.at + e.len) * STEP, available: e.available })),
      busy: s.busy.map((b, i) => ({ start: from + b.at * STEP, end: from + (b.at + b.len) * STEP, appointmentId: `a${i}` })),
    };
    const now = from + s.nowOffset * STEP;
    const query: SlotQuery = {
      from,
      to: from + s.spanDays * DAY,
      now,
      duration: s.duration,
      interval: s.interval,
      bufferBefore: s.bufferBefore,
      bufferAfter: s.bufferAfter,
      bookingMinimum: s.bookingMinimum,
      window: { start: Number.NEGATIVE_INFINITY, end: now + s.windowAfterNow * STEP },
      bufferWithinHours: s.bufferWithinHours,
      method: 'anyone',
    };
    return { host, query };
  });

describe('slot engine properties', () => {
  test('offers exactly the starts of a brute-force model that reads wall time through Intl', () => {
    fc.assert(
      fc.property(scenario, ({ host, query }) => {
        const got = findSlots([host], query).slots.map((s) => s.start);
        assert.deepEqual(got.map((t) => new Date(t).toISOString()), model(host, query).map((t) => new Date(t).toISOString()));
      }),
      { numRuns: 200 },
    );
  });

  test('every offered slot overlaps no busy time widened by the buffers and respects notice and window', () => {
    fc.assert(
      fc.property(scenario, ({ host, query }) => {
        for (const slot of findSlots([host], query).slots) {
          const from = slot.start - query.bufferBefore * MIN;
          const to = slot.end + query.bufferAfter * MIN;
          assert.ok(!host.busy.some((b) => b.start < to && b.end > from));
          assert.ok(slot.start >= query.now + query.bookingMinimum * MIN);
          assert.ok(slot.start < query.window.end);
          assert.equal(slot.end - slot.start, query.duration * MIN);
        }
      }),
      { numRuns: 300 },
    );
  });

  test('everyone is the intersection and anyone the union of single-host answers', () => {
    fc.assert(
      fc.property(scenario, scenario, ({ host: a, query }, { host: b }) => {
        const other = { ...b, hostId: 'other' };
        const one = new Set(findSlots([a], query).slots.map((s) => s.start));
        const two = new Set(findSlots([other], query).slots.map((s) => s.start));
        const anyone = findSlots([a, other], query).slots.map((s) => s.start);
        const everyone = findSlots([a, other], { ...query, method: 'everyone' }).slots.map((s) => s.start);
        assert.deepEqual(anyone, [...new Set([...one, ...two])].sort((x, y) => x - y));
        assert.deepEqual(everyone, [...one].filter((s) => two.has(s)).sort((x, y) => x - y));
      }),
      { numRuns: 100 },
    );
  });
});
