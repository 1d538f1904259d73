// Interval set algebra against a model of unit cells.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { type Interval, Sweep, intersect, normalize, subtract } from '../../src/lib/intervals.ts';

const interval = fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 12 })).map(([start, len]) => ({ start, end: start + len }));
const intervals = fc.array(interval, { maxLength: 8 });
const cells = (set: readonly Interval[]) => {
  const out = new Set<number>();
  for (const { start, end } of set) for (let c = start; c < end; c++) out.add(c);
  return [...out].sort((a, b) => a - b);
};
const isSet = (set: readonly Interval[]) => set.every((x, i) => x.end > x.start && (i === 0 || set[i - 1]!.end < x.start));

describe('interval sets', () => {
  test('normalize, subtract and intersect agree with cell sets and return proper sets', () => {
    fc.assert(
      fc.property(intervals, intervals, (a, b) => {
        const na = normalize(a);
        const nb = normalize(b);
        assert.ok(isSet(na) && isSet(nb));
        assert.deepEqual(cells(na), cells(a));
        const minus = subtract(na, nb);
        const both = intersect(na, nb);
        assert.ok(isSet(minus) && isSet(both));
        assert.deepEqual(cells(minus), cells(a).filter((c) => !cells(b).includes(c)));
        assert.deepEqual(cells(both), cells(a).filter((c) => cells(b).includes(c)));
      }),
    );
  });

  test('a sweep answers contains/overlaps like a search for non-empty queries in start order', () => {
    fc.assert(
      fc.property(intervals, fc.array(interval.filter((q) => q.end > q.start), { maxLength: 12 }), (raw, queries) => {
        const set = normalize(raw);
        const sweep = new Sweep(set);
        for (const q of [...queries].sort((x, y) => x.start - y.start)) {
          const within = set.some((x) => x.start <= q.start && x.end >= q.end);
          const shares = set.some((x) => x.start < q.end && x.end > q.start);
          assert.equal(sweep.contains(q.start, q.end), within);
          assert.equal(sweep.overlaps(q.start, q.end), shares);
        }
      }),
    );
  });
});
