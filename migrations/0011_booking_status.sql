-- A booking's status can be more than active/cancelled: provisional (held, awaiting the attendee's
-- or host's confirmation), expired and declined come with double opt-in and host confirmation.
-- 'active' stays the confirmed state, so existing rows and queries keep their meaning. Whether a
-- status holds the host's time is the host row's `active` flag (written with the appointment).
ALTER TABLE appointments DROP CONSTRAINT IF EXISTS appointments_status_check;
ALTER TABLE appointments ADD CONSTRAINT appointments_status_check
  CHECK (status IN ('active', 'provisional', 'cancelled', 'expired', 'declined'));
