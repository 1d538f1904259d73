// Everything slot search reads, in ONE query whatever the number of hosts or days: the meeting
// type, the hosts with their availability, those availabilities' exceptions, and all hosts' busy
// time (active appointment_hosts rows, already widened by each appointment's buffers; and the cached
// busy time of their connected calendars, with those calendars' freshness). PostgreSQL
// builds the JSON and instants travel as epoch numbers: one round trip, no row or date parsing.
// It is a named statement (parsed once per connection, plan cached).
// Busy time is the bulk of it (200 rows per host a month): it travels per host as two flat arrays
// of epoch seconds (array_agg → array_to_json), and the ids of appointments and calendars only
// when a troubleshooting answer names them. Per-row JSON arrays with ids cost 2–3× more to build
// in PostgreSQL (PGlite runs it on the Node thread) and 6× the bytes to parse.
// A host whose busy time the caller already holds (busy-cache.ts) is checked instead: one probe of
// busy_changes for a change committed after the snapshot it was read in; only a changed host's
// busy rows are read again.
import { sql } from 'kysely';
import type { Executor } from '../db/database.ts';
import { PREPARED_MARK } from '../db/prepared.ts';
import type { DaysIntoFuture, WeeklySchedule } from '../db/schema.ts';

export interface SlotMeetingType {
  id: string;
  user_id: string;
  availability_id: string;
  enabled: boolean;
  deleted: boolean;
  duration: number;
  timeslot_interval: number | null;
  buffer_before: number;
  buffer_after: number;
  booking_minimum: number;
  days_into_future: DaysIntoFuture;
  meeting_info: Record<string, unknown>;
  meeting_options: Record<string, unknown>;
  // What a booking also needs (it reads this same statement instead of its own queries).
  name: string;
  description: string;
  channel: string;
  locations: string[];
  /** The queue of a team type (migrations/0011_queues.sql). */
  queue_id: string | null;
  slug: string;
  /** Seats per appointment; > 1 is a group session (migrations/0014_group_sessions.sql). */
  spots: number;
}

export interface SlotHostRow {
  user_id: string;
  user_timezone: string;
  email: string;
  given_name: string;
  family_name: string;
  slug: string;
  availability_id: string | null;
  timezone: string | null;
  schedule: WeeklySchedule | null;
  exceptions: { start: number; end: number; available: boolean }[];
  /** Active appointments' blocked time, ordered by start. */
  busy: BusyColumns;
  /** Busy time of the host's connected calendars (src/calendars/); `ids` are calendar ids. */
  calendar_busy: BusyColumns;
  /** The host's busy-time calendars and how fresh their busy time is. */
  calendars: { id: string; name: string; synced_at: number | null; error: string | null }[];
  /**
   * The busy time cached for this host (SlotDataQuestion.cached) is still exact: nothing changed
   * it since its snapshot. Then `busy` and `calendar_busy` are left empty.
   */
  fresh: boolean;
}

/**
 * Busy intervals as parallel arrays: starts and ends in epoch SECONDS (as PostgreSQL's
 * date_part gives them; × 1000 for milliseconds), and with `withIds` whose they are.
 */
export interface BusyColumns {
  starts: number[];
  ends: number[];
  ids?: string[];
}

export interface SlotData {
  meetingType: SlotMeetingType | null;
  hosts: SlotHostRow[];
  /** The statement's snapshot (pg_current_snapshot()), what busy time read now is exact as of. */
  snapshot: string;
}

const ms = (expression: ReturnType<typeof sql>) => sql`(date_part('epoch', ${expression}) * 1000)`;
const seconds = (expression: ReturnType<typeof sql>) => sql`date_part('epoch', ${expression})`;

/**
 * One host's busy rows as BusyColumns, ordered by start, then id, so the arrays line up: rows that
 * tie on both have the same start and id (one calendar's blocks), so only their ends could trade
 * places, which describes the same set of intervals.
 */
