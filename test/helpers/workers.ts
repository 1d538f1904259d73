// Runs the event workers in-process for a test app, with a quick poll so tests never wait long.
import { type EventWorkers, startEventWorkers } from '../../src/outbox/outbox.workers.ts';
import type { Mailer } from '../../src/notifications/mailer.ts';
import type { TestApp } from './app.ts';
import { scaled } from './load.ts';

const silent = { info() {}, warn() {}, error() {} };

/** The PostgreSQL URL of a test database, so the workers LISTEN as they do in production. */
function databaseUrlOf(t: TestApp): string | undefined {
  if (t.handle.engine !== 'postgres') return undefined;
  return (t.handle.pool as unknown as { options: { connectionString?: string } }).options.connectionString;
}

export function startWorkers(t: TestApp, options: { mailer?: Mailer; timeoutMs?: number; pollMs?: number } = {}): Promise<EventWorkers> {
  return startEventWorkers({
    handle: t.handle,
    config: { ...t.config, databaseUrl: t.config.databaseUrl ?? databaseUrlOf(t) },
    clock: { now: () => new Date() },
    services: t.services,
    log: silent,
    pollMs: options.pollMs ?? 500,
    // A loopback receiver answers at once on a quiet machine; on a busy one it may take seconds.
    timeoutMs: options.timeoutMs ?? scaled(2000),
    ...(options.mailer ? { mailer: options.mailer } : {}),
  });
}
