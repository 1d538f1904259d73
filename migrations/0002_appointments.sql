-- Appointments and the guarantee: a host is never double-booked. Each host's share of an
-- appointment blocks [start - bufferBefore, end + bufferAfter); an exclusion constraint refuses two
-- overlapping blocks for one host among active appointments, on PostgreSQL and PGlite alike.
-- Overbookings a host forces on purpose (ignoreAvailability) are recorded but not constrained.

CREATE TABLE appointments (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  company_id           uuid NOT NULL REFERENCES companies(id),
  meeting_type_id      uuid NOT NULL REFERENCES meeting_types(id),
  start_at             timestamptz NOT NULL,
  end_at               timestamptz NOT NULL,
  buffer_before        integer NOT NULL DEFAULT 0,
  buffer_after         integer NOT NULL DEFAULT 0,
  status               text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'cancelled')),
  overbooked           boolean NOT NULL DEFAULT false,
  secret_hash          text NOT NULL,
  ics_uid              text NOT NULL UNIQUE,
  ics_sequence         integer NOT NULL DEFAULT 0,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  CHECK (end_at > start_at)
);
CREATE INDEX appointments_company_start ON appointments (company_id, start_at);

CREATE TABLE appointment_hosts (
  appointment_id  uuid NOT NULL REFERENCES appointments(id),
  user_id         uuid NOT NULL REFERENCES users(id),
  company_id      uuid NOT NULL REFERENCES companies(id),
  -- the host's blocked time: the meeting widened by its own buffers
  blocked         tstzrange NOT NULL,
  active          boolean NOT NULL DEFAULT true,
  overbooked      boolean NOT NULL DEFAULT false,
  PRIMARY KEY (appointment_id, user_id),
  CONSTRAINT appointment_hosts_no_overlap
    EXCLUDE USING gist (user_id WITH =, blocked WITH &&) WHERE (active AND NOT overbooked)
);
-- Slot search reads every host's busy time in one query over this index.
CREATE INDEX appointment_hosts_busy ON appointment_hosts USING gist (user_id, blocked) WHERE active;
