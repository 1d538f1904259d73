// Pending attendees (spec AT3/AT4): a form in progress, kept before a booking exists. Created
// with a numeric id (the contract's `attendeePendingId`); a company lists its 99 newest.
import type { Db } from '../db/database.ts';
import { invalidField } from '../lib/app-error.ts';
import type { Clock } from '../lib/clock.ts';
import { normalizeEmail } from '../lib/text.ts';

export const PENDING_LIST_LIMIT = 99;
const MAX_BRINGALONG = 5;

export interface PendingAttendeeJson {
  id: number;
  userId: string | null;
  attendee: Record<string, unknown>;
  createdAt: string;
}

export type PendingAttendeesService = ReturnType<typeof createPendingAttendeesService>;

export function createPendingAttendeesService(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;

  async function create(companyId: string, userId: string | undefined, attendee: Record<string, unknown>): Promise<number> {
    const stored = checked(attendee);
    const row = await db
      .insertInto('attendees_pending')
      .values({ company_id: companyId, user_id: userId ?? null, attendee: JSON.stringify(stored), created_at: clock.now() })
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(row.id);
  }

  async function list(companyId: string): Promise<PendingAttendeeJson[]> {
    const rows = await db
      .selectFrom('attendees_pending')
      .selectAll()
      .where('company_id', '=', companyId)
      .orderBy('id', 'desc')
      .limit(PENDING_LIST_LIMIT)
      .execute();
    return rows.map((row) => ({
      id: Number(row.id),
      userId: row.user_id,
      attendee: row.attendee,
      createdAt: row.created_at.toISOString(),
    }));
  }

  return { create, list };
}

/** Email is required unless the form is phone-only; at most 5 bring-along emails. */
function checked(attendee: Record<string, unknown>): Record<string, unknown> {
  const phoneOnly = attendee.phoneOnly === true;
  const email = typeof attendee.email === 'string' ? normalizeEmail(attendee.email) : undefined;
  if (!phoneOnly && !email) throw invalidField('attendee.email', 'attendee.email is required unless phoneOnly is true');
  if (email !== undefined && !/^[^@\s]+@[^@\s]+$/.test(email)) throw invalidField('attendee.email', 'attendee.email must be an email address');
  if (phoneOnly && typeof attendee.phone !== 'string') {
    throw invalidField('attendee.phone', 'attendee.phone is required when phoneOnly is true');
  }
  const bringalong = attendee.bringalongEmails;
  if (bringalong !== undefined && (!Array.isArray(bringalong) || bringalong.length > MAX_BRINGALONG)) {
    throw invalidField('attendee.bringalongEmails', `attendee.bringalongEmails may list at most ${MAX_BRINGALONG} emails`);
  }
  return { ...attendee, ...(email ? { email } : {}) };
}
