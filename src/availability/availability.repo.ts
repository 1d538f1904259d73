// Availabilities (weekly schedules) and their exceptions in the database.
import { type Selectable, sql } from 'kysely';
import type { Executor } from '../db/database.ts';
import type { AvailabilitiesTable, AvailabilityExceptionsTable, WeeklySchedule } from '../db/schema.ts';

export interface NewAvailability {
  companyId: string;
  userId: string;
  name: string;
  timezone: string;
  schedule: WeeklySchedule;
  isDefault: boolean;
}

export async function insertAvailability(db: Executor, input: NewAvailability): Promise<string> {
  const row = await db
    .insertInto('availabilities')
    .values({
      company_id: input.companyId,
      user_id: input.userId,
      name: input.name,
      timezone: input.timezone,
      schedule: JSON.stringify(input.schedule),
      is_default: input.isDefault,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export type AvailabilityRow = Selectable<AvailabilitiesTable>;
export type ExceptionRow = Selectable<AvailabilityExceptionsTable>;

export async function listAvailabilities(db: Executor, companyId: string, userId: string): Promise<AvailabilityRow[]> {
  return db
    .selectFrom('availabilities')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('user_id', '=', userId)
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** A live availability of this user in this company; anything else finds nothing. */
export async function findAvailability(
  db: Executor,
  scope: { companyId: string; userId: string },
  id: string,
): Promise<AvailabilityRow | undefined> {
  return db
    .selectFrom('availabilities')
    .selectAll()
    .where('company_id', '=', scope.companyId)
    .where('user_id', '=', scope.userId)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

export async function listExceptions(db: Executor, availabilityIds: readonly string[]): Promise<ExceptionRow[]> {
  if (availabilityIds.length === 0) return [];
  return db
    .selectFrom('availability_exceptions')
    .selectAll()
    .where('availability_id', 'in', availabilityIds)
    .where('deleted_at', 'is', null)
    .orderBy('start_at')
    .orderBy('id')
    .execute();
}

export interface AvailabilityPatch {
  name?: string;
  timezone?: string;
  schedule?: WeeklySchedule;
  isDefault?: boolean;
}

export async function updateAvailability(db: Executor, id: string, patch: AvailabilityPatch): Promise<void> {
  await db
    .updateTable('availabilities')
    .set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.timezone !== undefined ? { timezone: patch.timezone } : {}),
      ...(patch.schedule !== undefined ? { schedule: JSON.stringify(patch.schedule) } : {}),
      ...(patch.isDefault !== undefined ? { is_default: patch.isDefault } : {}),
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', id)
    .execute();
}

/** Makes `id` the user's only default availability. */
export async function makeDefault(db: Executor, userId: string, id: string): Promise<void> {
  await db
    .updateTable('availabilities')
    .set({ is_default: sql`(id = ${id})` as unknown as boolean })
    .where('user_id', '=', userId)
    .where('deleted_at', 'is', null)
    .execute();
}

export async function softDeleteAvailability(db: Executor, id: string): Promise<void> {
  await db
    .updateTable('availabilities')
    .set({ deleted_at: sql<Date>`now()`, is_default: false })
    .where('id', '=', id)
    .execute();
}

/** Live meeting types that use an availability (deleting it would leave them without hours). */
export async function meetingTypesUsing(
  db: Executor,
  availabilityId: string,
  exceptMeetingTypeId?: string,
): Promise<{ id: string; slug: string }[]> {
  let query = db
    .selectFrom('meeting_types')
    .select(['id', 'slug'])
    .where('availability_id', '=', availabilityId)
    .where('deleted_at', 'is', null);
  if (exceptMeetingTypeId) query = query.where('id', '!=', exceptMeetingTypeId);
  return query.orderBy('created_at').execute();
}

/** Serialises changes to one user's set of availabilities (the last one must stay). */
export async function lockUser(db: Executor, userId: string): Promise<void> {
  await db.selectFrom('users').select('id').where('id', '=', userId).forUpdate().execute();
}

export interface NewException {
  availabilityId: string;
  start: Date;
  end: Date;
  available: boolean;
  title: string | null;
  note: string | null;
}

export async function insertException(db: Executor, input: NewException): Promise<ExceptionRow> {
  return db
    .insertInto('availability_exceptions')
    .values({
      availability_id: input.availabilityId,
      start_at: input.start,
      end_at: input.end,
      available: input.available,
      title: input.title,
      note: input.note,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function softDeleteException(db: Executor, availabilityId: string, exceptionId: string): Promise<boolean> {
  const result = await db
    .updateTable('availability_exceptions')
    .set({ deleted_at: sql<Date>`now()` })
    .where('availability_id', '=', availabilityId)
    .where('id', '=', exceptionId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
