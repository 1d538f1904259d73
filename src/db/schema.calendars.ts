// Kysely table types of calendar connections (migrations/0012_calendars.sql).
import type { ColumnType, Generated } from 'kysely';
import type { NullableTimestamp, Timestamp } from './schema.ts';

export interface CalendarConnectionsTable {
  id: Generated<string>;
  company_id: string;
  user_id: string;
  type: 'caldav' | 'ics';
  url: string;
  username: string | null;
  password_sealed: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  deleted_at: NullableTimestamp;
}

export interface ConnectedCalendarsTable {
  id: Generated<string>;
  connection_id: string;
  user_id: string;
  url: string;
  name: string;
  color: string | null;
  busy: Generated<boolean>;
  write_target: Generated<boolean>;
  ctag: string | null;
  full_sync_at: NullableTimestamp;
  next_sync_at: Timestamp;
  synced_at: NullableTimestamp;
  last_error: string | null;
  last_error_at: NullableTimestamp;
  created_at: Timestamp;
}

export interface CalendarBusyTable {
  id: Generated<string>;
  calendar_id: string;
  user_id: string;
  /** tstzrange; written with sql`tstzrange(…)`. */
  busy: ColumnType<string, unknown, unknown>;
  event_uid: string | null;
}

export interface CalendarWritesTable {
  id: Generated<string>;
  company_id: string;
  appointment_id: string;
  user_id: string;
  calendar_id: string | null;
  uid: string;
  action: 'put' | 'delete';
  ics: string | null;
  resource_url: string | null;
  revision: Generated<number>;
  status: Generated<'pending' | 'done' | 'failed'>;
  attempt_count: Generated<number>;
  next_attempt_at: Timestamp;
  last_error: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}
