// Runs a unit of work in one transaction, retrying a few times when PostgreSQL reports a
// deadlock or serialization failure (both mean "nothing happened, try again").
import type { Db, Tx } from './database.ts';
import { isRetryable } from './errors.ts';

export function inTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>, attempts = 4): Promise<T> {
  return retrying(() => db.transaction().execute(work), attempts);
}

/** Runs `work` (one statement, or a whole transaction) again after a deadlock or serialization failure. */
export async function retrying<T>(work: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!isRetryable(error) || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 10));
    }
  }
}
