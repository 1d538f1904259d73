// Queues of team meeting types (spec §2.10): read them, configure them, their user groups and who
// is next. Members must be users of the queue's company (another company's user is a 400 as a
// member, a 404 as a path). Reads and writes are scoped to the company.
import type { Static } from '@fastify/type-provider-typebox';
import type { Db, Executor } from '../db/database.ts';
import { inTransaction } from '../db/transaction.ts';
import { invalidField, notFound } from '../lib/app-error.ts';
import type { Clock } from '../lib/clock.ts';
import { isUuid } from '../lib/ids.ts';
import { findMeetingType } from '../meeting-types/meeting-types.repo.ts';
import { findUsers, type UserRow } from '../users/users.repo.ts';
import { rankCandidates, withinLeadThreshold } from './host-selection.ts';
import { loadTeam } from './queue-team.ts';
import { type GroupJson, groupJson, type QueueJson, queueJson } from './queues.json.ts';
import * as repo from './queues.repo.ts';
import type { CreateGroupBody, NextHosts, UpdateGroupBody, UpdateQueueBody } from './queues.schemas.ts';

export type QueuesService = ReturnType<typeof createQueuesService>;

export function createQueuesService(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;

  async function usersById(executor: Executor, companyId: string, ids: Iterable<string>): Promise<Map<string, UserRow>> {
    const users = await findUsers(executor, companyId, [...new Set(ids)]);
    return new Map(users.map((user) => [user.id, user]));
  }

  async function present(executor: Executor, queues: repo.QueueRow[]): Promise<QueueJson[]> {
    const ids = queues.map((q) => q.id);
    const [members, groups] = await Promise.all([repo.listMembers(executor, ids), repo.listGroups(executor, ids)]);
    const companyId = queues[0]?.company_id;
    const users = companyId ? await usersById(executor, companyId, [...members.map((m) => m.user_id), ...groups.flatMap((g) => g.user_ids)]) : new Map();
    return queues.map((q) =>
      queueJson(
        q,
        members.filter((m) => m.queue_id === q.id),
        groups.filter((g) => g.queue_id === q.id),
        users,
      ),
    );
  }

  async function requireQueue(executor: Executor, companyId: string, id: string): Promise<repo.QueueRow> {
    const queue = isUuid(id) ? await repo.findQueue(executor, companyId, id) : undefined;
    if (!queue) throw notFound('Queue');
    return queue;
  }

  /** A user that may become a member: one of this company's. */
  async function requireCompanyUser(executor: Executor, companyId: string, userId: string, field: string): Promise<void> {
    const found = isUuid(userId) ? await findUsers(executor, companyId, [userId]) : [];
    if (found.length === 0) throw invalidField(field, `User ${userId} is not a user of this company`);
  }

  async function list(companyId: string, workspaceId: string): Promise<QueueJson[]> {
    // One company-wide workspace: its id is the company's (or "default").
    if (workspaceId !== companyId && workspaceId !== 'default') throw notFound('Workspace');
    return present(db, await repo.listQueues(db, companyId));
  }

  async function get(companyId: string, id: string): Promise<QueueJson> {
    const [json] = await present(db, [await requireQueue(db, companyId, id)]);
    return json!;
  }

  /** Everyone in the order the queue would book them now, ignoring availability. */
  async function next(companyId: string, id: string): Promise<Static<typeof NextHosts>> {
    const team = await loadTeam(db, companyId, id, clock.now());
    const { queue } = team;
    const eligible = queue.type === 'equalDistribution' ? withinLeadThreshold(team.candidates, queue.max_lead_threshold) : team.candidates;
    const nextHosts = rankCandidates(eligible).map(({ candidate, reason }) => ({
      userId: candidate.userIds[0]!,
      userIds: [...candidate.userIds],
      groupId: candidate.groupId,
      bookings: candidate.bookings,
      selectionReason: queue.collective ? 'collective' : reason,
    }));
    return { nextHosts };
  }

  async function configure(companyId: string, meetingTypeId: string, body: Static<typeof UpdateQueueBody>): Promise<QueueJson> {
    const meetingType = isUuid(meetingTypeId) ? await findMeetingType(db, companyId, meetingTypeId) : undefined;
    if (!meetingType || meetingType.deleted_at) throw notFound('Meeting type');
    const now = clock.now();
    const queue = await inTransaction(db, async (tx) => {
      const existing = await repo.findQueueOfMeetingType(tx, companyId, meetingTypeId);
      const queueId = existing?.id ?? (await repo.insertQueue(tx, { companyId, meetingTypeId, firstMemberId: meetingType.user_id }));
      if (body.userId !== undefined) await toggleMember(tx, companyId, queueId, body.userId);
      const members = new Set((await repo.listMembers(tx, [queueId])).map((m) => m.user_id));
      const member = (userId: string, field: string) => {
        if (!members.has(userId)) throw invalidField(field, `User ${userId} is not a member of this queue`);
        return userId;
      };
      for (const { userId, capacity } of body.userCapacities ?? []) await repo.updateMember(tx, queueId, member(userId, 'userCapacities'), { capacity });
      for (const { userId, priority } of body.userPriorities ?? []) await repo.updateMember(tx, queueId, member(userId, 'userPriorities'), { priority });
      for (const { userId, link } of body.userCustomLinks ?? []) {
        await repo.updateMember(tx, queueId, member(userId, 'userCustomLinks'), { custom_link: link?.trim() || null });
      }
      await repo.updateQueue(
        tx,
        queueId,
        {
          type: body.type,
          collective: body.collective,
          max_lead_threshold: body.maxLeadThreshold,
          distribution_period: body.distributionPeriod,
          prioritize_near_term: body.prioritizeNearTermAvailability,
        },
        now,
      );
      return (await repo.findQueue(tx, companyId, queueId))!;
    });
    const [json] = await present(db, [queue]);
    return json!;
  }

  async function toggleMember(tx: Executor, companyId: string, queueId: string, userId: string): Promise<void> {
    const members = await repo.listMembers(tx, [queueId]);
    if (members.some((m) => m.user_id === userId)) return repo.deleteMember(tx, queueId, userId);
    await requireCompanyUser(tx, companyId, userId, 'userId');
    await repo.insertMember(tx, { queueId, companyId, userId });
  }

  async function presentGroup(executor: Executor, companyId: string, id: string): Promise<GroupJson> {
    const group = await repo.findGroup(executor, companyId, id);
    if (!group) throw notFound('Queue user group');
    return groupJson(group, await usersById(executor, companyId, group.user_ids));
  }

  async function createGroup(companyId: string, body: Static<typeof CreateGroupBody>): Promise<GroupJson> {
    const queue = await requireQueue(db, companyId, body.queueId);
    const id = await repo.insertGroup(db, { queueId: queue.id, companyId, name: body.name.trim() });
    return presentGroup(db, companyId, id);
  }

  async function updateGroup(companyId: string, groupId: string, body: Static<typeof UpdateGroupBody>): Promise<GroupJson> {
    if (!isUuid(groupId)) throw notFound('Queue user group');
    return inTransaction(db, async (tx) => {
      const group = await repo.findGroup(tx, companyId, groupId);
      if (!group) throw notFound('Queue user group');
      if (body.userId !== undefined) {
        if (!group.user_ids.includes(body.userId)) await requireCompanyUser(tx, companyId, body.userId, 'userId');
        await repo.toggleGroupMember(tx, groupId, body.userId);
      }
      const members = (await repo.findGroup(tx, companyId, groupId))!.user_ids;
      if (body.mainGroupHostId != null && !members.includes(body.mainGroupHostId)) {
        throw invalidField('mainGroupHostId', 'mainGroupHostId must be a member of the group');
      }
      await repo.updateGroup(tx, groupId, { name: body.name?.trim(), capacity: body.capacity, main_group_host_id: body.mainGroupHostId }, clock.now());
      return presentGroup(tx, companyId, groupId);
    });
  }

  return { list, get, next, configure, createGroup, updateGroup };
}

