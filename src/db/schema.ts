// Kysely table types, one interface per table of migrations/. Keep in step with the SQL.
import type { ColumnType, Generated } from 'kysely';
import type {
  EmailJobsTable,
  EncryptionKeysTable,
  RemindersTable,
  WebhookAttemptsTable,
  WebhookDeliveriesTable,
  WebhookSecretsTable,
  WebhooksTable,
} from './schema.events.ts';
import type { QueueMembersTable, QueueUserGroupMembersTable, QueueUserGroupsTable, QueuesTable } from './schema.queues.ts';
import type { AttendeesPendingTable, MeetingTypeTemplatesTable, PersonalAccessTokensTable } from './schema.records.ts';
import type { CalendarBusyTable, CalendarConnectionsTable, CalendarWritesTable, ConnectedCalendarsTable } from './schema.calendars.ts';
import type { OneTimeLinksTable, PersonalPagesTable } from './schema.pages.ts';
import type { CompanyBookingSettingsTable, ProvisionalBookingsTable } from './schema.provisional.ts';

export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
export type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
export type Json<T> = ColumnType<T, string, string>;

export interface CompaniesTable {
  id: Generated<string>;
  name: string;
  /** The team slug of /team/{slug}/… pages; a trigger gives every new company one (0019). */
  slug: Generated<string>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface UsersTable {
  id: Generated<string>;
  company_id: string;
  email: string;
  given_name: string;
  family_name: string;
  timezone: string;
  language: Generated<string>;
  slug: string;
  role: Generated<'owner' | 'admin' | 'member'>;
  user_type: Generated<string>;
  created_at: Timestamp;
  updated_at: Timestamp;
  deleted_at: NullableTimestamp;
}

export interface ApiKeysTable {
  id: Generated<string>;
  company_id: string;
  name: Generated<string>;
  key_hash: string;
  prefix: string;
  expires_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
  last_used_at: NullableTimestamp;
  created_at: Timestamp;
}

export interface DayHours {
  start: string;
  end: string;
}
export type WeekdayName = 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday' | 'sunday';
export type WeeklySchedule = Record<WeekdayName, { enabled: boolean; hours: DayHours[] }>;

export interface AvailabilitiesTable {
  id: Generated<string>;
  company_id: string;
  user_id: string;
  name: string;
  timezone: string;
  schedule: Json<WeeklySchedule>;
  is_default: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
  deleted_at: NullableTimestamp;
}

export interface AvailabilityExceptionsTable {
  id: Generated<string>;
  availability_id: string;
  start_at: Timestamp;
  end_at: Timestamp;
  available: boolean;
  title: string | null;
  note: string | null;
  created_at: Timestamp;
  deleted_at: NullableTimestamp;
}

export type DaysIntoFuture =
  | { mode: 'limit'; bookingLimit: number }
  | { mode: 'range'; rangeMin: string; rangeMax: string };

export interface MeetingTypesTable {
  id: Generated<string>;
  company_id: string;
  user_id: string;
  availability_id: string;
  slug: string;
  enabled: Generated<boolean>;
  name: string;
  description: Generated<string>;
  duration: number;
  channel: Generated<string>;
  buffer_before: Generated<number>;
  buffer_after: Generated<number>;
  timeslot_interval: number | null;
  booking_minimum: Generated<number>;
  days_into_future: ColumnType<DaysIntoFuture, string | undefined, string>;
  spots: Generated<number>;
  meeting_info: ColumnType<Record<string, unknown>, string | undefined, string>;
  meeting_options: ColumnType<Record<string, unknown>, string | undefined, string>;
  locations: ColumnType<string[], string | undefined, string>;
  metadata: ColumnType<Record<string, string>, string | undefined, string>;
  reminder_minutes: ColumnType<number[], string | undefined, string>;
  created_at: Timestamp;
  updated_at: Timestamp;
  deleted_at: NullableTimestamp;
}

export interface OutboxEventsTable {
  id: Generated<string>;
  event_id: Generated<string>;
  company_id: string;
  type: string;
  subject_id: string | null;
  payload: Json<Record<string, unknown>>;
  created_at: Timestamp;
  dispatched_at: NullableTimestamp;
}

export interface SchemaMigrationsTable {
  version: string;
  applied_at: Timestamp;
}

export interface Database {
  companies: CompaniesTable;
  users: UsersTable;
  api_keys: ApiKeysTable;
  personal_access_tokens: PersonalAccessTokensTable;
  meeting_type_templates: MeetingTypeTemplatesTable;
  attendees_pending: AttendeesPendingTable;
  availabilities: AvailabilitiesTable;
  availability_exceptions: AvailabilityExceptionsTable;
  meeting_types: MeetingTypesTable;
  outbox_events: OutboxEventsTable;
  appointments: AppointmentsTable;
  appointment_hosts: AppointmentHostsTable;
  appointment_attendees: AppointmentAttendeesTable;
  idempotency_keys: IdempotencyKeysTable;
  encryption_keys: EncryptionKeysTable;
  webhooks: WebhooksTable;
  webhook_secrets: WebhookSecretsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  email_jobs: EmailJobsTable;
  reminders: RemindersTable;
  personal_pages: PersonalPagesTable;
  one_time_links: OneTimeLinksTable;
  schema_migrations: SchemaMigrationsTable;
  queues: QueuesTable;
  queue_members: QueueMembersTable;
  queue_user_groups: QueueUserGroupsTable;
  queue_user_group_members: QueueUserGroupMembersTable;
  calendar_connections: CalendarConnectionsTable;
  connected_calendars: ConnectedCalendarsTable;
  calendar_busy: CalendarBusyTable;
  calendar_writes: CalendarWritesTable;
  company_booking_settings: CompanyBookingSettingsTable;
  provisional_bookings: ProvisionalBookingsTable;
}

export interface AppointmentsTable {
  id: Generated<string>;
  company_id: string;
  meeting_type_id: string;
  start_at: Timestamp;
  end_at: Timestamp;
  buffer_before: Generated<number>;
  buffer_after: Generated<number>;
  status: Generated<AppointmentStatus>;
  overbooked: Generated<boolean>;
  secret_hash: string;
  ics_uid: string;
  ics_sequence: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
  // migrations/0004_bookings.sql
  channel: string | null;
  location: string | null;
  meeting_link: string | null;
  meeting_info: ColumnType<Record<string, unknown>, string | undefined, string>;
  main_host_id: string | null;
  note: string | null;
  cancel: ColumnType<AppointmentCancel | null, string | null | undefined, string | null>;
  rescheduled_at: NullableTimestamp;
  rescheduled_from_id: string | null;
  rescheduled_to_id: string | null;
  // migrations/0011_queues.sql
  queue_id: string | null;
  queue_pick: string | null;
  round_robin_entries: ColumnType<RoundRobinEntryRow[], string | undefined, string>;
  // migrations/0006_records.sql
  transcription: Generated<string | null>;
  summary: Generated<string | null>;
  // migrations/0007_stable_secrets.sql: the secret sealed (null for rows booked before 0007)
  secret_sealed: string | null;
  // migrations/0016_series.sql: the recurring series and the place in it (1-based), or both null
  series_id: string | null;
  series_position: number | null;
  // migrations/0014_group_sessions.sql: capacity and the seats taken (1 and 1 for a plain appointment)
  spots: Generated<number>;
  taken_spots: Generated<number>;
}

export type { DistributionPeriod, QueueMembersTable, QueueType, QueueUserGroupMembersTable, QueueUserGroupsTable, QueuesTable } from './schema.queues.ts';

export interface RoundRobinEntryRow {
  id: number;
  createdAt: string;
  userId: string | null;
  groupId: string | null;
  appointmentId: string;
  queueId: string;
  selectionReason: string;
}

/** migrations/0011_booking_status.sql; 'active' is the confirmed state. */
export type AppointmentStatus = 'active' | 'provisional' | 'cancelled' | 'expired' | 'declined';

export interface AppointmentCancel {
  actionSource: 'host' | 'attendee' | 'system';
  actionAt: string;
  actionBy: string | null;
  reason: string | null;
}

export interface AppointmentHostsTable {
  appointment_id: string;
  user_id: string;
  company_id: string;
  /** A tstzrange; write it with sql`tstzrange(${from}, ${to})`. */
  blocked: ColumnType<string, unknown, unknown>;
  active: Generated<boolean>;
  overbooked: Generated<boolean>;
}

export interface AppointmentAttendeesTable {
  id: Generated<string>;
  appointment_id: string;
  company_id: string;
  position: Generated<number>;
  email: string;
  firstname: string | null;
  lastname: string | null;
  fullname: string | null;
  phone: string | null;
  company: string | null;
  language: string | null;
  timezone: string | null;
  notes: ColumnType<Record<string, unknown>, string | undefined, string>;
  custom_fields: ColumnType<Record<string, unknown>, string | undefined, string>;
  bringalong_emails: ColumnType<string[], string | undefined, string>;
  receive_reminders: Generated<boolean>;
  no_show: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
  // migrations/0014_group_sessions.sql: the seat's own status and secret (group sessions)
  seat_status: Generated<AppointmentStatus>;
  secret_hash: Generated<string | null>;
  secret_sealed: Generated<string | null>;
}

export interface IdempotencyKeysTable {
  company_id: string;
  key_hash: string;
  fingerprint: string;
  response: string;
  created_at: Timestamp;
}
