// Keeps busy_changes (migrations/0021_busy_changes.sql) small. A change row matters only to a
// cached entry whose snapshot did not see it; entries live at most BUSY_CACHE_MAX_AGE_MS. So each
// run deletes the rows of transactions that had ended when the previous run looked (the oldest
// transaction still running then, the snapshot's xmin), once that look is older than the entries'
// maximum age: every entry still in use was read after those transactions ended and sees them.
// Several instances may compact at once; each keeps its own mark, and any of them is safe.
import { sql } from 'kysely';
import type { Executor } from '../db/database.ts';
import type { LoopResult } from '../outbox/worker-loop.ts';
import { BUSY_CACHE_MAX_AGE_MS } from './busy-cache.ts';

export function createBusyChangesCompactor(deps: { db: Executor; now?: () => number }) {
  const now = deps.now ?? (() => performance.now());
  let mark: { xmin: string; at: number } | undefined;

  return {
    /** Deletes what no cache entry can need; answers when to run again. */
    async runOnce(): Promise<LoopResult & { deleted: number }> {
      let deleted = 0;
      if (mark && now() - mark.at >= BUSY_CACHE_MAX_AGE_MS) {
        const result = await sql`DELETE FROM busy_changes WHERE xid < ${mark.xmin}::xid8`.execute(deps.db);
        deleted = Number(result.numAffectedRows ?? 0n);
        mark = undefined;
      }
      if (!mark) {
        const row = await sql<{ xmin: string }>`SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin`.execute(deps.db);
        mark = { xmin: row.rows[0]!.xmin, at: now() };
      }
      const dueIn = Math.max(0, mark.at + BUSY_CACHE_MAX_AGE_MS - now());
      return { processed: 0, deleted, nextDueAt: new Date(Date.now() + dueIn) };
    },
  };
}
