// Kysely table types of events out (migrations/0005_events.sql): webhooks, deliveries, emails, reminders.
import type { ColumnType, Generated } from 'kysely';
import type { Json, NullableTimestamp, Timestamp } from './schema.ts';

export interface EncryptionKeysTable {
  id: string;
  key: string;
  created_at: Timestamp;
}

export interface WebhooksTable {
  id: Generated<string>;
  company_id: string;
  endpoint: string;
  description: Generated<string>;
  event_types: ColumnType<string[], string[], string[]>;
  active: Generated<boolean>;
  disabled_reason: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  deleted_at: NullableTimestamp;
}

export interface WebhookSecretsTable {
  id: Generated<string>;
  webhook_id: string;
  secret_sealed: string;
  created_at: Timestamp;
  expires_at: NullableTimestamp;
}

export interface WebhookDeliveriesTable {
  id: Generated<string>;
  webhook_id: string;
  company_id: string;
  event_id: string;
  event_type: string;
  dedupe_key: string;
  body: string;
  replay_of: string | null;
  status: Generated<'pending' | 'succeeded' | 'failed'>;
  attempt_count: Generated<number>;
  next_attempt_at: Timestamp;
  last_error: string | null;
  created_at: Timestamp;
  completed_at: NullableTimestamp;
  /** The appointment secret the body carries, sealed; filled in only to send (0007). */
  secret_sealed: Generated<string | null>;
}

export interface WebhookAttemptsTable {
  id: Generated<string>;
  delivery_id: string;
  attempt: number;
  attempted_at: Timestamp;
  status_code: number | null;
  duration_ms: number;
  error: string | null;
  response_body: string | null;
}

export interface EmailJobsTable {
  id: Generated<string>;
  company_id: string;
  event_id: string | null;
  kind: string;
  recipient: string;
  dedupe_key: string;
  payload: Json<Record<string, unknown>>;
  status: Generated<'pending' | 'sent' | 'failed'>;
  attempt_count: Generated<number>;
  next_attempt_at: Timestamp;
  last_error: string | null;
  created_at: Timestamp;
  sent_at: NullableTimestamp;
}

export interface RemindersTable {
  id: Generated<string>;
  company_id: string;
  appointment_id: string;
  recipient: string;
  offset_minutes: number;
  due_at: Timestamp;
  payload: Json<Record<string, unknown>>;
  status: Generated<'pending' | 'queued' | 'cancelled'>;
  created_at: Timestamp;
}
