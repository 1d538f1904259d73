// Meeting types in the database.
import type { Executor } from '../db/database.ts';

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
