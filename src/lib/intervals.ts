// Half-open integer intervals [start, end) (epoch milliseconds) and the set algebra slot search
// needs. A "set" is an array of intervals sorted by start, non-overlapping and non-touching (what
// `normalize` returns); every operation here takes and returns such sets. Pure and allocation-light.

export interface Interval {
  start: number;
  end: number;
}

/**
 * Sorts, drops empty intervals and merges overlapping or touching ones. An input that is already
 * a set (the usual case: busy time in database order) is returned as it is, without copying.
 */
export function normalize(intervals: readonly Interval[]): readonly Interval[] {
  let sorted = true;
  let isSet = true;
  for (let i = 0; i < intervals.length && sorted; i++) {
    const current = intervals[i]!;
    if (current.end <= current.start) isSet = false;
    if (i === 0) continue;
    const previous = intervals[i - 1]!;
    sorted = previous.start <= current.start;
    if (current.start <= previous.end) isSet = false;
  }
  if (sorted && isSet) return intervals;
  const ordered = sorted ? intervals : [...intervals].sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const { start, end } of ordered) {
    if (end <= start) continue;
    const last = out[out.length - 1];
    if (last && start <= last.end) {
      if (end > last.end) last.end = end;
    } else {
      out.push({ start, end });
    }
  }
  return out;
}

/** a − b. */
export function subtract(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  if (b.length === 0) return a.map((i) => ({ ...i }));
  const out: Interval[] = [];
  let j = 0;
  for (const interval of a) {
    let start = interval.start;
    const end = interval.end;
    while (j < b.length && b[j]!.end <= start) j++;
    let k = j;
    while (k < b.length && b[k]!.start < end) {
      const cut = b[k]!;
      if (cut.start > start) out.push({ start, end: cut.start });
      if (cut.end > start) start = cut.end;
      if (start >= end) break;
      k++;
    }
    if (start < end) out.push({ start, end });
  }
  return out;
}

export function intersect(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    const start = Math.max(x.start, y.start);
    const end = Math.min(x.end, y.end);
    if (start < end) out.push({ start, end });
    if (x.end < y.end) i++;
    else j++;
  }
  return out;
}

/** Index of the first interval whose end is after `point` (binary search); set.length if none. */
export function firstEndingAfter(set: readonly Interval[], point: number): number {
  let lo = 0;
  let hi = set.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (set[mid]!.end > point) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** True when [start, end) lies inside one interval of the set. */
export function contains(set: readonly Interval[], start: number, end: number): boolean {
  const candidate = set[firstEndingAfter(set, start)];
  return candidate !== undefined && candidate.start <= start && candidate.end >= end;
}

/** True when [start, end) shares at least one instant with the set. */
export function overlaps(set: readonly Interval[], start: number, end: number): boolean {
  const candidate = set[firstEndingAfter(set, start)];
  return candidate !== undefined && candidate.start < end;
}

/**
 * Membership tests for queries whose start never decreases (a sweep): each call advances an index
 * instead of searching, so a whole sweep costs O(queries + intervals). The bounds are copied into
 * a Float64Array: epoch milliseconds are not small integers, and unboxed doubles keep this loop
 * allocation-free and fast.
 */
export class Sweep {
  private readonly bounds: Float64Array;
  private index = 0;

  constructor(set: readonly Interval[]) {
    this.bounds = new Float64Array(set.length * 2);
    set.forEach((interval, i) => {
      this.bounds[2 * i] = interval.start;
      this.bounds[2 * i + 1] = interval.end;
    });
  }

  /** Moves to the first interval ending after `point`; its index ×2, or bounds.length if none. */
  private advance(point: number): number {
    const bounds = this.bounds;
    let i = this.index;
    while (i < bounds.length && bounds[i + 1]! <= point) i += 2;
    this.index = i;
    return i;
  }

  /** [start, end) lies inside one interval. */
  contains(start: number, end: number): boolean {
    const i = this.advance(start);
    return i < this.bounds.length && this.bounds[i]! <= start && this.bounds[i + 1]! >= end;
  }

  /** [start, end) shares an instant with the set. */
  overlaps(start: number, end: number): boolean {
    const i = this.advance(start);
    return i < this.bounds.length && this.bounds[i]! < end;
  }
}
