// One application and one real database per test file: in-memory PGlite by default, a fresh
// PostgreSQL database when TEST_DATABASE_URL is set. Tests isolate by company (tenancy).
import { randomBytes } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import pg from 'pg';
import { buildApp } from '../../src/app.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import { type DatabaseHandle, openDatabase } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrator.ts';
import type { Clock } from '../../src/lib/clock.ts';
import { templateDump } from './pglite-template.ts';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;

export const ADMIN_KEY = 'test-admin-key-0123456789abcdef0123456789';

/** A fresh database: its own PostgreSQL database, or a new in-memory PGlite. */
export async function openTestDatabase(): Promise<DatabaseHandle> {
  if (!TEST_DATABASE_URL) {
    // From the run's migrated template when there is one; the migrator then finds nothing to do.
    const handle = await openDatabase({ dataDir: 'memory://', loadDataDir: await templateDump() });
    await migrate(handle.db);
    return handle;
  }
  const name = `termin_test_${Date.now()}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  // From the run's migrated template when there is one (test/helpers/pg-template.ts).
  const template = process.env.TERMIN_TEST_PG_TEMPLATE;
  await admin.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ databaseUrl: url.toString(), poolSize: 20 });
  await migrate(handle.db);
  const close = handle.close;
  handle.close = async () => {
    await close();
    const cleanup = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await cleanup.connect();
    await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
    await cleanup.end();
  };
  return handle;
}

export function testConfig(env: Record<string, string> = {}): Readonly<Config> {
  return loadConfig({
    LOG_LEVEL: 'silent',
    PUBLIC_URL: 'http://termin.test',
    TERMIN_ADMIN_KEY: ADMIN_KEY,
    TERMIN_RATE_LIMIT_PER_MINUTE: '100000',
    TERMIN_RATE_LIMIT_BURST: '100000',
    TERMIN_AUTH_FAILURES_PER_MINUTE: '100000',
    TERMIN_WEBHOOK_ALLOW_PRIVATE: 'true',
    TERMIN_CALENDAR_ALLOW_PRIVATE: 'true',
    TERMIN_PAGE_RATE_LIMIT_PER_MINUTE: '100000',
    TERMIN_PAGE_RATE_LIMIT_BURST: '100000',
    // Test clients (fetch) and a listening app share one event loop: on a loaded machine the
    // server's idle check can close a kept-alive socket that fetch's late timer still reuses
    // (ECONNRESET). Idle time-outs are tested on their own (test/http/connections.test.ts).
    TERMIN_KEEP_ALIVE_TIMEOUT_SECONDS: '600',
    ...env,
  });
}

export interface TestCompany {
  companyId: string;
  ownerUserId: string;
  apiKey: string;
}

export interface TestApp {
  app: Awaited<ReturnType<typeof buildApp>>['app'];
  services: Awaited<ReturnType<typeof buildApp>>['services'];
  handle: DatabaseHandle;
  config: Readonly<Config>;
  /** A new company with an owner and an API key, created through the admin endpoint. */
  newCompany(name?: string): Promise<TestCompany>;
  close(): Promise<void>;
}

export async function startTestApp(
  options: { env?: Record<string, string>; clock?: Clock; handle?: DatabaseHandle } = {},
): Promise<TestApp> {
  const handle = options.handle ?? (await openTestDatabase());
  const config = testConfig(options.env);
  const { app, services } = await buildApp({ config, db: handle.db, clock: options.clock, pool: handle.pool });
  await app.ready();
  return {
    app,
    services,
    handle,
    config,
    async newCompany(name = 'Test company') {
      const response = await app.inject({
        method: 'POST',
        url: '/admin/companies',
        headers: { authorization: `Bearer ${ADMIN_KEY}` },
        payload: { name },
      });
      if (response.statusCode !== 201) throw new Error(`company create failed: ${response.body}`);
      return response.json() as TestCompany;
    },
    async close() {
      await app.close();
      if (!options.handle) await handle.close();
    },
  };
}

/** A small client bound to one API key (and optionally one acting user). */
export function client(app: TestApp['app'], apiKey: string, userId?: string) {
  const headers = (extra: Record<string, string> = {}) => ({
    authorization: `Bearer ${apiKey}`,
    ...(userId ? { 'x-meetergo-api-user-id': userId } : {}),
    ...extra,
  });
  const call = (method: InjectOptions['method'], url: string, payload?: unknown, extra?: Record<string, string>) =>
    app.inject({ method, url, headers: headers(extra), ...(payload === undefined ? {} : { payload: payload as object }) });
  return {
    get: (url: string, extra?: Record<string, string>) => call('GET', url, undefined, extra),
    post: (url: string, payload?: unknown, extra?: Record<string, string>) => call('POST', url, payload ?? {}, extra),
    patch: (url: string, payload?: unknown, extra?: Record<string, string>) => call('PATCH', url, payload ?? {}, extra),
    delete: (url: string, payload?: unknown, extra?: Record<string, string>) => call('DELETE', url, payload, extra),
    as: (otherUserId: string) => client(app, apiKey, otherUserId),
  };
}
