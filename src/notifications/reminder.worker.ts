// Turns due reminders into email jobs (in one transaction, SKIP LOCKED). A reminder whose
// appointment has already begun — the process was down past it — is dropped, not sent late.
import type { Db } from '../db/database.ts';
import { inTransaction } from '../db/transaction.ts';
import type { Clock } from '../lib/clock.ts';
import type { Wakeups } from '../outbox/wakeups.ts';
import { insertEmailJobs } from './email-jobs.repo.ts';
import { claimDueReminders, nextReminderDue } from './reminders.repo.ts';

export function createReminderWorker(deps: { db: Db; clock: Clock; wakeups: Wakeups }) {
  const { db, clock } = deps;

  async function runOnce(): Promise<{ processed: number; nextDueAt?: Date }> {
    const now = clock.now();
    const queued = await inTransaction(db, async (tx) => {
      const due = await claimDueReminders(tx, now, 50);
      let emails = 0;
      for (const reminder of due) {
        if (Date.parse(reminder.payload.appointment.start) <= now.getTime()) {
          await tx.updateTable('reminders').set({ status: 'cancelled' }).where('id', '=', reminder.id).execute();
          continue;
        }
        const dedupeKey = `reminder:${reminder.id}:${reminder.due_at.toISOString()}`;
        const email = { kind: 'reminder', recipient: reminder.payload.to, dedupeKey, payload: reminder.payload };
        emails += (await insertEmailJobs(tx, { companyId: reminder.company_id, eventId: null, emails: [email], now })).length;
      }
      return { processed: due.length, emails };
    });
    if (queued.emails > 0) deps.wakeups.notify('emails');
    if (queued.processed > 0) return { processed: queued.processed };
    return { processed: 0, nextDueAt: await nextReminderDue(db) };
  }

  return { runOnce };
}
