// Queues, their members and user groups in the database; every read is scoped to a company.
import { type Selectable, sql } from 'kysely';
import type { Executor } from '../db/database.ts';
import type { QueueMembersTable, QueuesTable, QueueType, QueueUserGroupsTable } from '../db/schema.ts';

export type QueueRow = Selectable<QueuesTable>;
export type MemberRow = Selectable<QueueMembersTable>;
export type GroupRow = Selectable<QueueUserGroupsTable> & { user_ids: string[] };

export async function findQueue(db: Executor, companyId: string, id: string): Promise<QueueRow | undefined> {
  return db.selectFrom('queues').selectAll().where('company_id', '=', companyId).where('id', '=', id).executeTakeFirst();
}

export async function findQueueOfMeetingType(db: Executor, companyId: string, meetingTypeId: string): Promise<QueueRow | undefined> {
  return db.selectFrom('queues').selectAll().where('company_id', '=', companyId).where('meeting_type_id', '=', meetingTypeId).executeTakeFirst();
}

export async function listQueues(db: Executor, companyId: string): Promise<QueueRow[]> {
  return db.selectFrom('queues').selectAll().where('company_id', '=', companyId).orderBy('created_at').orderBy('id').execute();
}

/**
 * Locks the queue row for the rest of the transaction: bookings through one queue select their
 * host one after another, so the counts one reads are the counts the previous one wrote.
 */
