// Token buckets: `perSecond` tokens flow into a bucket, up to `capacity` saved; a request takes
// `cost` tokens (1 for a request, the work of a slot search for the slot budget). Two stores with
// one contract: memory (per instance; with N instances the effective limit is N times larger) and
// Redis (rate-limit.redis.ts; shared by every instance).
import type { Clock } from '../lib/clock.ts';

export interface Bucket {
  perSecond: number;
  capacity: number;
}

export interface LimitStore {
  /** Takes `cost` tokens from bucket `key`; 0 when allowed, else whole seconds until it would be. */
  take(key: string, cost: number, bucket: Bucket): Promise<number>;
  /** Like take, but takes nothing: whether `cost` tokens are there now. */
  check(key: string, cost: number, bucket: Bucket): Promise<number>;
  close(): Promise<void>;
}

/** Seconds until a bucket holding `tokens` holds `cost` (at least 1 when it does not now). */
export function waitSeconds(tokens: number, cost: number, perSecond: number): number {
  return tokens >= cost ? 0 : Math.max(1, Math.ceil((cost - tokens) / perSecond));
}

/** Per minute as configured → per second as stored. */
export const perMinute = (count: number, capacity: number): Bucket => ({ perSecond: count / 60, capacity });

// Forgetting full buckets loses nothing: an absent bucket reads as full.
const PRUNE_AT = 100_000;

export function createMemoryLimitStore(deps: { clock: Clock }): LimitStore {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const refill = (key: string, bucket: Bucket) => {
    const now = deps.clock.now().getTime();
    const state = buckets.get(key) ?? { tokens: bucket.capacity, at: now };
    // A clock stepped back refills nothing (and takes nothing).
    state.tokens = Math.min(bucket.capacity, state.tokens + (Math.max(0, now - state.at) / 1000) * bucket.perSecond);
    state.at = now;
    return state;
  };
  const prune = () => {
    if (buckets.size < PRUNE_AT) return;
    for (const [key, state] of buckets) if (state.tokens >= 1) buckets.delete(key);
  };
  return {
    async take(key, cost, bucket) {
      const state = refill(key, bucket);
      const wait = waitSeconds(state.tokens, cost, bucket.perSecond);
      if (wait === 0) state.tokens -= cost;
      prune();
      buckets.set(key, state);
      return wait;
    },
    async check(key, cost, bucket) {
      return waitSeconds(refill(key, bucket).tokens, cost, bucket.perSecond);
    },
    async close() {},
  };
}
