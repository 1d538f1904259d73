// A short-lived, per-instance cache of slot-search answers (serialised JSON), off unless
// TERMIN_SLOT_CACHE_SECONDS is set. Correctness rules:
// - Any change made through this instance invalidates its company's answers before the change's
//   response is sent (the composition root calls `invalidate` for every non-GET request), so a
//   client never sees an answer older than its own change.
// - An answer computed while an invalidation happened is not stored (it may have read old rows).
// - Changes made by other instances (or directly in the database) show within `ttlMs`.
// - `refreshCache=true` bypasses it; bookings never use it (they ask the uncached slot oracle,
//   and the exclusion constraint stays the guarantee).
import type { Clock } from '../lib/clock.ts';

const MAX_ENTRIES = 500;
const MAX_TRACKED_COMPANIES = 10_000;

interface Entry {
  body: string | Buffer;
  at: number;
  /** The invalidation count when computing began. */
  epoch: number;
}

export type SlotCache = ReturnType<typeof createSlotCache>;

export function createSlotCache(deps: { clock: Clock; ttlMs: number }) {
  const { clock, ttlMs } = deps;
  const entries = new Map<string, Entry>();
  let epoch = 0;
  let everyCompanySince = 0;
  const companySince = new Map<string, number>();

  const invalidatedSince = (companyId: string) => Math.max(everyCompanySince, companySince.get(companyId) ?? 0);

  function fresh(companyId: string, entry: Entry | undefined, now: number): entry is Entry {
    return entry !== undefined && entry.epoch >= invalidatedSince(companyId) && now >= entry.at && now - entry.at < ttlMs;
  }

  /** The cached answer, or `compute`'s (remembered unless something changed meanwhile). */
  async function answer<Body extends string | Buffer>(companyId: string, key: string, compute: () => Promise<Body>, refresh = false): Promise<Body> {
    if (ttlMs <= 0) return compute();
    const id = `${companyId} ${key}`;
    const cached = entries.get(id);
    if (!refresh && fresh(companyId, cached, clock.now().getTime())) return cached.body as Body;
    const started = epoch;
    const at = clock.now().getTime();
    const body = await compute();
    if (invalidatedSince(companyId) <= started) {
      entries.delete(id);
      if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
      entries.set(id, { body, at, epoch: started });
    }
    return body;
  }

  /** Forgets a company's answers (every company's without an id); call once a change is committed. */
  function invalidate(companyId?: string): void {
    epoch += 1;
    if (companyId === undefined || companySince.size >= MAX_TRACKED_COMPANIES) {
      everyCompanySince = epoch;
      companySince.clear();
      entries.clear();
      return;
    }
    companySince.set(companyId, epoch);
  }

  return { answer, invalidate, enabled: ttlMs > 0 };
}
