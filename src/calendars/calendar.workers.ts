// The calendar loops of one instance: busy-time sync (calendars due for a refresh) and write-back
// (appointments to PUT or DELETE), each woken in-process or at the latest by its poll. Several
// instances share both through SKIP LOCKED claims.
import { startLoop } from '../outbox/worker-loop.ts';
import type { Wakeups } from '../outbox/wakeups.ts';
import type { CalendarsConfig } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { Clock } from '../lib/clock.ts';
import type { CalendarSync } from './calendar-sync.ts';
import { createCalendarWriteWorker } from './calendar-writes.worker.ts';

export interface CalendarWorkers {
  wake(): void;
  stop(): Promise<void>;
}

export function startCalendarWorkers(options: {
  db: Db;
  clock: Clock;
  config: CalendarsConfig;
  services: { wakeups: Wakeups; calendarSync: CalendarSync };
  log: { error(object: Record<string, unknown>, message: string): void };
  /** Fallback poll (default 5 s; due calendars and retries are found by it). */
  pollMs?: number;
}): CalendarWorkers {
  const { db, clock, config, services, log } = options;
  const pollMs = options.pollMs ?? 5000;
  const writes = createCalendarWriteWorker({ db, clock, config, sync: services.calendarSync });
  const loops = [
    startLoop({ name: 'calendar-sync', runOnce: services.calendarSync.runOnce, pollMs, log }),
    startLoop({ name: 'calendar-writes', runOnce: writes.runOnce, pollMs, log, settleMs: 5 }),
  ];
  const unsubscribe = services.wakeups.subscribe('calendar-writes', loops[1]!.wake);
  return {
    wake() {
      for (const loop of loops) loop.wake();
    },
    async stop() {
      unsubscribe();
      await Promise.all(loops.map((loop) => loop.stop()));
    },
  };
}
