// Which hosts slot search asks about for a team meeting type, and which starts it may offer.
// Round robin offers a start when some eligible member (a user, or a group with all its members)
// is free: the union. Collective offers it only when every member is: the intersection. Equal
// distribution leaves out members `maxLeadThreshold` bookings ahead of the least booked in the
// current period — unless `prioritizeNearTermAvailability` and that leaves nothing in the next 14
// days, then everyone counts again. `hostIds` narrows the team to those members.
import type { Executor } from '../db/database.ts';
import { type Candidate, withinLeadThreshold } from '../queues/host-selection.ts';
import { requireTeam } from '../queues/queue-team.ts';
import type { Slot } from './slots.ts';

export const NEAR_TERM_DAYS = 14;

export interface TeamScope {
  collective: boolean;
  /** Every user the search reads (all eligible candidates, and the fallback's). */
  userIds: string[];
  candidates: Candidate[];
  /** Everyone, when the lead threshold hid someone and near-term availability may relax it. */
  fallback?: Candidate[];
}

export async function teamScope(
  db: Executor,
  input: { companyId: string; meetingTypeId: string; queueId: string; hostIds: readonly string[]; now: Date },
): Promise<TeamScope> {
  const team = await requireTeam(db, input);
  const { queue } = team;
  const narrowed =
    input.hostIds.length === 0 ? team.candidates : team.candidates.filter((c) => c.userIds.every((id) => input.hostIds.includes(id)));
  const eligible = queue.type === 'equalDistribution' && !queue.collective ? withinLeadThreshold(narrowed, queue.max_lead_threshold) : narrowed;
  const relaxable = queue.prioritize_near_term && eligible.length < narrowed.length;
  const all = relaxable ? narrowed : eligible;
  return {
    collective: queue.collective,
    userIds: [...new Set(all.flatMap((c) => c.userIds))],
    candidates: eligible,
    ...(relaxable ? { fallback: narrowed } : {}),
  };
}

export function usersOf(candidates: readonly Candidate[]): string[] {
  return [...new Set(candidates.flatMap((c) => c.userIds))];
}

/** Starts where some candidate is wholly free (round robin); the engine already intersected for collective. */
export function teamSlots(scope: TeamScope, candidates: readonly Candidate[], slots: readonly Slot[]): Slot[] {
  if (scope.collective || candidates.every((c) => c.userIds.length === 1)) return [...slots];
  return slots.filter((slot) => candidates.some((c) => c.userIds.every((id) => slot.hostIds.includes(id))));
}

/** Near-term relaxation applies when nothing is offered within NEAR_TERM_DAYS of the earliest bookable time. */
export function needsNearTermFallback(slots: readonly Slot[], earliest: number): boolean {
  const bound = earliest + NEAR_TERM_DAYS * 86_400_000;
  return !slots.some((slot) => slot.start < bound);
}
