// A token bucket per API key: `perMinute` tokens flow in each minute, up to `burst` saved.
// Kept in memory per instance; with N instances the effective limit is N times larger.
import type { Clock } from '../lib/clock.ts';

export interface RateLimiter {
  /** Takes one token; returns 0 when allowed, else the seconds until the next token. */
  take(key: string): number;
}

export function createRateLimiter(options: { perMinute: number; burst: number; clock: Clock }): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const perMs = options.perMinute / 60_000;
  return {
    take(key) {
      const now = options.clock.now().getTime();
      const bucket = buckets.get(key) ?? { tokens: options.burst, at: now };
      bucket.tokens = Math.min(options.burst, bucket.tokens + (now - bucket.at) * perMs);
      bucket.at = now;
      buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
    },
  };
}
