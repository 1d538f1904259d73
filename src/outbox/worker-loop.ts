// A background loop around one `runOnce`: runs again at once while there is work, otherwise
// sleeps until woken, until the next known due time, or until the poll interval passes (the
// fallback when a wake-up is missed). Errors are logged and retried after a pause, never thrown.

export interface LoopResult {
  processed: number;
  nextDueAt?: Date;
}

export interface Loop {
  wake(): void;
  stop(): Promise<void>;
}

export interface LoopLogger {
  error(object: Record<string, unknown>, message: string): void;
}

export function startLoop(options: {
  name: string;
  runOnce: () => Promise<LoopResult>;
  pollMs: number;
  log: LoopLogger;
  /**
   * Minimum time between two runs. Work that arrives in a stream is then taken in batches: fewer
   * transactions and claims for the same work, at the price of at most this much latency.
   */
  settleMs?: number;
  now?: () => number;
}): Loop {
  const now = options.now ?? Date.now;
  let stopped = false;
  let woken = false;
  let timer: NodeJS.Timeout | undefined;
  let resolveSleep: (() => void) | undefined;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (woken || stopped) return resolve();
      resolveSleep = resolve;
      timer = setTimeout(resolve, Math.max(0, ms));
    }).finally(() => {
      clearTimeout(timer);
      resolveSleep = undefined;
    });

  const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
  let lastRun = 0;

  const running = (async () => {
    while (!stopped) {
      const settle = (options.settleMs ?? 0) - (now() - lastRun);
      if (settle > 0) await pause(settle);
      lastRun = now();
      woken = false;
      let result: LoopResult;
      try {
        result = await options.runOnce();
      } catch (error) {
        // Kind and location only: driver error messages can carry data (as in http/errors.ts).
        const err = error as { name?: string; code?: string; stack?: string };
        const frames = err?.stack?.split('\n').slice(1, 6).join('\n');
        options.log.error({ worker: options.name, errName: err?.name, errCode: err?.code, frames }, 'worker run failed');
        await sleep(Math.min(options.pollMs, 1000));
        continue;
      }
      if (result.processed > 0) continue;
      const untilDue = result.nextDueAt ? result.nextDueAt.getTime() - now() + 5 : options.pollMs;
      await sleep(Math.min(options.pollMs, untilDue));
    }
  })();

  return {
    wake() {
      woken = true;
      resolveSleep?.();
    },
    async stop() {
      stopped = true;
      resolveSleep?.();
      await running;
    },
  };
}
