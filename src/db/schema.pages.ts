// Table types of migrations/0013_pages.sql (public booking pages). Keep in step with the SQL.
import type { ColumnType, Generated } from 'kysely';
import type { NullableTimestamp, Timestamp } from './schema.ts';

export interface PersonalPagesTable {
  user_id: string;
  company_id: string;
  settings: ColumnType<Record<string, unknown>, string | undefined, string>;
  updated_at: Timestamp;
}

export interface OneTimeLinksTable {
  id: Generated<string>;
  company_id: string;
  meeting_type_id: string;
  token_hash: string;
  created_by: string | null;
  used_at: NullableTimestamp;
  appointment_id: string | null;
  created_at: Timestamp;
}
