// When to try a failed delivery again: the configured schedule with ±20 % jitter (so a receiver
// that comes back is not hit by every queued delivery at once), never earlier than the receiver's
// Retry-After, never later than a day. Pure.

const MAX_DELAY_MS = 24 * 3_600_000;

/**
 * Delay before the next attempt after `attemptsMade` attempts, or undefined when the schedule is
 * exhausted. `random` is a number in [0, 1).
 */
export function retryDelayMs(options: {
  attemptsMade: number;
  scheduleMs: readonly number[];
  retryAfterMs?: number;
  random: number;
}): number | undefined {
  const base = options.scheduleMs[options.attemptsMade - 1];
  if (base === undefined) return undefined;
  const jittered = Math.round(base * (0.8 + 0.4 * options.random));
  return Math.min(MAX_DELAY_MS, Math.max(jittered, options.retryAfterMs ?? 0));
}

/** A Retry-After header (seconds or an HTTP date) in milliseconds from `nowMs`. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}
