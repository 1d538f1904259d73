-- Double opt-in and host approval (issue 12). A provisional booking is an appointment row with
-- status 'provisional' whose host rows stay active: the exclusion constraint
-- appointment_hosts_no_overlap (WHERE active AND NOT overbooked) refuses competitors exactly as it
-- refuses them for a confirmed booking. This table holds what the hold waits for: which step is
-- pending (host approval first, then the attendee), the hashed one-time tokens of the links in
-- the emails, and when the hold expires. Independent of other migrations: it only adds tables.

-- Company defaults for meeting types whose setting is `useCompanySettings`.
CREATE TABLE company_booking_settings (
  company_id                 uuid PRIMARY KEY REFERENCES companies(id),
  double_opt_in              boolean NOT NULL DEFAULT false,
  require_host_confirmation  boolean NOT NULL DEFAULT false,
  double_opt_in_expiry_minutes      integer NOT NULL DEFAULT 1440 CHECK (double_opt_in_expiry_minutes BETWEEN 5 AND 43200),
  host_confirmation_expiry_minutes  integer NOT NULL DEFAULT 1440 CHECK (host_confirmation_expiry_minutes BETWEEN 5 AND 43200),
  updated_at                 timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE provisional_bookings (
  id                   uuid PRIMARY KEY,
  company_id           uuid NOT NULL REFERENCES companies(id),
  appointment_id       uuid NOT NULL UNIQUE REFERENCES appointments(id),
  meeting_type_id      uuid NOT NULL,
  -- the first step asked for: host approval comes first when both apply
  type                 text NOT NULL CHECK (type IN ('doubleOptIn', 'requireHostConfirmation')),
  status               text NOT NULL DEFAULT 'pending'
                       CHECK (status IN ('pending', 'confirmed', 'expired', 'declined_by_host')),
  -- the step a pending hold waits for; null once settled
  awaiting             text CHECK (awaiting IN ('host', 'attendee')),
  needs_attendee       boolean NOT NULL,
  attendee_token_hash  text UNIQUE,
  host_token_hash      text UNIQUE,
  expires_at           timestamptz NOT NULL,
  dto                  jsonb NOT NULL,
  notify_attendees     boolean NOT NULL DEFAULT true,
  decline_reason       text,
  created_at           timestamptz NOT NULL,
  updated_at           timestamptz NOT NULL,
  settled_at           timestamptz,
  CHECK ((status = 'pending') = (awaiting IS NOT NULL))
);
-- The expiry worker claims due holds in expiry order.
CREATE INDEX provisional_bookings_due ON provisional_bookings (expires_at) WHERE status = 'pending';
CREATE INDEX provisional_bookings_company ON provisional_bookings (company_id, created_at DESC);
