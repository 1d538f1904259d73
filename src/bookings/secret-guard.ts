// Slows down guessing of appointment secrets: after `maxFailures` wrong secrets from one address
// within `windowMs`, that address gets 429 until the window has passed. Kept in memory per
// instance (with N instances an address gets N times the attempts — still hopeless against
// 256-bit secrets; the limit is about noise, not about making guessing feasible).
import { AppError } from '../lib/app-error.ts';
import type { Clock } from '../lib/clock.ts';

export interface SecretGuard {
  /** Throws 429 while the address is locked out. */
  check(address: string): void;
  recordFailure(address: string): void;
}

export function createSecretGuard(options: { clock: Clock; maxFailures?: number; windowMs?: number }): SecretGuard {
  const maxFailures = options.maxFailures ?? 10;
  const windowMs = options.windowMs ?? 15 * 60_000;
  const failures = new Map<string, { count: number; since: number }>();

  const current = (address: string) => {
    const now = options.clock.now().getTime();
    const entry = failures.get(address);
    if (entry && now - entry.since >= windowMs) {
      failures.delete(address);
      return undefined;
    }
    return entry;
  };

  return {
    check(address) {
      const entry = current(address);
      if (entry && entry.count >= maxFailures) {
        const retryAfter = Math.max(1, Math.ceil((entry.since + windowMs - options.clock.now().getTime()) / 1000));
        throw new AppError('rate_limited', 'Too Many Requests', { retryAfter });
      }
    },
    recordFailure(address) {
      const entry = current(address) ?? { count: 0, since: options.clock.now().getTime() };
      entry.count += 1;
      failures.set(address, entry);
      // Bounded memory: a flood of addresses forgets the oldest first.
      if (failures.size > 100_000) failures.delete(failures.keys().next().value!);
    },
  };
}
