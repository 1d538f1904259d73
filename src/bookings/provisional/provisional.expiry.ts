// Expires holds on time: claims due holds with FOR UPDATE SKIP LOCKED (several instances share
// the work without a coordinator), and in one transaction marks each expired, frees its slot
// (host rows inactive) and records `provisional_booking_expired`, whose email tells the attendee.
import type { Db } from '../../db/database.ts';
import { inTransaction } from '../../db/transaction.ts';
import type { Clock } from '../../lib/clock.ts';
import * as repo from './provisional.repo.ts';
import { expire } from './provisional.transitions.ts';

export function createExpiryWorker(deps: { db: Db; clock: Clock; batchSize?: number }) {
  const { db, clock } = deps;

  async function runOnce(): Promise<{ processed: number; nextDueAt?: Date }> {
    const now = clock.now();
    const processed = await inTransaction(db, async (tx) => {
      const due = await repo.claimDue(tx, now, deps.batchSize ?? 50);
      for (const row of due) await expire(tx, row, now);
      return due.length;
    });
    if (processed > 0) return { processed };
    const next = await repo.nextExpiry(db);
    return next ? { processed, nextDueAt: next } : { processed };
  }

  return { runOnce };
}
