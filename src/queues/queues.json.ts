// Queue and user group JSON from their rows. Pure.
import type { Static } from '@fastify/type-provider-typebox';
import type { UserRow } from '../users/users.repo.ts';
import type { Queue, QueueUserGroup, UserRef } from './queues.schemas.ts';
import type { GroupRow, MemberRow, QueueRow } from './queues.repo.ts';

export type QueueJson = Static<typeof Queue>;
export type GroupJson = Static<typeof QueueUserGroup>;
type UserRefJson = Static<typeof UserRef>;

export function userRef(user: UserRow | undefined): UserRefJson | null {
  if (!user) return null;
  return { id: user.id, email: user.email, givenName: user.given_name, familyName: user.family_name, fullName: `${user.given_name} ${user.family_name}`.trim() };
}

export function groupJson(group: GroupRow, users: ReadonlyMap<string, UserRow>): GroupJson {
  return {
    id: group.id,
    name: group.name,
    capacity: group.capacity,
    users: group.user_ids.map((id) => userRef(users.get(id))).filter((u): u is UserRefJson => u !== null),
    userIds: group.user_ids,
    queueId: group.queue_id,
    mainGroupHost: group.main_group_host_id ? userRef(users.get(group.main_group_host_id)) : null,
    mainGroupHostId: group.main_group_host_id,
    createdAt: group.created_at.toISOString(),
    updatedAt: group.updated_at.toISOString(),
    deletedAt: group.deleted_at?.toISOString() ?? null,
  };
}

export function queueJson(queue: QueueRow, members: MemberRow[], groups: GroupRow[], users: ReadonlyMap<string, UserRow>): QueueJson {
  return {
    id: queue.id,
    companyId: queue.company_id,
    workspaceId: queue.company_id,
    meetingTypeId: queue.meeting_type_id,
    type: queue.type,
    collective: queue.collective,
    maxLeadThreshold: queue.max_lead_threshold,
    distributionPeriod: queue.distribution_period,
    prioritizeNearTermAvailability: queue.prioritize_near_term,
    users: members.map((m) => ({ userId: m.user_id, priority: m.priority, capacity: m.capacity, customLink: m.custom_link, user: userRef(users.get(m.user_id)) })),
    userIds: members.map((m) => m.user_id),
    userGroups: groups.map((g) => groupJson(g, users)),
    createdAt: queue.created_at.toISOString(),
    updatedAt: queue.updated_at.toISOString(),
  };
}
