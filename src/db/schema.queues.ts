// Kysely table types of team queues (migrations/0011_queues.sql).
import type { Generated } from 'kysely';
import type { NullableTimestamp, Timestamp } from './schema.ts';

export type QueueType = 'simpleRoundRobin' | 'advancedRoundRobin' | 'equalDistribution';
export type DistributionPeriod = 'day' | 'week' | 'month';

export interface QueuesTable {
  id: Generated<string>;
  company_id: string;
  meeting_type_id: string;
  type: Generated<QueueType>;
  collective: Generated<boolean>;
  max_lead_threshold: number | null;
  distribution_period: Generated<DistributionPeriod>;
  prioritize_near_term: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface QueueMembersTable {
  queue_id: string;
  user_id: string;
  company_id: string;
  priority: number | null;
  capacity: Generated<number>;
  custom_link: string | null;
  created_at: Timestamp;
}

export interface QueueUserGroupsTable {
  id: Generated<string>;
  queue_id: string;
  company_id: string;
  name: string;
  capacity: Generated<number>;
  main_group_host_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  deleted_at: NullableTimestamp;
}

export interface QueueUserGroupMembersTable {
  group_id: string;
  user_id: string;
  created_at: Timestamp;
}