function busyColumns(range: ReturnType<typeof sql>, id: ReturnType<typeof sql>, withIds: boolean) {
  const order = sql`ORDER BY lower(${range}), ${id}`;
  return sql`json_build_object(
    'starts', coalesce(array_to_json(array_agg(${seconds(sql`lower(${range})`)} ${order})), '[]'::json),
    'ends', coalesce(array_to_json(array_agg(${seconds(sql`upper(${range})`)} ${order})), '[]'::json)
    ${withIds ? sql`, 'ids', coalesce(array_to_json(array_agg(${id} ${order})), '[]'::json)` : sql``})`;
}

/**
 * The meeting type and its hosts (`hostIds`, or the type's own user when empty) of one company.
 * Each host's availability is the type's own for the user who owns it, otherwise the user's
 * default. Exceptions and busy time are those overlapping `range`.
 */
export interface SlotDataQuestion {
  companyId: string;
  meetingTypeId: string;
  hostIds: readonly string[];
  range: { from: Date; to: Date };
  excludeAppointmentId?: string;
  /** Also the ids of the appointments and calendars that make up busy time (troubleshooting). */
  withIds?: boolean;
  /**
   * Hosts whose busy time the caller holds, each with the snapshot it was read in
   * (busy-cache.ts): their busy time is read only if a change committed since.
   */
  cached?: { userIds: readonly string[]; snapshots: readonly string[] };
}

export async function loadSlotData(db: Executor, input: SlotDataQuestion): Promise<SlotData> {
  const result = await slotDataQuery(input).execute(db);
  const row = result.rows[0];
  return { meetingType: row?.meeting_type ?? null, hosts: row?.hosts ?? [], snapshot: row?.snapshot ?? '' };
}

