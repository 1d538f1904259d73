// Listing appointments: filters, a bounded page, the total. The order is total (ties broken by
// id), so a client walking the pages sees every appointment exactly once.
import { sql } from 'kysely';
import type { Executor } from '../db/database.ts';
import { type AppointmentRow, NOT_BOOKED } from './appointments.repo.ts';

export interface AppointmentFilter {
  companyId: string;
  userId?: string;
  meetingTypeId?: string;
  /** The sessions of one recurring series. */
  seriesId?: string;
  /** Start at or after (epoch ms). */
  from?: Date;
  /** Start before (epoch ms). */
  to?: Date;
  status?: 'upcoming' | 'past' | 'cancelled' | 'active';
  /** Free text matched (case-insensitively, as a literal) against attendee names and emails and the meeting name. */
  search?: string;
  now: Date;
}

export interface PageRequest {
  limit: number;
  offset: number;
  sortBy?: 'start' | 'createdAt';
  descending?: boolean;
}

/** `%`, `_` and the escape character itself match literally. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

export async function listAppointments(
  db: Executor,
  filter: AppointmentFilter,
  page: PageRequest,
): Promise<{ rows: AppointmentRow[]; total: number }> {
  let query = db.selectFrom('appointments as a').where('a.company_id', '=', filter.companyId).where('a.status', 'not in', NOT_BOOKED);
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
  if (filter.seriesId !== undefined) query = query.where('a.series_id', '=', filter.seriesId);
  if (filter.from !== undefined) query = query.where('a.start_at', '>=', filter.from);
  if (filter.to !== undefined) query = query.where('a.start_at', '<', filter.to);
  if (filter.status === 'cancelled') query = query.where('a.status', '=', 'cancelled');
  if (filter.status === 'active') query = query.where('a.status', '=', 'active');
  if (filter.status === 'upcoming') query = query.where('a.status', '=', 'active').where('a.start_at', '>=', filter.now);
  if (filter.status === 'past') query = query.where('a.status', '=', 'active').where('a.start_at', '<', filter.now);
  if (filter.search !== undefined && filter.search.trim() !== '') {
    const pattern = likePattern(filter.search.trim());
    query = query.where(({ or, exists, selectFrom }) =>
      or([
        sql<boolean>`a.meeting_info->>'name' ILIKE ${pattern} ESCAPE '\\'`,
        exists(
          selectFrom('appointment_attendees as p')
            .select(sql`1`.as('one'))
            .whereRef('p.appointment_id', '=', 'a.id')
            .where(
              sql<boolean>`concat_ws(' ', p.email, p.firstname, p.lastname, p.fullname) ILIKE ${pattern} ESCAPE '\\'`,
            ),
        ),
      ]),
    );
  }

  const [rows, count] = await Promise.all([
    query
      .selectAll('a')
      .orderBy(page.sortBy === 'createdAt' ? 'a.created_at' : 'a.start_at', page.descending ? 'desc' : 'asc')
      .orderBy('a.id', page.descending ? 'desc' : 'asc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    query.select(sql<string>`count(*)`.as('total')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.total) };
}
