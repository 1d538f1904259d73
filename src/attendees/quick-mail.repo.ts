// Quick mails are email jobs of kind `quick_mail`; counting a sender's recent ones enforces the
// limit. The sender's row is locked first, so two requests at once cannot both take the last place.
import { sql } from 'kysely';
import type { Executor } from '../db/database.ts';
import type { QuickMailPayload } from '../notifications/quick-mail.template.ts';

export async function lockSender(tx: Executor, sender: { userId?: string; companyId: string }): Promise<void> {
  if (sender.userId) await tx.selectFrom('users').select('id').where('id', '=', sender.userId).forUpdate().execute();
  else await tx.selectFrom('companies').select('id').where('id', '=', sender.companyId).forUpdate().execute();
}

/** Creation times of the sender's quick mails since `since`, oldest first. */
export async function recentQuickMails(tx: Executor, senderId: string, since: Date): Promise<Date[]> {
  const rows = await tx
    .selectFrom('email_jobs')
    .select('created_at')
    .where('kind', '=', 'quick_mail')
    .where(sql<string>`payload->>'senderId'`, '=', senderId)
    .where('created_at', '>', since)
    .orderBy('created_at')
    .execute();
  return rows.map((row) => row.created_at);
}

export async function insertQuickMail(
  tx: Executor,
  input: { id: string; companyId: string; payload: QuickMailPayload; now: Date },
): Promise<void> {
  await tx
    .insertInto('email_jobs')
    .values({
      id: input.id,
      company_id: input.companyId,
      event_id: null,
      kind: 'quick_mail',
      recipient: input.payload.to,
      dedupe_key: `quick_mail:${input.id}`,
      payload: JSON.stringify(input.payload),
      // Due at once by the database's clock (the workers' too); created_at is the limit's clock.
      next_attempt_at: sql<Date>`now()`,
      created_at: input.now,
    })
    .execute();
}
