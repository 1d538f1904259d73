// Work a worker has claimed and is still doing, grouped by whose it is (a webhook subscription, a
// company's email). Workers start each piece without waiting for the batch, so one slow group
// holds only its own slots: the claim query asks for no more than each group's budget left, and
// the worker loop is woken whenever a slot frees. While pieces are in flight their leases are
// renewed, so a send slower than the lease (a busy machine, a slow receiver) is not claimed again
// by another worker meanwhile.

export interface InFlight {
  /** Pieces in flight per group. */
  readonly byGroup: ReadonlyMap<string, number>;
  readonly size: number;
  /** Groups with at least `budget` pieces in flight. */
  saturated(budget: number): string[];
  /** Runs `work` in the background under `group`; a failure goes to onError. */
  start(group: string, id: string, work: () => Promise<void>): void;
  /** Resolves when nothing is in flight any more. */
  drain(): Promise<void>;
}

export function createInFlight(options: {
  /** Called when a piece finishes: a slot is free, the worker may claim again. */
  onFreed: () => void;
  /** Extends the leases of these ids; called every `renewEveryMs` while any is in flight. */
  renew?: (ids: string[]) => Promise<void>;
  renewEveryMs?: number;
  /** A piece or a renewal failed (the piece's lease ends and it is claimed again). */
  onError?: (error: unknown) => void;
}): InFlight {
  const byGroup = new Map<string, number>();
  const ids = new Set<string>();
  const running = new Set<Promise<void>>();
  let timer: NodeJS.Timeout | undefined;

  const renewLoop = () => {
    if (!options.renew || timer || ids.size === 0) return;
    timer = setInterval(() => {
      if (ids.size === 0) {
        clearInterval(timer);
        timer = undefined;
        return;
      }
      options.renew!([...ids]).catch((error) => options.onError?.(error));
    }, options.renewEveryMs ?? 5000);
    timer.unref();
  };

  return {
    byGroup,
    get size() {
      return running.size;
    },
    saturated(budget) {
      return [...byGroup].filter(([, count]) => count >= budget).map(([group]) => group);
    },
    start(group, id, work) {
      byGroup.set(group, (byGroup.get(group) ?? 0) + 1);
      ids.add(id);
      renewLoop();
      const piece = work()
        .catch((error) => options.onError?.(error))
        .finally(() => {
          const left = byGroup.get(group)! - 1;
          if (left === 0) byGroup.delete(group);
          else byGroup.set(group, left);
          ids.delete(id);
          running.delete(piece);
          options.onFreed();
        });
      running.add(piece);
    },
    async drain() {
      while (running.size > 0) await Promise.all(running);
      clearInterval(timer);
      timer = undefined;
    },
  };
}
