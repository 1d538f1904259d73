// Kysely table types of migrations/0006_*.sql: personal access tokens and the smaller documented
// records added with them.
import type { ColumnType, Generated } from 'kysely';
import type { NullableTimestamp, Timestamp } from './schema.ts';

export interface PersonalAccessTokensTable {
  id: Generated<string>;
  company_id: string;
  user_id: string;
  name: string;
  token_hash: string;
  prefix: string;
  scopes: ColumnType<string[] | null, string[] | null | undefined, string[] | null>;
  expires_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
  last_used_at: NullableTimestamp;
  created_at: Timestamp;
}

export interface MeetingTypeTemplatesTable {
  id: Generated<string>;
  company_id: string;
  created_by: string | null;
  template_type: Generated<string>;
  queue_type: string | null;
  document: ColumnType<Record<string, unknown>, string, string>;
  created_at: Timestamp;
  deleted_at: NullableTimestamp;
}

export interface AttendeesPendingTable {
  id: Generated<string>;
  company_id: string;
  user_id: string | null;
  attendee: ColumnType<Record<string, unknown>, string, string>;
  created_at: Timestamp;
}
