// Composition root: builds every service with its explicit dependencies and registers the routes.
// Nothing else wires things together.
import { createApiKeysService } from './api-keys/api-keys.service.ts';
import { apiKeysRoutes } from './api-keys/api-keys.routes.ts';
import { adminRoutes } from './companies/admin.routes.ts';
import { createCompaniesService } from './companies/companies.service.ts';
import type { Config } from './config.ts';
import type { Db } from './db/database.ts';
import { healthRoutes } from './health/health.routes.ts';
import { registerAuth } from './http/auth.ts';
import { createRateLimiter } from './http/rate-limit.ts';
import { createServer } from './http/server.ts';
import { type Clock, systemClock } from './lib/clock.ts';
import { findUser } from './users/users.repo.ts';
import { usersRoutes } from './users/users.routes.ts';
import { createUsersService } from './users/users.service.ts';
import { createWakeups } from './outbox/wakeups.ts';
import type { SecretBox } from './lib/secret-box.ts';
import { loadSecretBox } from './webhooks/secret-keys.repo.ts';
import { webhooksRoutes } from './webhooks/webhooks.routes.ts';
import { createWebhooksService } from './webhooks/webhooks.service.ts';

export interface AppDeps {
  config: Readonly<Config>;
  db: Db;
  clock?: Clock;
  logStream?: NodeJS.WritableStream;
}

export function buildServices(deps: { config: Readonly<Config>; db: Db; clock: Clock }) {
  const { config, db, clock } = deps;
  const apiKeys = createApiKeysService({ db, clock });
  const users = createUsersService({ db, publicUrl: config.publicUrl });
  const companies = createCompaniesService({ db, users, apiKeys });
  // Events out: wake-up calls between writers and workers, the key that seals signing secrets.
  const wakeups = createWakeups();
  let secretBox: Promise<SecretBox> | undefined;
  const loadBox = () => {
    secretBox ??= loadSecretBox(db, config.secretKey).catch((error) => {
      secretBox = undefined;
      throw error;
    });
    return secretBox;
  };
  const webhooks = createWebhooksService({ db, clock, ...config.webhooks, secretBox: loadBox, wakeups });
  return { apiKeys, users, companies, wakeups, secretBox: loadBox, webhooks };
}

export type Services = ReturnType<typeof buildServices>;

export async function buildApp(deps: AppDeps) {
  const clock = deps.clock ?? systemClock;
  const { config, db } = deps;
  const services = buildServices({ config, db, clock });
  const app = await createServer({ logLevel: config.logLevel, publicUrl: config.publicUrl, logStream: deps.logStream });

  registerAuth(app, {
    apiKeys: services.apiKeys,
    findUser: (companyId, id) => findUser(db, companyId, id),
    rateLimiter: createRateLimiter({ ...config.rateLimit, clock }),
    adminKey: config.adminKey,
  });

  await app.register(healthRoutes({ db }));
  await app.register(adminRoutes({ companies: services.companies }));
  await app.register(apiKeysRoutes({ apiKeys: services.apiKeys }));
  await app.register(usersRoutes({ users: services.users, db }));
  await app.register(webhooksRoutes({ webhooks: services.webhooks }));
  await app.register(webhooksRoutes({ webhooks: services.webhooks }), { prefix: '/v4' });

  return { app, services };
}
