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
  /** Ids in flight (a piece may carry several: an email batch of one company). */
  readonly idCount: number;
  /** Groups with at least `budget` pieces in flight. */
  saturated(budget: number): string[];
  /**
   * Runs `work` in the background under `group`, counting each id against its budget; a failure
   * goes to onError. A piece of several ids may `release` one whose part is done: its slot frees
   * at once, while its lease is still renewed until the whole piece ends (its outcome is recorded
   * then).
   */
  start(group: string, id: string | readonly string[], work: (release: (id: string) => void) => Promise<void>): void;
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
    get idCount() {
      return ids.size;
    },
    saturated(budget) {
      return [...byGroup].filter(([, count]) => count >= budget).map(([group]) => group);
    },
    start(group, id, work) {
      const pieceIds = typeof id === 'string' ? [id] : id;
      const counted = new Set(pieceIds);
      const uncount = (count: number) => {
        const left = byGroup.get(group)! - count;
        if (left <= 0) byGroup.delete(group);
        else byGroup.set(group, left);
      };
      byGroup.set(group, (byGroup.get(group) ?? 0) + counted.size);
      for (const one of pieceIds) ids.add(one);
      renewLoop();
      const release = (one: string) => {
        if (!counted.delete(one)) return;
        uncount(1);
        options.onFreed();
      };
      const piece = work(release)
        .catch((error) => options.onError?.(error))
        .finally(() => {
          if (counted.size > 0) uncount(counted.size);
          for (const one of pieceIds) ids.delete(one);
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
