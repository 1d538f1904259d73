-- Foundation: tenancy (companies, users, API keys), the scheduling configuration a user needs to be
-- bookable (availabilities, their exceptions, meeting types) and the transactional outbox.
-- Written for PostgreSQL 15; the same file runs on embedded PGlite.

CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE companies (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  company_id   uuid NOT NULL REFERENCES companies(id),
  email        text NOT NULL CHECK (length(email) BETWEEN 3 AND 320),
  given_name   text NOT NULL,
  family_name  text NOT NULL,
  timezone     text NOT NULL,
  language     text NOT NULL DEFAULT 'en',
  slug         text NOT NULL,
  role         text NOT NULL DEFAULT 'member' CHECK (role IN ('owner', 'admin', 'member')),
  user_type    text NOT NULL DEFAULT 'api-platform',
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  deleted_at   timestamptz
);
-- Emails and slugs identify a person platform-wide; a deleted user frees both.
CREATE UNIQUE INDEX users_email_unique ON users (lower(email)) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX users_slug_unique ON users (slug) WHERE deleted_at IS NULL;
CREATE INDEX users_company ON users (company_id, created_at);

CREATE TABLE api_keys (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  company_id    uuid NOT NULL REFERENCES companies(id),
  name          text NOT NULL DEFAULT 'API key',
  key_hash      text NOT NULL UNIQUE,
  prefix        text NOT NULL,
  expires_at    timestamptz,
  revoked_at    timestamptz,
  last_used_at  timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX api_keys_company ON api_keys (company_id);

CREATE TABLE availabilities (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  company_id  uuid NOT NULL REFERENCES companies(id),
  user_id     uuid NOT NULL REFERENCES users(id),
  name        text NOT NULL,
  timezone    text NOT NULL,
  -- weekday-object form: { monday: { enabled, hours: [{ start: "HH:mm", end: "HH:mm" }] }, … }
  schedule    jsonb NOT NULL,
  is_default  boolean NOT NULL DEFAULT false,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  deleted_at  timestamptz
);
CREATE INDEX availabilities_user ON availabilities (user_id) WHERE deleted_at IS NULL;

CREATE TABLE availability_exceptions (
  id               bigserial PRIMARY KEY,
  availability_id  uuid NOT NULL REFERENCES availabilities(id),
  start_at         timestamptz NOT NULL,
  end_at           timestamptz NOT NULL,
  available        boolean NOT NULL,
  title            text,
  note             text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  deleted_at       timestamptz,
  CHECK (end_at > start_at)
);
CREATE INDEX availability_exceptions_availability ON availability_exceptions (availability_id) WHERE deleted_at IS NULL;

CREATE TABLE meeting_types (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  company_id         uuid NOT NULL REFERENCES companies(id),
  user_id            uuid NOT NULL REFERENCES users(id),
  availability_id    uuid NOT NULL REFERENCES availabilities(id),
  slug               text NOT NULL,
  enabled            boolean NOT NULL DEFAULT true,
  name               text NOT NULL,
  description        text NOT NULL DEFAULT '',
  duration           integer NOT NULL CHECK (duration BETWEEN 5 AND 480),
  channel            text NOT NULL DEFAULT 'phone',
  buffer_before      integer NOT NULL DEFAULT 0 CHECK (buffer_before BETWEEN 0 AND 120),
  buffer_after       integer NOT NULL DEFAULT 0 CHECK (buffer_after BETWEEN 0 AND 120),
  timeslot_interval  integer CHECK (timeslot_interval BETWEEN 5 AND 60),
  booking_minimum    integer NOT NULL DEFAULT 0 CHECK (booking_minimum >= 0),
  -- { mode: "limit", bookingLimit: minutes } or { mode: "range", rangeMin, rangeMax }
  days_into_future   jsonb NOT NULL DEFAULT '{"mode":"limit","bookingLimit":86400}',
  spots              integer NOT NULL DEFAULT 1 CHECK (spots BETWEEN 1 AND 100),
  -- the rest of the documented meetingInfo / meetingOptions, kept as given
  meeting_info       jsonb NOT NULL DEFAULT '{}',
  meeting_options    jsonb NOT NULL DEFAULT '{}',
  locations          jsonb NOT NULL DEFAULT '[]',
  metadata           jsonb NOT NULL DEFAULT '{}',
  -- reminder emails to attendees, in minutes before the start
  reminder_minutes   jsonb NOT NULL DEFAULT '[1440]',
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  deleted_at         timestamptz
);
CREATE UNIQUE INDEX meeting_types_slug_unique ON meeting_types (user_id, slug) WHERE deleted_at IS NULL;
CREATE INDEX meeting_types_availability ON meeting_types (availability_id) WHERE deleted_at IS NULL;

-- The transactional outbox: every state change writes its event here in the same transaction.
-- A dispatcher claims undispatched rows with FOR UPDATE SKIP LOCKED and fans them out to
-- webhook deliveries, emails and reminders.
CREATE TABLE outbox_events (
  id             bigserial PRIMARY KEY,
  event_id       uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
  company_id     uuid NOT NULL REFERENCES companies(id),
  type           text NOT NULL,
  subject_id     uuid,
  payload        jsonb NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  dispatched_at  timestamptz
);
CREATE INDEX outbox_events_pending ON outbox_events (id) WHERE dispatched_at IS NULL;
