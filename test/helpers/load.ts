// Waits in tests scale with how busy the machine is: a time-out chosen on a quiet machine is
// multiplied by the load per core (1-minute average), so a suite run beside other work waits
// longer instead of failing. Every helper that waits uses this one function.
import { availableParallelism, loadavg } from 'node:os';

const MAX_FACTOR = 10;

export function loadFactor(): number {
  const perCore = (loadavg()[0] ?? 0) / availableParallelism();
  return Math.min(MAX_FACTOR, Math.max(1, perCore));
}

/** `ms` on a quiet machine; proportionally more on a busy one (read when called). */
export function scaled(ms: number): number {
  return Math.round(ms * loadFactor());
}