/** The statement itself (exported so its plan can be inspected). */
export function slotDataQuery(input: SlotDataQuestion) {
  const { companyId, range } = input;
  const window = sql`tstzrange(${range.from}, ${range.to}, '[)')`;
  const exclude = input.excludeAppointmentId ? sql`AND ah.appointment_id <> ${input.excludeAppointmentId}::uuid` : sql``;
  const withIds = input.withIds === true;
  const label = withIds ? 'slot_data_ids' : 'slot_data';
  // A fresh host's busy time is not read: empty columns (the caller holds it).
  const noBusy = sql`'{"starts":[],"ends":[]}'::json`;
  const cachedIds = (input.cached?.userIds ?? []) as string[];
  const cachedSnapshots = (input.cached?.snapshots ?? []) as string[];
  return sql<{ meeting_type: SlotMeetingType | null; hosts: SlotHostRow[] | null; snapshot: string }>`${sql.raw(`${PREPARED_MARK} ${label} */`)}
    WITH mt AS (
      SELECT id, user_id, availability_id, enabled, deleted_at IS NOT NULL AS deleted, duration, timeslot_interval,
             buffer_before, buffer_after, booking_minimum, days_into_future, meeting_info, meeting_options,
             name, description, channel, locations, slug, spots,
             (SELECT q.id FROM queues q WHERE q.meeting_type_id = meeting_types.id) AS queue_id
      FROM meeting_types WHERE company_id = ${companyId} AND id = ${input.meetingTypeId}::uuid
    ), wanted AS (
      SELECT unnest(CASE WHEN cardinality(${input.hostIds as string[]}::uuid[]) > 0 THEN ${input.hostIds as string[]}::uuid[]
                         ELSE ARRAY(SELECT user_id FROM mt) END) AS id
    ), hosts AS (
      SELECT u.id AS user_id, u.timezone AS user_timezone, u.email, u.given_name, u.family_name, u.slug,
             a.id AS availability_id, a.timezone, a.schedule
      FROM users u
      LEFT JOIN LATERAL (
        SELECT av.id, av.timezone, av.schedule FROM availabilities av
        WHERE av.user_id = u.id AND av.deleted_at IS NULL
        ORDER BY (av.id = (SELECT availability_id FROM mt)) IS TRUE DESC, av.is_default DESC, av.created_at ASC
        LIMIT 1
      ) a ON true
      WHERE u.company_id = ${companyId} AND u.id = ANY(ARRAY(SELECT id FROM wanted)) AND u.deleted_at IS NULL
    ), exceptions AS (
      SELECT e.availability_id, json_agg(json_build_object(
               'start', ${ms(sql`e.start_at`)}, 'end', ${ms(sql`e.end_at`)}, 'available', e.available
             ) ORDER BY e.start_at) AS list
      FROM availability_exceptions e
      WHERE e.availability_id = ANY(ARRAY(SELECT availability_id FROM hosts)) AND e.deleted_at IS NULL
        AND e.start_at < ${range.to} AND e.end_at > ${range.from}
      GROUP BY e.availability_id
    ), cached AS (
      SELECT user_id, snapshot::pg_snapshot AS snapshot FROM unnest(${cachedIds}::uuid[], ${cachedSnapshots}::text[]) AS c(user_id, snapshot)
    ), checked AS (
      -- A cached host is fresh when no change to its busy time committed after its snapshot (one
      -- index probe over recent changes only); only the others' busy rows are read below.
      SELECT h.user_id, k.snapshot IS NOT NULL AND NOT EXISTS (
               SELECT 1 FROM busy_changes bc
               WHERE bc.user_id = h.user_id AND bc.xid >= pg_snapshot_xmin(k.snapshot) AND NOT pg_visible_in_snapshot(bc.xid, k.snapshot)
             ) AS fresh
      FROM hosts h LEFT JOIN cached k ON k.user_id = h.user_id
    ), busy AS (
      -- Per host rather than user_id = ANY(…): GiST cannot use an array condition, and
      -- (user_id, blocked) together keep this an index range scan however many users exist.
      SELECT s.user_id, b.list FROM checked s CROSS JOIN LATERAL (
        SELECT ${busyColumns(sql`ah.blocked`, sql`ah.appointment_id`, withIds)} AS list
        FROM appointment_hosts ah
        WHERE ah.user_id = s.user_id AND ah.active AND ah.blocked && ${window} ${exclude}
      ) b
      WHERE NOT s.fresh
    ), calendar_busy AS (
      SELECT s.user_id, b.list FROM checked s CROSS JOIN LATERAL (
        SELECT ${busyColumns(sql`cb.busy`, sql`cb.calendar_id`, withIds)} AS list
        FROM calendar_busy cb JOIN connected_calendars c ON c.id = cb.calendar_id AND c.busy
        WHERE cb.user_id = s.user_id AND cb.busy && ${window}
      ) b
      WHERE NOT s.fresh
    )
    SELECT
      pg_current_snapshot()::text AS snapshot,
      (SELECT row_to_json(mt) FROM mt) AS meeting_type,
      (SELECT json_agg(json_build_object(
         'user_id', h.user_id, 'user_timezone', h.user_timezone, 'email', h.email, 'given_name', h.given_name,
         'family_name', h.family_name, 'slug', h.slug, 'availability_id', h.availability_id,
         'timezone', h.timezone, 'schedule', h.schedule,
         'exceptions', coalesce(x.list, '[]'::json), 'busy', coalesce(b.list, ${noBusy}),
         'calendar_busy', coalesce(cb.list, ${noBusy}), 'calendars', coalesce(cs.list, '[]'::json), 'fresh', s.fresh))
       FROM hosts h
       JOIN checked s ON s.user_id = h.user_id
       LEFT JOIN busy b ON b.user_id = h.user_id
       LEFT JOIN calendar_busy cb ON cb.user_id = h.user_id
       LEFT JOIN LATERAL (
         SELECT json_agg(json_build_object('id', c.id, 'name', c.name, 'synced_at', ${ms(sql`c.synced_at`)}, 'error', c.last_error)
                ORDER BY c.created_at) AS list
         FROM connected_calendars c WHERE c.user_id = h.user_id AND c.busy
       ) cs ON true
       LEFT JOIN exceptions x ON x.availability_id = h.availability_id) AS hosts
  `;
}
