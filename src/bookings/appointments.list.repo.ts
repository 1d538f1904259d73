// Listing appointments: filters, a bounded page, the total, sorted by start.
import { sql } from 'kysely';
import type { Executor } from '../db/database.ts';
import type { AppointmentRow } from './appointments.repo.ts';

export interface AppointmentFilter {
  companyId: string;
  userId?: string;
  meetingTypeId?: string;
  /** Start at or after (epoch ms). */
  from?: Date;
  /** Start before (epoch ms). */
  to?: Date;
  status?: 'upcoming' | 'past' | 'cancelled' | 'active';
  now: Date;
}

export async function listAppointments(
  db: Executor,
  filter: AppointmentFilter,
  page: { limit: number; offset: number; descending?: boolean },
): Promise<{ rows: AppointmentRow[]; total: number }> {
  let query = db.selectFrom('appointments as a').where('a.company_id', '=', filter.companyId);
  if (filter.userId !== undefined) {
    const userId = filter.userId;
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('appointment_hosts as h')
          .select(sql`1`.as('one'))
          .whereRef('h.appointment_id', '=', 'a.id')
          .where('h.user_id', '=', userId),
      ),
    );
  }
  if (filter.meetingTypeId !== undefined) query = query.where('a.meeting_type_id', '=', filter.meetingTypeId);
  if (filter.from !== undefined) query = query.where('a.start_at', '>=', filter.from);
  if (filter.to !== undefined) query = query.where('a.start_at', '<', filter.to);
  if (filter.status === 'cancelled') query = query.where('a.status', '=', 'cancelled');
  if (filter.status === 'active') query = query.where('a.status', '=', 'active');
  if (filter.status === 'upcoming') query = query.where('a.status', '=', 'active').where('a.start_at', '>=', filter.now);
  if (filter.status === 'past') query = query.where('a.status', '=', 'active').where('a.start_at', '<', filter.now);

  const [rows, count] = await Promise.all([
    query
      .selectAll('a')
      .orderBy('a.start_at', page.descending ? 'desc' : 'asc')
      .orderBy('a.id')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    query.select(sql<string>`count(*)`.as('total')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.total) };
}
