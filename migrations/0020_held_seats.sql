-- Held seats (issue 12 item 7 with issue 11): a double opt-in or host approval hold on a group
-- session names the seat it holds. The seat itself lives in appointment_attendees with seat_status
-- 'provisional' and counts against the session's capacity (taken_spots) like a confirmed one; the
-- hold row says what it waits for. One session can therefore have many holds (one per seat), so
-- the one-hold-per-appointment rule of 0015 now applies to whole-appointment holds only.
-- Independent of other migrations: it only changes provisional_bookings.
ALTER TABLE provisional_bookings ADD COLUMN attendee_id uuid UNIQUE REFERENCES appointment_attendees(id);
ALTER TABLE provisional_bookings DROP CONSTRAINT provisional_bookings_appointment_id_key;
CREATE UNIQUE INDEX provisional_bookings_one_per_appointment ON provisional_bookings (appointment_id) WHERE attendee_id IS NULL;
CREATE INDEX provisional_bookings_appointment ON provisional_bookings (appointment_id);
