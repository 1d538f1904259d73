-- Recurring series (issue 13): every occurrence is an appointment of its own (own id, ICS UID,
-- reminders, events); these columns say which series it belongs to and its place in it (1-based).
-- A series has no row of its own: its id is shared by its occurrences, which are written in one
-- transaction, and the first occurrence's secret is the series secret (all occurrences share it).
ALTER TABLE appointments ADD COLUMN series_id uuid;
ALTER TABLE appointments ADD COLUMN series_position integer;
ALTER TABLE appointments ADD CONSTRAINT appointments_series_check
  CHECK ((series_id IS NULL) = (series_position IS NULL) AND (series_position IS NULL OR series_position BETWEEN 1 AND 52));

-- Listing a series (GET /v4/appointment/paginated?seriesId=) and cancelling "this and all later".
CREATE INDEX appointments_series_idx ON appointments (company_id, series_id, start_at) WHERE series_id IS NOT NULL;
