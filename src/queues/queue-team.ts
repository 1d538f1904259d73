// A queue as the candidates host selection ranks: its user members and its groups, with their
// bookings in the current distribution period. Bookings and slot search read teams through this,
// in one statement (repo.readTeam).
import type { Executor } from '../db/database.ts';
import { invalidField, notFound } from '../lib/app-error.ts';
import { isUuid } from '../lib/ids.ts';
import { type Candidate, periodStart } from './host-selection.ts';
import * as repo from './queues.repo.ts';

export interface Team {
  queue: repo.QueueRow;
  candidates: Candidate[];
  /** Per-user meeting links that override the meeting type's. */
  customLinks: ReadonlyMap<string, string>;
  /** Every user the team can bring, in candidate order. */
  userIds: string[];
}

/** A queue of the company with its team, in one statement: 404 when there is none. */
export async function loadTeam(db: Executor, companyId: string, queueId: string, now: Date): Promise<Team> {
  const read = isUuid(queueId) ? await repo.readTeam(db, { companyId, queueId, periods: periodStarts(now), now }) : undefined;
  if (!read) throw notFound('Queue');
  return teamOf(read);
}

function periodStarts(now: Date): repo.PeriodStarts {
  return { day: periodStart(now, 'day'), week: periodStart(now, 'week'), month: periodStart(now, 'month') };
}

function teamOf(read: repo.QueueRow & repo.TeamRows): Team {
  const { members, groups, stats, ...queue } = read;
  const counted = (id: string) => stats.get(id) ?? { bookings: 0, lastBookedAt: null };
  const candidates: Candidate[] = [
    ...members.map((m) => ({ id: m.user_id, groupId: null, userIds: [m.user_id], priority: m.priority, capacity: m.capacity, ...counted(m.user_id) })),
    ...groups
      .filter((g) => g.user_ids.length > 0)
      .map((g) => ({ id: g.id, groupId: g.id, userIds: mainFirst(g.user_ids, g.main_group_host_id), priority: null, capacity: g.capacity, ...counted(g.id) })),
  ];
  const customLinks = new Map(members.filter((m) => m.custom_link).map((m) => [m.user_id, m.custom_link!]));
  const userIds = [...new Set(candidates.flatMap((c) => c.userIds))];
  return { queue, candidates, customLinks, userIds };
}

/**
 * The team of a meeting type's queue, checked: the queue exists in the company (else 404), is the
 * meeting type's (else 400), and every host named is a member (else 400). With `lock`, the queue
 * row stays locked until the transaction ends (bookings choose one after another).
 */
export async function requireTeam(
  db: Executor,
  input: { companyId: string; meetingTypeId: string; queueId: string; hostIds: readonly string[]; now: Date; lock?: boolean },
): Promise<Team> {
  if (!isUuid(input.queueId)) throw notFound('Queue');
  // A booking locks the queue row first, so the counts it then reads are the last booking's.
  if (input.lock && !(await repo.lockQueue(db, input.companyId, input.queueId))) throw notFound('Queue');
  const team = await loadTeam(db, input.companyId, input.queueId, input.now);
  if (team.queue.meeting_type_id !== input.meetingTypeId) throw invalidField('queueId', 'queueId is not the queue of this meeting type');
  for (const id of input.hostIds) {
    if (!team.userIds.includes(id)) throw invalidField('hostIds', `Host ${id} is not a member of this queue`);
  }
  return team;
}

function mainFirst(userIds: readonly string[], main: string | null): string[] {
  return main && userIds.includes(main) ? [main, ...userIds.filter((id) => id !== main)] : [...userIds];
}
