// Meeting types in the database.
import type { Selectable } from 'kysely';
import type { Executor } from '../db/database.ts';
import type { MeetingTypesTable } from '../db/schema.ts';

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
    .executeTakeFirstOrThrow();
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
