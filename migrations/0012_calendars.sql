-- Calendar connections (CalDAV accounts and ICS feeds) of hosts, the calendars found in them, the
-- busy time read from those calendars, and the write-back of appointments into them.
-- Slot search reads busy time only from calendar_busy (filled by the sync worker), so it never
-- waits for a remote server; workers claim due rows with FOR UPDATE SKIP LOCKED.

CREATE TABLE calendar_connections (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  company_id       uuid NOT NULL REFERENCES companies(id),
  user_id          uuid NOT NULL REFERENCES users(id),
  type             text NOT NULL CHECK (type IN ('caldav', 'ics')),
  url              text NOT NULL CHECK (length(url) BETWEEN 8 AND 2048),
  username         text,
  -- AES-256-GCM, as webhook signing secrets (the password must be usable, so it is not hashed)
  password_sealed  text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  deleted_at       timestamptz
);
CREATE INDEX calendar_connections_user ON calendar_connections (company_id, user_id) WHERE deleted_at IS NULL;

-- One calendar collection (or the feed itself). busy: its events block slots; write_target: new
-- appointments are written into it (at most one per host).
CREATE TABLE connected_calendars (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  connection_id   uuid NOT NULL REFERENCES calendar_connections(id) ON DELETE CASCADE,
  user_id         uuid NOT NULL REFERENCES users(id),
  url             text NOT NULL,
  name            text NOT NULL,
  color           text,
  busy            boolean NOT NULL DEFAULT true,
  write_target    boolean NOT NULL DEFAULT false,
  -- change markers: CalDAV getctag / sync-token, or an ICS feed's ETag
  ctag            text,
  full_sync_at    timestamptz,
  next_sync_at    timestamptz NOT NULL DEFAULT now(),
  synced_at       timestamptz,
  last_error      text,
  last_error_at   timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (connection_id, url)
);
CREATE UNIQUE INDEX connected_calendars_one_target ON connected_calendars (user_id) WHERE write_target;
CREATE INDEX connected_calendars_due ON connected_calendars (next_sync_at);
CREATE INDEX connected_calendars_user ON connected_calendars (user_id);

-- Busy intervals of a host's calendars (recurrences expanded), replaced on each sync of a calendar.
CREATE TABLE calendar_busy (
  id           bigserial PRIMARY KEY,
  calendar_id  uuid NOT NULL REFERENCES connected_calendars(id) ON DELETE CASCADE,
  user_id      uuid NOT NULL,
  busy         tstzrange NOT NULL,
  event_uid    text
);
CREATE INDEX calendar_busy_user ON calendar_busy USING gist (user_id, busy);
CREATE INDEX calendar_busy_calendar ON calendar_busy (calendar_id);

-- The desired state of one appointment in one host's calendar: the dispatcher updates it for every
-- booking event (revision + 1); the write-back worker PUTs or DELETEs it with retries. A newer
-- revision written while an attempt runs is not overwritten by that attempt's result.
CREATE TABLE calendar_writes (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  company_id       uuid NOT NULL REFERENCES companies(id),
  appointment_id   uuid NOT NULL,
  user_id          uuid NOT NULL,
  calendar_id      uuid REFERENCES connected_calendars(id) ON DELETE SET NULL,
  uid              text NOT NULL,
  action           text NOT NULL CHECK (action IN ('put', 'delete')),
  ics              text,
  resource_url     text,
  revision         integer NOT NULL DEFAULT 1,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
  attempt_count    integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  last_error       text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (appointment_id, user_id)
);
CREATE INDEX calendar_writes_due ON calendar_writes (next_attempt_at) WHERE status = 'pending';
