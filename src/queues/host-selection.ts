// Who a queue books next. Pure: candidates with their counts in, an ordered list out, each with the
// rule that placed it ahead of the next one. A candidate is a user, or a user group whose members
// all become hosts. The rules, in order:
//   1. priority       — higher first; no priority comes last
//   2. fewestBookings — fewest bookings in the distribution period (active ones and live holds
//      awaiting confirmation), per unit of capacity
//   3. longestSinceLastBooked — never booked first, then the oldest last booking
//   4. tieBreak       — the id, so the same state always gives the same order
// Equal distribution also hides members that are `maxLeadThreshold` bookings ahead of the least
// booked one (withinLeadThreshold). Collective queues book everyone and need no order.
import type { DistributionPeriod } from '../db/schema.ts';

export interface Candidate {
  /** The user id, or the group id for a group. */
  id: string;
  groupId: string | null;
  /** The hosts it brings, main host first. */
  userIds: readonly string[];
  priority: number | null;
  capacity: number;
  /** Active bookings and live (pending, unexpired) holds through this queue in the current distribution period. */
  bookings: number;
  /** Epoch ms of the last such booking; null when never. */
  lastBookedAt: number | null;
}

export type SelectionReason = 'onlyCandidate' | 'priority' | 'fewestBookings' | 'longestSinceLastBooked' | 'tieBreak';

export interface Ranked {
  candidate: Candidate;
  /** The rule that put it ahead of the next candidate (the last one keeps the previous reason). */
  reason: SelectionReason;
}

type Rule = { reason: SelectionReason; compare: (a: Candidate, b: Candidate) => number };

const RULES: readonly Rule[] = [
  { reason: 'priority', compare: (a, b) => (b.priority ?? Number.NEGATIVE_INFINITY) - (a.priority ?? Number.NEGATIVE_INFINITY) || 0 },
  // a/capA < b/capB without fractions
  { reason: 'fewestBookings', compare: (a, b) => a.bookings * b.capacity - b.bookings * a.capacity },
  { reason: 'longestSinceLastBooked', compare: (a, b) => (a.lastBookedAt ?? Number.NEGATIVE_INFINITY) - (b.lastBookedAt ?? Number.NEGATIVE_INFINITY) || 0 },
  { reason: 'tieBreak', compare: (a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) },
];

/** The first rule that tells a and b apart, and its verdict. */
function decide(a: Candidate, b: Candidate): { order: number; reason: SelectionReason } {
  for (const rule of RULES) {
    const order = rule.compare(a, b);
    if (order !== 0 && !Number.isNaN(order)) return { order, reason: rule.reason };
  }
  return { order: 0, reason: 'tieBreak' };
}

/** Every candidate in booking order, each with the rule that ranked it above its successor. */
export function rankCandidates(candidates: readonly Candidate[]): Ranked[] {
  const sorted = [...candidates].sort((a, b) => decide(a, b).order);
  if (sorted.length === 1) return [{ candidate: sorted[0]!, reason: 'onlyCandidate' }];
  return sorted.map((candidate, i) => {
    const next = sorted[i + 1] ?? sorted[i - 1]!;
    return { candidate, reason: decide(candidate, next).reason };
  });
}

/** Equal distribution: members at least `maxLead` bookings ahead of the least booked wait. */
export function withinLeadThreshold(candidates: readonly Candidate[], maxLead: number | null): Candidate[] {
  if (maxLead === null || candidates.length === 0) return [...candidates];
  const least = Math.min(...candidates.map((c) => c.bookings));
  return candidates.filter((c) => c.bookings - least < maxLead);
}

/** A candidate is free at a start when every host it brings is free then. */
export function freeCandidates(candidates: readonly Candidate[], freeUserIds: ReadonlySet<string>): Candidate[] {
  return candidates.filter((c) => c.userIds.length > 0 && c.userIds.every((id) => freeUserIds.has(id)));
}

/** Start of the distribution period containing `now`, in UTC (weeks start on Monday). */
export function periodStart(now: Date, period: DistributionPeriod): Date {
  const day = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  if (period === 'day') return new Date(day);
  if (period === 'month') return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const sinceMonday = (now.getUTCDay() + 6) % 7;
  return new Date(day - sinceMonday * 86_400_000);
}
