// `firstFree` (a round robin's union that needs only one free host per start) must offer exactly
// the starts the full `anyone` computation offers, each naming a host the full one names: random
// teams of hosts sharing or not sharing hours and zones, with their own openings, blockers and busy time.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { type HostAvailability, type SlotQuery, findSlots } from '../../src/availability/slots.ts';
import { WEEKDAYS, emptySchedule } from '../../src/availability/schedule.ts';

const MIN = 60_000;
const DAY = 86_400_000;
const FROM = Date.UTC(2026, 2, 23); // the week Europe's clocks change
const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

const hours = fc
  .tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 40 }))
  .map(([start, length]) => ({ start: hhmm(start * 15 + 360), end: hhmm(Math.min(1440, start * 15 + 360 + length * 15)) }));
const schedule = fc.array(fc.option(hours, { nil: undefined }), { minLength: 7, maxLength: 7 }).map((days) => {
  const out = emptySchedule();
  days.forEach((h, i) => {
    out[WEEKDAYS[i]!] = h && h.end > h.start ? { enabled: true, hours: [h] } : { enabled: false, hours: [] };
  });
  return out;
});
const interval = (maxLen: number) => fc.record({ at: fc.integer({ min: -100, max: 1000 }), len: fc.integer({ min: 1, max: maxLen }) });
const host = (shared: ReturnType<typeof emptySchedule>) =>
  fc.record({
    own: fc.boolean(),
    schedule,
    zone: fc.constantFrom('Europe/Berlin', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata'),
    busy: fc.array(interval(24), { maxLength: 20 }),
    exceptions: fc.array(fc.record({ at: fc.integer({ min: -100, max: 1000 }), len: fc.integer({ min: 1, max: 200 }), available: fc.boolean() }), { maxLength: 2 }),
  }).map(
    (h): Omit<HostAvailability, 'hostId'> => ({
      timezone: h.zone,
      schedule: h.own ? h.schedule : shared,
      exceptions: h.exceptions.map((e) => ({ start: FROM + e.at * 15 * MIN, end: FROM + (e.at + e.len) * 15 * MIN, available: e.available })),
      busy: h.busy.map((b) => ({ start: FROM + b.at * 15 * MIN, end: FROM + (b.at + b.len) * 15 * MIN })),
    }),
  );
const team = schedule.chain((shared) => fc.array(host(shared), { minLength: 2, maxLength: 8 }));

describe('firstFree: the union of a round robin from one free host per start', () => {
  test('offers exactly the starts of the full computation, each naming one of its free hosts', () => {
    fc.assert(
      fc.property(team, fc.constantFrom(10, 15, 30), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 4 }), (members, step, length, buffer) => {
        const hosts = members.map((m, i) => ({ ...m, hostId: `h${i}` }));
        const query: SlotQuery = {
          from: FROM,
          to: FROM + 10 * DAY,
          now: FROM - DAY,
          duration: length * 5,
          interval: step,
          bufferBefore: buffer * 5,
          bufferAfter: buffer * 5,
          bookingMinimum: 0,
          window: { start: FROM, end: FROM + 9 * DAY },
          method: 'anyone',
        };
        const full = findSlots(hosts, query).slots;
        const first = findSlots(hosts, { ...query, firstFree: true }).slots;
        assert.deepEqual(
          first.map((s) => [s.start, s.end]),
          full.map((s) => [s.start, s.end]),
        );
        first.forEach((slot, i) => {
          assert.equal(slot.hostIds.length >= 1, true);
          for (const id of slot.hostIds) assert.ok(full[i]!.hostIds.includes(id), `${id} is not free at ${new Date(slot.start).toISOString()}`);
        });
      }),
      { numRuns: 300 },
    );
  });

  test('is the full computation when troubleshooting or with one host', () => {
    const hosts: HostAvailability[] = ['a', 'b'].map((hostId) => ({ hostId, timezone: 'Europe/Berlin', schedule: emptySchedule(), exceptions: [], busy: [] }));
    hosts[0]!.schedule.monday = { enabled: true, hours: [{ start: '09:00', end: '10:00' }] };
    hosts[1]!.schedule.monday = { enabled: true, hours: [{ start: '09:00', end: '10:00' }] };
    const query: SlotQuery = {
      from: FROM,
      to: FROM + DAY,
      now: FROM - DAY,
      duration: 30,
      interval: 30,
      bufferBefore: 0,
      bufferAfter: 0,
      bookingMinimum: 0,
      window: { start: FROM, end: FROM + DAY },
      method: 'anyone',
      firstFree: true,
    };
    assert.deepEqual(findSlots(hosts, query).slots[0]?.hostIds, ['a']);
    assert.deepEqual(findSlots(hosts, { ...query, troubleshoot: true }).slots[0]?.hostIds, ['a', 'b']);
  });
});
