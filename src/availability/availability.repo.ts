// Availabilities (weekly schedules) and their exceptions in the database.
import type { Executor } from '../db/database.ts';
import type { WeeklySchedule } from '../db/schema.ts';

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
