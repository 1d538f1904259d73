-- Which hosts' busy time changed, and in which transaction (issue 10: slot search for large teams).
-- Slot search keeps each host's busy time in memory (src/availability/busy-cache.ts) together with
-- the snapshot it was read in. The next search asks, in its one statement, whether a change to that
-- host committed since: a row here whose transaction that snapshot does not see. Writers only
-- INSERT (statement-level triggers, one row per host and statement), so bookings of one host never
-- wait for each other here, and no order of hosts can deadlock.
-- Old rows are deleted by the compactor (src/availability/busy-changes.ts) once no cached snapshot
-- can still miss them.
CREATE TABLE busy_changes (
  user_id  uuid NOT NULL,
  xid      xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX busy_changes_user_xid ON busy_changes (user_id, xid);

CREATE FUNCTION busy_changes_from_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO busy_changes (user_id) SELECT DISTINCT user_id FROM new_rows;
  RETURN NULL;
END $$;

CREATE FUNCTION busy_changes_from_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO busy_changes (user_id) SELECT DISTINCT user_id FROM old_rows;
  RETURN NULL;
END $$;

CREATE FUNCTION busy_changes_from_both() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO busy_changes (user_id) SELECT user_id FROM new_rows UNION SELECT user_id FROM old_rows;
  RETURN NULL;
END $$;

-- Appointments' blocked time (bookings, cancellations, reschedules, holds, seats' sessions).
CREATE TRIGGER appointment_hosts_busy_insert AFTER INSERT ON appointment_hosts
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION busy_changes_from_new();
CREATE TRIGGER appointment_hosts_busy_update AFTER UPDATE ON appointment_hosts
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION busy_changes_from_both();
CREATE TRIGGER appointment_hosts_busy_delete AFTER DELETE ON appointment_hosts
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION busy_changes_from_old();

-- Connected calendars' busy time (each sync replaces a calendar's rows).
CREATE TRIGGER calendar_busy_busy_insert AFTER INSERT ON calendar_busy
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION busy_changes_from_new();
CREATE TRIGGER calendar_busy_busy_update AFTER UPDATE ON calendar_busy
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION busy_changes_from_both();
CREATE TRIGGER calendar_busy_busy_delete AFTER DELETE ON calendar_busy
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION busy_changes_from_old();

-- A calendar switched to or from blocking time changes its host's busy time without touching its rows.
CREATE FUNCTION busy_changes_from_calendar() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO busy_changes (user_id) VALUES (NEW.user_id);
  IF OLD.user_id IS DISTINCT FROM NEW.user_id THEN INSERT INTO busy_changes (user_id) VALUES (OLD.user_id); END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER connected_calendars_busy_flag AFTER UPDATE OF busy, user_id ON connected_calendars
  FOR EACH ROW WHEN (OLD.busy IS DISTINCT FROM NEW.busy OR OLD.user_id IS DISTINCT FROM NEW.user_id)
  EXECUTE FUNCTION busy_changes_from_calendar();
