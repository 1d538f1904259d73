-- Bookings: everything an appointment carries beyond its time and hosts (0002), its attendees
-- with their guests, and the idempotency keys of booking, cancel and reschedule requests.

ALTER TABLE appointments
  ADD COLUMN channel              text,
  ADD COLUMN location             text,
  ADD COLUMN meeting_link         text,
  -- the meeting type's meetingInfo as it stood at booking time (name, duration, buffers, …)
  ADD COLUMN meeting_info         jsonb NOT NULL DEFAULT '{}',
  ADD COLUMN main_host_id         uuid REFERENCES users(id),
  ADD COLUMN note                 text,
  -- { actionSource, actionAt, actionBy, reason } once cancelled
  ADD COLUMN cancel               jsonb,
  ADD COLUMN rescheduled_at       timestamptz,
  ADD COLUMN rescheduled_from_id  uuid REFERENCES appointments(id),
  ADD COLUMN rescheduled_to_id    uuid REFERENCES appointments(id);

CREATE INDEX appointments_meeting_type ON appointments (meeting_type_id, start_at);
-- Lists by host read host rows by user first.
CREATE INDEX appointment_hosts_user ON appointment_hosts (user_id, appointment_id);

CREATE TABLE appointment_attendees (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  appointment_id     uuid NOT NULL REFERENCES appointments(id),
  company_id         uuid NOT NULL REFERENCES companies(id),
  position           integer NOT NULL DEFAULT 0,
  email              text NOT NULL CHECK (length(email) BETWEEN 3 AND 320),
  firstname          text,
  lastname           text,
  fullname           text,
  phone              text,
  company            text,
  language           text,
  timezone           text,
  notes              jsonb NOT NULL DEFAULT '{}',
  custom_fields      jsonb NOT NULL DEFAULT '{}',
  -- guests the attendee brings along (emails only)
  bringalong_emails  jsonb NOT NULL DEFAULT '[]',
  receive_reminders  boolean NOT NULL DEFAULT true,
  no_show            boolean NOT NULL DEFAULT false,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX appointment_attendees_appointment ON appointment_attendees (appointment_id, position);

-- A replayable answer per (company, key). The key is stored hashed and the answer encrypted with a
-- key derived from it: the answer may hold an appointment secret, readable only by the key's holder.
CREATE TABLE idempotency_keys (
  company_id    uuid NOT NULL REFERENCES companies(id),
  key_hash      text NOT NULL,
  fingerprint   text NOT NULL,
  response      text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (company_id, key_hash)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
