// Found credentials (API keys, personal access tokens) remembered by hash for a short TTL: every
// authenticated request resolves its credential, and on a hot path that lookup dominates. A
// revocation through this instance forgets at once; one made elsewhere takes effect within the TTL.
import type { Clock } from './clock.ts';

const MAX_CACHED = 10_000;

export interface CachedCredential {
  id: string;
  revoked_at: Date | null;
}

/** Unknown tokens are never cached (they would only fill memory). */
export function createCredentialCache<Row extends CachedCredential>(ttlMs: number, clock: Clock) {
  const entries = new Map<string, { row: Row; until: number }>();
  return {
    get(hash: string): Row | undefined {
      const entry = entries.get(hash);
      if (!entry) return undefined;
      if (entry.until > clock.now().getTime()) return entry.row;
      entries.delete(hash);
      return undefined;
    },
    remember(hash: string, row: Row | undefined): Row | undefined {
      if (row && !row.revoked_at && ttlMs > 0) {
        if (entries.size >= MAX_CACHED) entries.delete(entries.keys().next().value!);
        entries.set(hash, { row, until: clock.now().getTime() + ttlMs });
      }
      return row;
    },
    forget(id: string): void {
      for (const [hash, entry] of entries) if (entry.row.id === id) entries.delete(hash);
    },
  };
}

/**
 * Whether a credential's `last_used_at` is due for a write: at most once per `intervalMs` per
 * credential and instance, so keeping it costs one UPDATE a minute per key, not one per request.
 */
export function createUsageStamps(clock: Clock, intervalMs = 60_000) {
  const lastWritten = new Map<string, number>();
  return {
    due(id: string): boolean {
      const now = clock.now().getTime();
      const last = lastWritten.get(id);
      if (last !== undefined && now - last < intervalMs) return false;
      if (lastWritten.size >= MAX_CACHED) lastWritten.delete(lastWritten.keys().next().value!);
      lastWritten.set(id, now);
      return true;
    },
  };
}
