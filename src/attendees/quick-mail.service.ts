// One-off emails from a host to an attendee (spec AT2), sent through the email jobs like every
// other email (retried, never lost), limited to 5 per 5 minutes per sender.
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.ts';
import { inTransaction } from '../db/transaction.ts';
import { AppError, invalidField, notFound } from '../lib/app-error.ts';
import type { Clock } from '../lib/clock.ts';
import { isUuid } from '../lib/ids.ts';
import { findAttendee } from '../bookings/attendees.repo.ts';
import type { QuickMailPayload } from '../notifications/quick-mail.template.ts';
import type { Wakeups } from '../outbox/wakeups.ts';
import type { UserRow } from '../users/users.repo.ts';
import * as repo from './quick-mail.repo.ts';

export const QUICK_MAIL_LIMIT = 5;
export const QUICK_MAIL_WINDOW_MS = 5 * 60_000;

export interface QuickMailInput {
  attendeeId: string;
  title: string;
  content: string;
}

export interface QuickMailQueued {
  id: string;
  attendeeId: string;
  to: string;
  title: string;
  status: 'queued';
}

export type QuickMailService = ReturnType<typeof createQuickMailService>;

export function createQuickMailService(deps: { db: Db; clock: Clock; wakeups: Wakeups }) {
  const { db, clock } = deps;

  async function send(companyId: string, sender: UserRow | undefined, input: QuickMailInput): Promise<QuickMailQueued> {
    if (!isUuid(input.attendeeId)) throw notFound('Attendee');
    const title = input.title.trim();
    if (!title) throw invalidField('title', 'title must not be empty');
    if (!input.content.trim()) throw invalidField('content', 'content must not be empty');
    const senderId = sender?.id ?? `company:${companyId}`;
    const id = randomUUID();
    const queued = await inTransaction(db, async (tx) => {
      const attendee = await findAttendee(tx, companyId, input.attendeeId);
      if (!attendee) throw notFound('Attendee');
      await repo.lockSender(tx, { userId: sender?.id, companyId });
      const now = clock.now();
      const recent = await repo.recentQuickMails(tx, senderId, new Date(now.getTime() - QUICK_MAIL_WINDOW_MS));
      if (recent.length >= QUICK_MAIL_LIMIT) {
        const freeAt = recent[recent.length - QUICK_MAIL_LIMIT]!.getTime() + QUICK_MAIL_WINDOW_MS;
        throw new AppError('rate_limited', `At most ${QUICK_MAIL_LIMIT} quick mails per 5 minutes`, {
          retryAfter: Math.max(1, Math.ceil((freeAt - now.getTime()) / 1000)),
        });
      }
      const payload: QuickMailPayload = {
        kind: 'quick_mail',
        to: attendee.email,
        senderId,
        senderName: sender ? `${sender.given_name} ${sender.family_name}`.trim() : '',
        attendeeId: attendee.id,
        subject: title,
        content: input.content,
        withLinks: false,
      };
      await repo.insertQuickMail(tx, { id, companyId, payload, now });
      return { id, attendeeId: attendee.id, to: attendee.email, title, status: 'queued' as const };
    });
    deps.wakeups.notify('emails');
    return queued;
  }

  return { send };
}
