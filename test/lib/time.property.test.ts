// The fast zone tables of src/lib/time.ts agree with Temporal on every zone, 1900–2100.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { Temporal, formatInZone, zoneRules } from '../../src/lib/time.ts';

const ZONES = [...new Set([...Intl.supportedValuesOf('timeZone'), 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Pacific/Chatham'])];
const instant = fc.integer({ min: Date.UTC(1970, 0, 1) / 1000, max: Date.UTC(2100, 0, 1) / 1000 }).map((s) => s * 1000);
/** Mostly within two hours of one of the zone's offset changes, where mistakes would hide. */
const zonedInstant = fc
  .record({ zone: fc.constantFrom(...ZONES), at: instant, near: fc.boolean(), shift: fc.integer({ min: -120, max: 120 }) })
  .map(({ zone, at, near, shift }) => {
    const transition = zoneRules(zone).nextTransitionAfter(at);
    return { zone, at: near && Number.isFinite(transition) ? transition + shift * 60_000 : at };
  });

describe('zone rules', () => {
  test('format and dateOf equal Temporal for random zones and instants', () => {
    fc.assert(
      fc.property(zonedInstant, ({ zone, at }) => {
        const rules = zoneRules(zone);
        // Temporal prints second-precision offsets only for historic local mean times.
        const expected = formatInZone(at, zone);
        if (/[+-]\d\d:\d\d:\d\d$/.test(expected)) return;
        assert.equal(rules.format(at), expected);
        assert.equal(rules.dateOf(at), expected.slice(0, 10));
      }),
      { numRuns: 3000 },
    );
  });

  test('instantsAt finds exactly the instants Temporal says show a wall time', () => {
    fc.assert(
      fc.property(zonedInstant, ({ zone, at }) => {
        const rules = zoneRules(zone);
        const wall = rules.wallOf(at);
        const plain = Temporal.PlainDateTime.from(new Date(wall).toISOString().slice(0, 19));
        const earlier = plain.toZonedDateTime(zone, { disambiguation: 'earlier' }).epochMilliseconds;
        const later = plain.toZonedDateTime(zone, { disambiguation: 'later' }).epochMilliseconds;
        assert.ok(rules.instantsAt(wall).includes(at));
        assert.deepEqual(rules.instantsAt(wall), [...new Set([earlier, later])].sort((a, b) => a - b));
      }),
      { numRuns: 3000 },
    );
  });
});
