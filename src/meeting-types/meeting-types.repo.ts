// Meeting types in the database.
import { type Selectable, sql } from 'kysely';
import type { Executor } from '../db/database.ts';
import { SQLSTATE, constraintName, sqlState } from '../db/errors.ts';
import type { MeetingTypesTable } from '../db/schema.ts';
import { AppError } from '../lib/app-error.ts';

export const slugConflict = () => new AppError('conflict', 'A meeting type with this slug already exists');

/** A slug taken meanwhile (the unique index per user) is the 409 of a taken slug. */
function slugConflictOf(error: unknown): unknown {
  return sqlState(error) === SQLSTATE.uniqueViolation && constraintName(error) === 'meeting_types_slug_unique' ? slugConflict() : error;
}

export interface NewMeetingType {
  companyId: string;
  userId: string;
  availabilityId: string;
  slug: string;
  name: string;
  description?: string;
  duration: number;
  channel: string;
}

export async function insertMeetingType(db: Executor, input: NewMeetingType): Promise<string> {
  const row = await db
    .insertInto('meeting_types')
    .values({
      company_id: input.companyId,
      user_id: input.userId,
      availability_id: input.availabilityId,
      slug: input.slug,
      name: input.name,
      description: input.description ?? '',
      duration: input.duration,
      channel: input.channel,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
    .catch((error: unknown) => {
      throw slugConflictOf(error);
    });
  return row.id;
}

export type MeetingTypeRow = Selectable<MeetingTypesTable>;

/**
 * One meeting type of a company by id, soft-deleted ones included (check `deleted_at`): bookings
 * and history still need a deleted type. Another company's id finds nothing.
 */
export async function findMeetingType(db: Executor, companyId: string, id: string): Promise<MeetingTypeRow | undefined> {
  return db
    .selectFrom('meeting_types')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The live meeting types of one user, oldest first. */
export async function listMeetingTypes(db: Executor, companyId: string, userId: string): Promise<MeetingTypeRow[]> {
  return db
    .selectFrom('meeting_types')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('user_id', '=', userId)
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function meetingTypeSlugTaken(db: Executor, userId: string, slug: string, exceptId?: string): Promise<boolean> {
  let query = db
    .selectFrom('meeting_types')
    .select('id')
    .where('user_id', '=', userId)
    .where('slug', '=', slug)
    .where('deleted_at', 'is', null);
  if (exceptId) query = query.where('id', '!=', exceptId);
  return (await query.executeTakeFirst()) !== undefined;
}

/** Columns a meeting-type write sets; JSON columns as values (serialised here). */
export interface MeetingTypeColumns {
  slug: string;
  availability_id: string;
  name: string;
  description: string;
  duration: number;
  channel: string;
  buffer_before: number;
  buffer_after: number;
  enabled: boolean;
  timeslot_interval: number | null;
  booking_minimum: number;
  spots: number;
  days_into_future: unknown;
  meeting_info: unknown;
  meeting_options: unknown;
  locations: unknown;
  metadata: unknown;
  reminder_minutes: unknown;
}

function serialised(columns: MeetingTypeColumns) {
  return {
    ...columns,
    days_into_future: JSON.stringify(columns.days_into_future),
    meeting_info: JSON.stringify(columns.meeting_info),
    meeting_options: JSON.stringify(columns.meeting_options),
    locations: JSON.stringify(columns.locations),
    metadata: JSON.stringify(columns.metadata),
    reminder_minutes: JSON.stringify(columns.reminder_minutes),
  };
}

export async function insertMeetingTypeColumns(
  db: Executor,
  owner: { companyId: string; userId: string },
  columns: MeetingTypeColumns,
): Promise<string> {
  const row = await db
    .insertInto('meeting_types')
    .values({ company_id: owner.companyId, user_id: owner.userId, ...serialised(columns) })
    .returning('id')
    .executeTakeFirstOrThrow()
    .catch((error: unknown) => {
      throw slugConflictOf(error);
    });
  return row.id;
}

export async function updateMeetingTypeColumns(db: Executor, id: string, columns: MeetingTypeColumns): Promise<void> {
  await db
    .updateTable('meeting_types')
    .set({ ...serialised(columns), updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute()
    .catch((error: unknown) => {
      throw slugConflictOf(error);
    });
}

export async function softDeleteMeetingType(db: Executor, id: string): Promise<void> {
  await db
    .updateTable('meeting_types')
    .set({ deleted_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}