export async function lockQueue(tx: Executor, companyId: string, id: string): Promise<QueueRow | undefined> {
  return tx.selectFrom('queues').selectAll().where('company_id', '=', companyId).where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function insertQueue(
  db: Executor,
  input: { companyId: string; meetingTypeId: string; type?: QueueType; collective?: boolean; firstMemberId?: string },
): Promise<string> {
  const row = await db
    .insertInto('queues')
    .values({ company_id: input.companyId, meeting_type_id: input.meetingTypeId, type: input.type, collective: input.collective })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (input.firstMemberId) await insertMember(db, { queueId: row.id, companyId: input.companyId, userId: input.firstMemberId });
  return row.id;
}

export interface QueueSettings {
  type?: QueueType;
  collective?: boolean;
  max_lead_threshold?: number;
  distribution_period?: 'day' | 'week' | 'month';
  prioritize_near_term?: boolean;
}

export async function updateQueue(db: Executor, id: string, settings: QueueSettings, now: Date): Promise<void> {
  await db.updateTable('queues').set({ ...settings, updated_at: now }).where('id', '=', id).execute();
}

export async function listMembers(db: Executor, queueIds: readonly string[]): Promise<MemberRow[]> {
  if (queueIds.length === 0) return [];
  return db.selectFrom('queue_members').selectAll().where('queue_id', 'in', queueIds).orderBy('created_at').orderBy('user_id').execute();
}

export async function insertMember(db: Executor, input: { queueId: string; companyId: string; userId: string }): Promise<void> {
  await db
    .insertInto('queue_members')
    .values({ queue_id: input.queueId, company_id: input.companyId, user_id: input.userId })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function deleteMember(db: Executor, queueId: string, userId: string): Promise<void> {
  await db.deleteFrom('queue_members').where('queue_id', '=', queueId).where('user_id', '=', userId).execute();
}

export async function updateMember(
  db: Executor,
  queueId: string,
  userId: string,
  patch: { capacity?: number; priority?: number | null; custom_link?: string | null },
): Promise<void> {
  await db.updateTable('queue_members').set(patch).where('queue_id', '=', queueId).where('user_id', '=', userId).execute();
}

const groupColumns = [
  'g.id',
  'g.queue_id',
  'g.company_id',
  'g.name',
  'g.capacity',
  'g.main_group_host_id',
  'g.created_at',
  'g.updated_at',
  'g.deleted_at',
] as const;

function groupsQuery(db: Executor) {
  return db
    .selectFrom('queue_user_groups as g')
    .select(groupColumns)
    .select(
      sql<string[]>`coalesce((SELECT array_agg(m.user_id ORDER BY m.created_at, m.user_id) FROM queue_user_group_members m WHERE m.group_id = g.id), '{}')`.as(
        'user_ids',
      ),
    )
    .where('g.deleted_at', 'is', null);
}

export async function listGroups(db: Executor, queueIds: readonly string[]): Promise<GroupRow[]> {
  if (queueIds.length === 0) return [];
  return groupsQuery(db).where('g.queue_id', 'in', queueIds).orderBy('g.created_at').orderBy('g.id').execute();
}

export async function findGroup(db: Executor, companyId: string, id: string): Promise<GroupRow | undefined> {
  return groupsQuery(db).where('g.company_id', '=', companyId).where('g.id', '=', id).executeTakeFirst();
}

export async function insertGroup(db: Executor, input: { queueId: string; companyId: string; name: string }): Promise<string> {
  const row = await db
    .insertInto('queue_user_groups')
    .values({ queue_id: input.queueId, company_id: input.companyId, name: input.name })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateGroup(
  db: Executor,
  id: string,
  patch: { name?: string; capacity?: number; main_group_host_id?: string | null },
  now: Date,
): Promise<void> {
  await db.updateTable('queue_user_groups').set({ ...patch, updated_at: now }).where('id', '=', id).execute();
}

export async function toggleGroupMember(db: Executor, groupId: string, userId: string): Promise<'added' | 'removed'> {
  const removed = await db.deleteFrom('queue_user_group_members').where('group_id', '=', groupId).where('user_id', '=', userId).executeTakeFirst();
  if (removed.numDeletedRows > 0n) {
    await db.updateTable('queue_user_groups').set({ main_group_host_id: null }).where('id', '=', groupId).where('main_group_host_id', '=', userId).execute();
    return 'removed';
  }
  await db.insertInto('queue_user_group_members').values({ group_id: groupId, user_id: userId }).execute();
  return 'added';
}

export interface PickStats {
  bookings: number;
  lastBookedAt: number | null;
}

/** What host selection reads of a queue: its members, its groups and who was picked how often. */
export interface TeamRows {
  members: Pick<MemberRow, 'user_id' | 'priority' | 'capacity' | 'custom_link'>[];
  groups: Pick<GroupRow, 'id' | 'capacity' | 'main_group_host_id' | 'user_ids'>[];
  /**
   * What counts toward each picked member's (user's or group's) turn in the current distribution
   * period: active bookings and live holds — appointments still `provisional` whose hold is
   * pending and not yet past its expiry at `now` (an overdue hold the expiry worker has not
   * reached no longer counts; a declined or expired one has left `provisional`). With the latest.
   */
  stats: Map<string, PickStats>;
}

/** The start of the current distribution period, for each period a queue may have. */
export type PeriodStarts = Record<'day' | 'week' | 'month', Date>;

/**
 * A queue of the company with its team, in one statement (slot search and bookings ask this on
 * every team request): members, groups with their users, and pick counts (TeamRows.stats) since
 * the start of the queue's own distribution period.
 */
export async function readTeam(
  db: Executor,
  input: { companyId: string; queueId: string; periods: PeriodStarts; now: Date },
): Promise<(QueueRow & TeamRows) | undefined> {
  const { companyId, queueId, periods, now } = input;
  const result = await sql<QueueRow & { members: TeamRows['members']; groups: TeamRows['groups']; stats: { pick: string; bookings: number; last: number | null }[] }>`
    SELECT q.*,
      (SELECT coalesce(json_agg(json_build_object('user_id', m.user_id, 'priority', m.priority, 'capacity', m.capacity, 'custom_link', m.custom_link)
                                ORDER BY m.created_at, m.user_id), '[]'::json)
       FROM queue_members m WHERE m.queue_id = q.id) AS members,
      (SELECT coalesce(json_agg(json_build_object('id', g.id, 'capacity', g.capacity, 'main_group_host_id', g.main_group_host_id,
                                'user_ids', coalesce((SELECT array_agg(gm.user_id ORDER BY gm.created_at, gm.user_id) FROM queue_user_group_members gm WHERE gm.group_id = g.id), '{}'))
                                ORDER BY g.created_at, g.id), '[]'::json)
       FROM queue_user_groups g WHERE g.queue_id = q.id AND g.deleted_at IS NULL) AS groups,
      (SELECT coalesce(json_agg(json_build_object('pick', s.queue_pick, 'bookings', s.bookings, 'last', s.last)), '[]'::json)
       FROM (SELECT c.queue_pick, count(*) AS bookings, date_part('epoch', max(c.created_at)) * 1000 AS last
             FROM (
               -- Active bookings and live holds (each branch on its own partial index, 0011 and 0018).
               SELECT a.queue_pick, a.created_at FROM appointments a
               WHERE a.queue_id = q.id AND a.status = 'active' AND a.created_at >= since.at
               UNION ALL
               SELECT a.queue_pick, a.created_at FROM appointments a
               WHERE a.queue_id = q.id AND a.status = 'provisional' AND a.created_at >= since.at
                 AND EXISTS (SELECT 1 FROM provisional_bookings p
                             WHERE p.appointment_id = a.id AND p.status = 'pending' AND p.expires_at > ${now})
             ) c
             WHERE c.queue_pick IS NOT NULL
             GROUP BY c.queue_pick) s) AS stats
    FROM queues q
    CROSS JOIN LATERAL (SELECT CASE q.distribution_period WHEN 'day' THEN ${periods.day}::timestamptz
                                                          WHEN 'week' THEN ${periods.week}::timestamptz
                                                          ELSE ${periods.month}::timestamptz END AS at) since
    WHERE q.company_id = ${companyId} AND q.id = ${queueId}::uuid`.execute(db);
  const row = result.rows[0];
  if (!row) return undefined;
  const { members, groups, stats, ...queue } = row;
  return {
    ...(queue as QueueRow),
    members,
    groups,
    stats: new Map(stats.map((s) => [s.pick, { bookings: Number(s.bookings), lastBookedAt: s.last }])),
  };
}
