// Reminders: scheduled when a booking is dispatched, moved on reschedule, dropped on cancel; the
// reminder worker turns due ones into email jobs.
import { sql } from 'kysely';
import type { Executor } from '../db/database.ts';
import { nextPendingDue } from '../outbox/work-queue.repo.ts';
import { isUuid } from '../lib/ids.ts';
import type { EmailPayload, PlannedReminder } from './email.plan.ts';

const DEFAULT_OFFSETS = [1440];

export async function reminderOffsets(db: Executor, companyId: string, meetingTypeId: string | undefined): Promise<number[]> {
  if (!isUuid(meetingTypeId)) return DEFAULT_OFFSETS;
  const row = await db
    .selectFrom('meeting_types')
    .select('reminder_minutes')
    .where('company_id', '=', companyId)
    .where('id', '=', meetingTypeId)
    .executeTakeFirst();
  const offsets = row?.reminder_minutes;
  return Array.isArray(offsets) ? offsets.filter((n) => Number.isInteger(n) && n > 0) : DEFAULT_OFFSETS;
}

/** Drops the pending reminders of an appointment (cancel, or before a reschedule re-plans them). */
export async function cancelReminders(db: Executor, appointmentId: string): Promise<void> {
  await db
    .updateTable('reminders')
    .set({ status: 'cancelled' })
    .where('appointment_id', '=', appointmentId)
    .where('status', '=', 'pending')
    .execute();
}

/** Inserts or moves reminders; one row per (appointment, recipient, offset) keeps its id when moved. */
export async function upsertReminders(
  db: Executor,
  input: { companyId: string; appointmentId: string; reminders: PlannedReminder[] },
): Promise<void> {
  if (input.reminders.length === 0) return;
  await db
    .insertInto('reminders')
    .values(
      input.reminders.map((reminder) => ({
        company_id: input.companyId,
        appointment_id: input.appointmentId,
        recipient: reminder.recipient,
        offset_minutes: reminder.offsetMinutes,
        due_at: reminder.dueAt,
        payload: JSON.stringify(reminder.payload),
      })),
    )
    .onConflict((oc) =>
      oc.columns(['appointment_id', 'recipient', 'offset_minutes']).doUpdateSet({
        due_at: (eb) => eb.ref('excluded.due_at'),
        payload: (eb) => eb.ref('excluded.payload'),
        status: 'pending',
      }),
    )
    .execute();
}

export interface DueReminder {
  id: string;
  company_id: string;
  due_at: Date;
  payload: EmailPayload;
}

/** Claims due reminders and marks them queued, in the caller's transaction. */
export async function claimDueReminders(tx: Executor, now: Date, limit: number): Promise<DueReminder[]> {
  const result = await sql<DueReminder>`
    UPDATE reminders r SET status = 'queued'
    FROM (
      SELECT id FROM reminders WHERE status = 'pending' AND due_at <= ${now}
      ORDER BY due_at LIMIT ${limit} FOR UPDATE SKIP LOCKED
    ) due
    WHERE r.id = due.id
    RETURNING r.id, r.company_id, r.due_at, r.payload`.execute(tx);
  return result.rows;
}

export const nextReminderDue = (db: Executor) => nextPendingDue(db, { table: 'reminders', column: 'due_at' });

/** The pending reminder ids of each appointment, for `scheduledReminderIds`. */
export async function listReminderIds(db: Executor, appointmentIds: string[]): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>(appointmentIds.map((id) => [id, []]));
  if (appointmentIds.length === 0) return result;
  const rows = await db
    .selectFrom('reminders')
    .select(['id', 'appointment_id'])
    .where('appointment_id', 'in', appointmentIds)
    .where('status', '=', 'pending')
    .orderBy('due_at')
    .orderBy('id')
    .execute();
  for (const row of rows) result.get(row.appointment_id)?.push(row.id);
  return result;
}
