// Table types of migrations/0015_provisional_bookings.sql (double opt-in, host approval).
import type { ColumnType } from 'kysely';
import type { NullableTimestamp, Timestamp } from './schema.ts';

export interface CompanyBookingSettingsTable {
  company_id: string;
  double_opt_in: ColumnType<boolean, boolean | undefined, boolean>;
  require_host_confirmation: ColumnType<boolean, boolean | undefined, boolean>;
  double_opt_in_expiry_minutes: ColumnType<number, number | undefined, number>;
  host_confirmation_expiry_minutes: ColumnType<number, number | undefined, number>;
  updated_at: Timestamp;
}

export type ProvisionalType = 'doubleOptIn' | 'requireHostConfirmation';
export type ProvisionalStatus = 'pending' | 'confirmed' | 'expired' | 'declined_by_host';
export type ProvisionalStep = 'host' | 'attendee';

export interface ProvisionalBookingsTable {
  id: string;
  company_id: string;
  appointment_id: string;
  meeting_type_id: string;
  type: ProvisionalType;
  status: ColumnType<ProvisionalStatus, ProvisionalStatus | undefined, ProvisionalStatus>;
  awaiting: ProvisionalStep | null;
  needs_attendee: boolean;
  attendee_token_hash: string | null;
  host_token_hash: string | null;
  expires_at: Timestamp;
  dto: ColumnType<Record<string, unknown>, string, string>;
  notify_attendees: boolean;
  decline_reason: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  settled_at: NullableTimestamp;
  /** migrations/0020_held_seats.sql: the held seat of a group session; null for a whole appointment. */
  attendee_id: ColumnType<string | null, string | null | undefined, string | null>;
}
