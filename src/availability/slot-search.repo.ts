// What slot search reads, in a fixed number of queries whatever the number of hosts or days:
// the hosts with their availability, the exceptions of those availabilities, and all hosts' busy
// time (active appointment_hosts rows, already widened by each appointment's buffers).
import { sql } from 'kysely';
import type { Executor } from '../db/database.ts';
import type { WeeklySchedule } from '../db/schema.ts';

export interface HostRow {
  user_id: string;
  user_timezone: string;
  availability_id: string | null;
  timezone: string | null;
  schedule: WeeklySchedule | null;
}

/**
 * The company's users among `userIds`, each with the availability slot search uses: the meeting
 * type's own availability for the user who owns it, otherwise the user's default.
 */
export async function loadHosts(
  db: Executor,
  companyId: string,
  userIds: readonly string[],
  meetingTypeAvailabilityId: string,
): Promise<HostRow[]> {
  const result = await sql<HostRow>`
    SELECT u.id AS user_id, u.timezone AS user_timezone, a.id AS availability_id, a.timezone, a.schedule
    FROM users u
    LEFT JOIN LATERAL (
      SELECT av.id, av.timezone, av.schedule FROM availabilities av
      WHERE av.user_id = u.id AND av.deleted_at IS NULL
      ORDER BY (av.id = ${meetingTypeAvailabilityId}::uuid) DESC, av.is_default DESC, av.created_at ASC
      LIMIT 1
    ) a ON true
    WHERE u.company_id = ${companyId} AND u.id = ANY(${userIds as string[]}::uuid[]) AND u.deleted_at IS NULL
  `.execute(db);
  return result.rows;
}

export interface ExceptionRow {
  availability_id: string;
  start_at: Date;
  end_at: Date;
  available: boolean;
}

export async function loadExceptions(
  db: Executor,
  availabilityIds: readonly string[],
  range: { from: Date; to: Date },
): Promise<ExceptionRow[]> {
  if (availabilityIds.length === 0) return [];
  return db
    .selectFrom('availability_exceptions')
    .select(['availability_id', 'start_at', 'end_at', 'available'])
    .where('availability_id', 'in', availabilityIds)
    .where('deleted_at', 'is', null)
    .where('start_at', '<', range.to)
    .where('end_at', '>', range.from)
    .execute();
}

export interface BusyRow {
  user_id: string;
  appointment_id: string;
  start_at: Date;
  end_at: Date;
}

/** Every host's active blocked time overlapping the range, in one query over the GiST index. */
export async function loadBusy(
  db: Executor,
  userIds: readonly string[],
  range: { from: Date; to: Date },
  excludeAppointmentId?: string,
): Promise<BusyRow[]> {
  const exclude = excludeAppointmentId ? sql`AND appointment_id <> ${excludeAppointmentId}::uuid` : sql``;
  const result = await sql<BusyRow>`
    SELECT user_id, appointment_id, lower(blocked) AS start_at, upper(blocked) AS end_at
    FROM appointment_hosts
    WHERE user_id = ANY(${userIds as string[]}::uuid[]) AND active
      AND blocked && tstzrange(${range.from}, ${range.to}, '[)')
      ${exclude}
    ORDER BY lower(blocked)
  `.execute(db);
  return result.rows;
}
