// Inserts appointments the way bookings will store them (an appointments row plus one
// appointment_hosts row per host blocking the meeting widened by its buffers), so slot search
// can be tested before and independently of the bookings API.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../src/db/database.ts';

export interface AppointmentFixture {
  companyId: string;
  meetingTypeId: string;
  hostIds: string[];
  start: string | Date;
  end: string | Date;
  bufferBefore?: number;
  bufferAfter?: number;
  status?: 'active' | 'cancelled';
}

export async function insertAppointment(db: Db, input: AppointmentFixture): Promise<string> {
  const start = new Date(input.start);
  const end = new Date(input.end);
  const before = input.bufferBefore ?? 0;
  const after = input.bufferAfter ?? 0;
  const active = (input.status ?? 'active') === 'active';
  const { id } = await db
    .insertInto('appointments')
    .values({
      company_id: input.companyId,
      meeting_type_id: input.meetingTypeId,
      start_at: start,
      end_at: end,
      buffer_before: before,
      buffer_after: after,
      status: input.status ?? 'active',
      secret_hash: `test-${randomUUID()}`,
      ics_uid: `${randomUUID()}@termin.test`,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const from = new Date(start.getTime() - before * 60_000);
  const to = new Date(end.getTime() + after * 60_000);
  for (const hostId of input.hostIds) {
    await db
      .insertInto('appointment_hosts')
      .values({
        appointment_id: id,
        user_id: hostId,
        company_id: input.companyId,
        blocked: sql`tstzrange(${from}, ${to}, '[)')`,
        active,
      })
      .execute();
  }
  return id;
}
