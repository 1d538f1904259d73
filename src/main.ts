// Start-up: loadConfig → bind the port → lock and open the database → migrate → buildApp →
// bootstrap → background workers → the app takes over the bound socket. SIGTERM/SIGINT drain
// (stop accepting, finish in-flight requests, stop workers, close the db).
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyListenOptions } from 'fastify';
import { buildApp } from './app.ts';
import { bootstrapIfEmpty, welcomeText, writeOut } from './bootstrap.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { DataDirLockedError } from './db/data-dir-lock.ts';
import { type DatabaseHandle, openDatabase } from './db/database.ts';
import { migrate } from './db/migrator.ts';
import { systemClock } from './lib/clock.ts';
import { startEventWorkers } from './outbox/outbox.workers.ts';
import { startCalendarWorkers } from './calendars/calendar.workers.ts';
import { createBusyChangesCompactor } from './availability/busy-changes.ts';
import { BUSY_CACHE_MAX_AGE_MS } from './availability/busy-cache.ts';
import { startLoop } from './outbox/worker-loop.ts';

export interface Worker {
  stop(): Promise<void>;
}

export class PortInUseError extends Error {
  constructor(port: number, host: string, code: string) {
    super(
      code === 'EADDRINUSE'
        ? `port ${port} on ${host} is already in use by another process; choose a free one with PORT`
        : `cannot listen on port ${port} on ${host} (${code}); choose another with PORT or HOST`,
    );
  }
}

const STARTING = JSON.stringify({
  statusCode: 503,
  error: 'Service Unavailable',
  message: 'Termin is starting',
  code: 'unavailable',
});

/**
 * The port is taken first, before migrations, so a clash is reported at once rather than after
 * minutes of work. Until the app takes the socket over, requests get a 503 "starting".
 */
async function bindEarly(port: number, host: string): Promise<Server> {
  const starter = createServer((_request, response) => {
    response.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1', connection: 'close' });
    response.end(STARTING);
  });
  await new Promise<void>((resolve, reject) => {
    starter.once('error', (error: NodeJS.ErrnoException) => reject(new PortInUseError(port, host, error.code ?? 'error')));
    starter.listen({ port, host }, resolve);
  });
  return starter;
}

export async function serve(config: Readonly<Config>): Promise<{ close(): Promise<void>; port: number }> {
  const starter = await bindEarly(config.port, config.host);
  const port = (starter.address() as AddressInfo).port;
  let handle: DatabaseHandle | undefined;
  try {
    handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    await migrate(handle.db);
    const { app, services } = await buildApp({ config, db: handle.db, pool: handle.pool });
    await bootstrapIfEmpty(services, config, (created) => writeOut(`${welcomeText(created, config, port)}\n`));
    const workers: Worker[] = [];
    workers.push(await startEventWorkers({ handle, config, clock: systemClock, services, log: app.log }));
    workers.push(startCalendarWorkers({ db: handle.db, clock: systemClock, config: config.calendars, services, log: app.log }));
    const compactor = createBusyChangesCompactor({ db: handle.db });
    workers.push(startLoop({ name: 'busy-changes', runOnce: compactor.runOnce, pollMs: BUSY_CACHE_MAX_AGE_MS, log: app.log }));
    services.readiness.workersStarted();
    // Node's documented `listen(handle)`: the bound socket moves to Fastify's server, so no
    // connection is refused between the two. 'localhost' would make Fastify bind a second family.
    const bound = (starter as unknown as { _handle: unknown })._handle;
    await app.listen({ handle: bound, host: config.host === 'localhost' ? '127.0.0.1' : config.host } as FastifyListenOptions);
    const db = handle;
    app.log.info(
      { engine: db.engine, port, dataDir: db.engine === 'pglite' ? config.dataDir : undefined },
      'Termin is serving',
    );
    let closing: Promise<void> | undefined;
    const close = () => {
      closing ??= (async () => {
        services.readiness.workersStopped();
        await app.close();
        await Promise.all(workers.map((worker) => worker.stop()));
        await db.close();
      })();
      return closing;
    };
    return { close, port };
  } catch (error) {
    starter.close();
    await handle?.close().catch(() => {});
    throw error;
  }
}

/** Problems an operator fixes by reading one line: no stack trace. */
function isPlainProblem(error: unknown): error is Error {
  return error instanceof ConfigError || error instanceof PortInUseError || error instanceof DataDirLockedError;
}

export async function runServer(): Promise<void> {
  let server: Awaited<ReturnType<typeof serve>>;
  try {
    server = await serve(loadConfig());
  } catch (error) {
    if (isPlainProblem(error)) {
      process.stderr.write(error instanceof ConfigError ? `${error.message}\n` : `termin: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      server.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
}
