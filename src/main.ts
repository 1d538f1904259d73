// Start-up: loadConfig → openDatabase → migrate → buildApp → listen; background workers;
// SIGTERM/SIGINT drain (stop accepting, finish in-flight requests, stop workers, close the db).
import { buildApp } from './app.ts';
import { bootstrapIfEmpty, welcomeText } from './bootstrap.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { openDatabase } from './db/database.ts';
import { migrate } from './db/migrator.ts';
import { systemClock } from './lib/clock.ts';
import { startEventWorkers } from './outbox/outbox.workers.ts';
import { startCalendarWorkers } from './calendars/calendar.workers.ts';

export interface Worker {
  stop(): Promise<void>;
}

export async function serve(config: Readonly<Config>): Promise<{ close(): Promise<void>; port: number }> {
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await migrate(handle.db);
  const { app, services } = await buildApp({ config, db: handle.db });
  const bootstrapped = await bootstrapIfEmpty(services, config);
  const workers: Worker[] = [];
  workers.push(await startEventWorkers({ handle, config, clock: systemClock, services, log: app.log }));
  workers.push(startCalendarWorkers({ db: handle.db, clock: systemClock, config: config.calendars, services, log: app.log }));
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  if (bootstrapped) process.stdout.write(`${welcomeText(bootstrapped, config, port)}\n`);
  app.log.info(
    { engine: handle.engine, port, dataDir: handle.engine === 'pglite' ? config.dataDir : undefined },
    'Termin is serving',
  );
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      await app.close();
      await Promise.all(workers.map((worker) => worker.stop()));
      await handle.close();
    })();
    return closing;
  };
  return { close, port };
}

export async function runServer(): Promise<void> {
  let config: Readonly<Config>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const server = await serve(config);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      server.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runServer();
}
