// Drains the outbox: claims undispatched events with FOR UPDATE SKIP LOCKED (instances share the
// work without a coordinator) and, in the same transaction, fans each one out into webhook
// deliveries, email jobs and reminders, then marks it dispatched. A crash before the commit
// leaves the event undispatched; after it, the work rows exist. Nothing is lost either way.
import { sql } from 'kysely';
import type { Db, Tx } from '../db/database.ts';
import { inTransaction } from '../db/transaction.ts';
import type { Clock } from '../lib/clock.ts';
import { isUuid } from '../lib/ids.ts';
import { planEmails, planReminders, type HostProfile } from '../notifications/email.plan.ts';
import { insertEmailJobs } from '../notifications/email-jobs.repo.ts';
import { cancelReminders, reminderOffsets, upsertReminders } from '../notifications/reminders.repo.ts';
import { findUsers } from '../users/users.repo.ts';
import { fanOutDeliveries } from '../webhooks/deliveries.repo.ts';
import { appointmentOf, type DispatchedEvent, dedupeKeyOf, normaliseEvent, type OutboxRow, webhookBody } from './event-payload.ts';
import type { Wakeups } from './wakeups.ts';

export const WORK_CHANNEL = 'termin_work';

interface FanOutCounts {
  deliveries: number;
  emails: number;
}

async function hostProfiles(tx: Tx, event: DispatchedEvent): Promise<Map<string, HostProfile>> {
  const ids = (appointmentOf(event)?.hosts ?? []).map((host) => host.id).filter(Boolean);
  const users = await findUsers(tx, event.companyId, ids.filter(isUuid));
  return new Map(users.map((user) => [user.id, { language: user.language, timezone: user.timezone }]));
}

async function scheduleReminders(tx: Tx, event: DispatchedEvent, now: Date): Promise<void> {
  const appointment = appointmentOf(event);
  if (!appointment?.id) return;
  if (event.type === 'booking_cancelled' || event.type === 'booking_rescheduled') await cancelReminders(tx, appointment.id);
  if (event.type === 'booking_cancelled' || appointment.isCancelled) return;
  const offsets = await reminderOffsets(tx, event.companyId, appointment.meetingTypeId);
  const reminders = planReminders(appointment, offsets, now);
  await upsertReminders(tx, { companyId: event.companyId, appointmentId: appointment.id, reminders });
}

/** The sealed secret of the appointment a booking event is about (webhooks carry it; events do not). */
async function sealedSecretOf(tx: Tx, event: DispatchedEvent): Promise<string | null> {
  const id = appointmentOf(event)?.id;
  if (!id || !isUuid(id)) return null;
  const row = await tx.selectFrom('appointments').select('secret_sealed').where('id', '=', id).executeTakeFirst();
  return row?.secret_sealed ?? null;
}

async function fanOut(tx: Tx, event: DispatchedEvent, now: Date): Promise<FanOutCounts> {
  const deliveries = await fanOutDeliveries(tx, {
    eventId: event.eventId,
    companyId: event.companyId,
    type: event.type,
    dedupeKey: dedupeKeyOf(event),
    body: webhookBody(event),
    secretSealed: await sealedSecretOf(tx, event),
    now,
  });
  const planned = planEmails(event, await hostProfiles(tx, event));
  const inserted = await insertEmailJobs(tx, { companyId: event.companyId, eventId: event.eventId, emails: planned, now });
  await scheduleReminders(tx, event, now);
  // The secret stays only while an email that carries the links waits to be sent.
  if (event.secret !== undefined && !inserted.some((email) => email.payload.withLinks)) {
    await sql`UPDATE outbox_events SET payload = payload - 'secret' WHERE event_id = ${event.eventId}`.execute(tx);
  }
  return { deliveries, emails: inserted.length };
}

export function createDispatcher(deps: { db: Db; clock: Clock; wakeups: Wakeups; batchSize?: number }) {
  const { db, clock, wakeups } = deps;

  async function runOnce(): Promise<{ processed: number }> {
    const totals = await inTransaction(db, async (tx) => {
      const rows = await sql<OutboxRow>`
        SELECT id, event_id, company_id, type, subject_id, payload, created_at FROM outbox_events
        WHERE dispatched_at IS NULL ORDER BY id LIMIT ${deps.batchSize ?? 50} FOR UPDATE SKIP LOCKED`.execute(tx);
      const counts = { events: rows.rows.length, deliveries: 0, emails: 0 };
      if (counts.events === 0) return counts;
      const now = clock.now();
      for (const row of rows.rows) {
        const result = await fanOut(tx, normaliseEvent(row), now);
        counts.deliveries += result.deliveries;
        counts.emails += result.emails;
      }
      const ids = rows.rows.map((row) => row.id);
      await tx.updateTable('outbox_events').set({ dispatched_at: now }).where('id', 'in', ids).execute();
      // Other instances' workers wake on commit.
      if (counts.deliveries + counts.emails > 0) await sql`SELECT pg_notify(${WORK_CHANNEL}, '')`.execute(tx);
      return counts;
    });
    if (totals.deliveries > 0) wakeups.notify('deliveries');
    if (totals.emails > 0) wakeups.notify('emails');
    return { processed: totals.events };
  }

  return { runOnce };
}
