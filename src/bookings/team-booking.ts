// Booking a team meeting type: inside the booking's transaction the queue row is locked, so
// bookings through one queue choose one after another and the counts read are the counts written.
// The hosts free at the start are ranked by host selection; the first is tried and, when a
// concurrent booking outside the queue took one of its hosts meanwhile, the next, each under a
// savepoint. Collective queues need every member free; `hostIds` pins members.
import type { BookingQuestion, BookingView, SlotOracle } from '../availability/slot-oracle.ts';
import type { Tx } from '../db/database.ts';
import { AppError } from '../lib/app-error.ts';
import { type Candidate, freeCandidates, rankCandidates, withinLeadThreshold } from '../queues/host-selection.ts';
import { requireTeam, type Team } from '../queues/queue-team.ts';
import { SLOT_UNAVAILABLE, releaseSavepoint, rollbackToSavepoint, savepoint } from './appointments.repo.ts';
import type { QueueChoice } from './booking.plan.ts';

export interface TeamRequest {
  companyId: string;
  meetingTypeId: string;
  queueId: string;
  /** Members the caller pins (all become hosts). */
  pinned: readonly string[];
  start: Date;
  duration: number;
  excludeAppointmentId?: string;
  now: Date;
}

/** One way to staff the appointment: its hosts (main first), the link and how they were chosen. */
export interface TeamChoice {
  hostIds: string[];
  hosts: BookingView['hosts'][number][];
  meetingLink: string | null;
  queue: QueueChoice;
}

const taken = () => new AppError('slot_unavailable', SLOT_UNAVAILABLE);

/**
 * Before the queue's lock: the oracle's read for a team type with no hosts named, which (through
 * `calendars/recheck-oracle.ts` and `busyCalendarsOf`) re-reads the connected calendars of every
 * member who may get the meeting, so the choice made under the lock (`teamChoices`, which never
 * waits on a calendar server) sees them. A booking through the queue reads this way in its plan;
 * a reschedule that must find another member calls this.
 */
export async function readTeamBeforeLock(oracle: SlotOracle, question: Omit<BookingQuestion, 'hostIds'>): Promise<BookingView> {
  return oracle.readForBooking({ ...question, hostIds: [] });
}

/** Locks the queue and lists the ways to staff the start, best first (empty: nobody is free). */
export async function teamChoices(tx: Tx, oracle: SlotOracle, request: TeamRequest): Promise<TeamChoice[]> {
  const team = await requireTeam(tx, { ...request, hostIds: request.pinned, lock: true });
  const { queue } = team;
  const asked = request.pinned.length > 0 ? [...request.pinned] : team.userIds;
  if (asked.length === 0) return [];
  const view = await oracle.readInTransaction(tx, {
    companyId: request.companyId,
    meetingTypeId: request.meetingTypeId,
    hostIds: asked,
    start: request.start,
    ...(request.excludeAppointmentId ? { excludeAppointmentId: request.excludeAppointmentId } : {}),
  });
  const free = new Set(view.freeHosts(asked, request.duration, 'anyone'));
  const choice = (hostIds: string[], pick: Candidate | null, reason: string): TeamChoice => ({
    hostIds,
    hosts: hostIds.map((id) => view.hosts.find((h) => h.user_id === id)!),
    meetingLink: team.customLinks.get(hostIds[0]!) ?? null,
    queue: { queueId: queue.id, pick: pick?.id ?? null, userId: pick ? (pick.groupId ? null : pick.id) : null, groupId: pick?.groupId ?? null, selectionReason: reason },
  });
  if (request.pinned.length > 0 || queue.collective) {
    // Everyone asked for becomes a host: all must be free.
    if (!asked.every((id) => free.has(id))) return [];
    return [choice(collectiveOrder(team, asked), null, request.pinned.length > 0 ? 'pinned' : 'collective')];
  }
  const eligible = queue.type === 'equalDistribution' ? withinLeadThreshold(team.candidates, queue.max_lead_threshold) : team.candidates;
  return rankCandidates(freeCandidates(eligible, free)).map(({ candidate, reason }) => choice([...candidate.userIds], candidate, reason));
}

/** Hosts of a collective booking, in the queue's booking order (its first is the main host). */
function collectiveOrder(team: Team, hostIds: readonly string[]): string[] {
  const ordered = rankCandidates(team.candidates).flatMap(({ candidate }) => candidate.userIds);
  return [...new Set([...ordered.filter((id) => hostIds.includes(id)), ...hostIds])];
}

/**
 * Writes the first choice whose hosts are still free; a choice refused by the exclusion
 * constraint (a concurrent booking outside the queue) is rolled back to its savepoint.
 */
export async function bookFirstFree<T>(tx: Tx, choices: readonly TeamChoice[], write: (choice: TeamChoice) => Promise<T>): Promise<T> {
  for (const choice of choices) {
    await savepoint(tx, 'team_choice');
    try {
      const result = await write(choice);
      await releaseSavepoint(tx, 'team_choice');
      return result;
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'slot_unavailable')) throw error;
      await rollbackToSavepoint(tx, 'team_choice');
    }
  }
  throw taken();
}
