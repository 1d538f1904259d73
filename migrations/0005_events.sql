-- Events out: webhook subscriptions and their signing secrets, webhook deliveries with every
-- attempt, email jobs and reminders. The dispatcher fans each outbox event out into these rows in
-- one transaction; workers claim due rows with FOR UPDATE SKIP LOCKED, so instances cooperate.

-- Keys that encrypt stored signing secrets when TERMIN_SECRET_KEY is not configured.
CREATE TABLE encryption_keys (
  id          text PRIMARY KEY,
  key         text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE webhooks (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  company_id       uuid NOT NULL REFERENCES companies(id),
  endpoint         text NOT NULL CHECK (length(endpoint) BETWEEN 8 AND 2048),
  description      text NOT NULL DEFAULT '',
  event_types      text[] NOT NULL CHECK (cardinality(event_types) >= 1),
  active           boolean NOT NULL DEFAULT true,
  disabled_reason  text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  deleted_at       timestamptz
);
CREATE INDEX webhooks_company ON webhooks (company_id, created_at) WHERE deleted_at IS NULL;

-- Signing secrets, encrypted (AES-256-GCM). A rotation keeps the old secret signing until
-- expires_at, so receivers can switch without losing a delivery.
CREATE TABLE webhook_secrets (
  id              bigserial PRIMARY KEY,
  webhook_id      uuid NOT NULL REFERENCES webhooks(id),
  secret_sealed   text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  expires_at      timestamptz
);
CREATE INDEX webhook_secrets_webhook ON webhook_secrets (webhook_id);

-- One delivery per subscription per event. dedupe_key is the event id, except for
-- booking_cancelled where it is the appointment: an appointment is cancelled once.
CREATE TABLE webhook_deliveries (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  webhook_id       uuid NOT NULL REFERENCES webhooks(id),
  company_id       uuid NOT NULL REFERENCES companies(id),
  event_id         uuid NOT NULL,
  event_type       text NOT NULL,
  dedupe_key       text NOT NULL,
  -- the exact JSON sent (text, not jsonb: jsonb would reorder the keys of what receivers see)
  body             text NOT NULL,
  replay_of        uuid REFERENCES webhook_deliveries(id),
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
  attempt_count    integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  last_error       text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  completed_at     timestamptz,
  UNIQUE (webhook_id, dedupe_key)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, created_at DESC);

CREATE TABLE webhook_attempts (
  id             bigserial PRIMARY KEY,
  delivery_id    uuid NOT NULL REFERENCES webhook_deliveries(id),
  attempt        integer NOT NULL,
  attempted_at   timestamptz NOT NULL,
  status_code    integer,
  duration_ms    integer NOT NULL,
  error          text,
  response_body  text
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, attempt);

-- Emails to send. The self-service secret is never copied here: rendering reads it from the
-- outbox event, which is scrubbed once the emails that need it are done.
CREATE TABLE email_jobs (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  company_id       uuid NOT NULL REFERENCES companies(id),
  event_id         uuid,
  kind             text NOT NULL,
  recipient        text NOT NULL,
  dedupe_key       text NOT NULL UNIQUE,
  payload          jsonb NOT NULL,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempt_count    integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  last_error       text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  sent_at          timestamptz
);
CREATE INDEX email_jobs_due ON email_jobs (next_attempt_at) WHERE status = 'pending';
CREATE INDEX email_jobs_event ON email_jobs (event_id) WHERE status = 'pending';

-- Reminder emails, one per attendee per offset. Rescheduling moves due_at; cancelling drops them.
CREATE TABLE reminders (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  company_id      uuid NOT NULL REFERENCES companies(id),
  appointment_id  uuid NOT NULL,
  recipient       text NOT NULL,
  offset_minutes  integer NOT NULL,
  due_at          timestamptz NOT NULL,
  payload         jsonb NOT NULL,
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'queued', 'cancelled')),
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (appointment_id, recipient, offset_minutes)
);
CREATE INDEX reminders_due ON reminders (due_at) WHERE status = 'pending';

-- Wake the dispatcher of every instance when an event commits (NOTIFY is delivered on commit
-- only, so nothing wakes for a rolled-back change).
CREATE FUNCTION termin_notify_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('termin_outbox', '');
  RETURN NULL;
END $$;
CREATE TRIGGER outbox_events_notify AFTER INSERT ON outbox_events
  FOR EACH STATEMENT EXECUTE FUNCTION termin_notify_outbox();
