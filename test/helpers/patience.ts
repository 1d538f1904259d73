// How long a test may wait for something that will happen, scaled by how busy the machine is:
// on a machine running at load 8 on 2 cores a wait is 4 times as long as on a quiet one. Waits
// end as soon as the thing happens, so a long patience costs nothing when all goes well.
import { availableParallelism, loadavg } from 'node:os';

export function patienceMs(quietMs: number): number {
  const busy = loadavg()[0]! / availableParallelism();
  return Math.round(quietMs * Math.max(1, busy));
}

/** Polls `probe` until it returns a value (not undefined), or throws after the patience. */
export async function until<T>(probe: () => Promise<T | undefined> | T | undefined, quietMs = 5000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + patienceMs(quietMs);
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
