-- Group sessions (meeting types with spots > 1): one appointment shared by many attendees, each
-- with an own seat and secret. Capacity is the database's to guarantee, not a prior count's:
-- every appointment carries its capacity (`spots`, the meeting type's at booking time) and a seat
-- counter (`taken_spots`) that a CHECK keeps within it. Taking a seat is an UPDATE of that counter
-- on the appointment row, so concurrent joins queue on the row lock and the one past capacity
-- fails the CHECK (or finds no row with a free seat) — under any concurrency, on both engines.
-- A plain appointment has one spot and one seat taken; the host exclusion constraint still
-- refuses any other appointment overlapping a session.
ALTER TABLE appointments ADD COLUMN spots integer NOT NULL DEFAULT 1;
ALTER TABLE appointments ADD COLUMN taken_spots integer NOT NULL DEFAULT 1;
ALTER TABLE appointments ADD CONSTRAINT appointments_seats_within_spots
  CHECK (spots BETWEEN 1 AND 100 AND taken_spots BETWEEN 0 AND spots);
-- Finding the open session of a start (the join path and slot search).
CREATE INDEX appointments_group_sessions ON appointments (meeting_type_id, start_at) WHERE spots > 1;

-- Each attendee's seat has its own status (the same values as an appointment's): a removed
-- attendee's seat is 'cancelled' while the appointment goes on; a held seat (double opt-in) will be
-- 'provisional'. Seats whose status holds time ('active', 'provisional') are the ones counted.
ALTER TABLE appointment_attendees ADD COLUMN seat_status text NOT NULL DEFAULT 'active'
  CHECK (seat_status IN ('active', 'provisional', 'cancelled', 'expired', 'declined'));
-- An attendee's own self-service secret (hash to find and check, sealed copy to show again); null
-- for attendees of plain appointments, whose secret is the appointment's.
ALTER TABLE appointment_attendees ADD COLUMN secret_hash text;
ALTER TABLE appointment_attendees ADD COLUMN secret_sealed text;
-- One seat per email and session among the seats that count.
CREATE UNIQUE INDEX appointment_attendees_one_seat_per_email
  ON appointment_attendees (appointment_id, lower(email)) WHERE seat_status IN ('active', 'provisional');
