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
import { availabilityRoutes } from './availability/availability.routes.ts';
import { createAvailabilityService } from './availability/availability.service.ts';
import { slotSearchRoutes } from './availability/slot-search.routes.ts';
import { createSlotSearchService } from './availability/slot-search.service.ts';
import { createSlotCache } from './availability/slot-cache.ts';
import type { SlotOracle } from './availability/slot-oracle.ts';
import { secretSealer } from './bookings/appointment-secrets.ts';
import { createAppointmentPresenter } from './bookings/appointment.presenter.ts';
import { appointmentsRoutes } from './bookings/appointments.routes.ts';
import { createAppointmentsService } from './bookings/appointments.service.ts';
import { createBookingService } from './bookings/booking.service.ts';
import { bookingsRoutes } from './bookings/bookings.routes.ts';
import { createLifecycleService } from './bookings/lifecycle.service.ts';
import { createSecretGuard } from './bookings/secret-guard.ts';
import { selfServiceRoutes } from './bookings/self-service.routes.ts';
import { createSelfServiceService } from './bookings/self-service.service.ts';
import { meetingTypesRoutes } from './meeting-types/meeting-types.routes.ts';
import { createMeetingTypesService } from './meeting-types/meeting-types.service.ts';
import { findUser } from './users/users.repo.ts';
import { usersRoutes } from './users/users.routes.ts';
import { createUsersService } from './users/users.service.ts';
import { createWakeups } from './outbox/wakeups.ts';
import { listReminderIds } from './notifications/reminders.repo.ts';
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
  const apiKeys = createApiKeysService({ db, clock, cacheTtlMs: config.apiKeyCacheMs });
  const users = createUsersService({ db, publicUrl: config.publicUrl });
  const companies = createCompaniesService({ db, users, apiKeys });
  const availability = createAvailabilityService({ db });
  const meetingTypes = createMeetingTypesService({ db, publicUrl: config.publicUrl, availability });
  const slotSearch = createSlotSearchService({ db, clock });
  // What bookings ask before writing: would slot search offer this start now?
  const slotOracle: SlotOracle = slotSearch;
  // The key that seals webhook signing secrets and appointment secrets, loaded once on first use.
  let secretBox: Promise<SecretBox> | undefined;
  const loadBox = () => {
    secretBox ??= loadSecretBox(db, config.secretKey).catch((error) => {
      secretBox = undefined;
      throw error;
    });
    return secretBox;
  };
  const secrets = secretSealer(loadBox);
  const presenter = createAppointmentPresenter({ listReminderIds, openSecret: secrets.open });
  const booking = createBookingService({ db, clock, slotOracle, presenter, secrets });
  const secretGuard = createSecretGuard({ clock });
  const lifecycle = createLifecycleService({ db, clock, slotOracle, presenter, secretGuard, secrets });
  const appointments = createAppointmentsService({ db, clock, presenter });
  // Events out: wake-up calls between writers and workers.
  const wakeups = createWakeups();
  const webhooks = createWebhooksService({ db, clock, ...config.webhooks, secretBox: loadBox, wakeups });
  return {
    apiKeys,
    users,
    companies,
    availability,
    meetingTypes,
    slotSearch,
    slotOracle,
    booking,
    lifecycle,
    appointments,
    wakeups,
    secretBox: loadBox,
    webhooks,
    selfService: createSelfServiceService({ clock, lifecycle, appointments, slotSearch }),
    slotCache: createSlotCache({ clock, ttlMs: config.slotCacheMs }),
  };
}

export type Services = ReturnType<typeof buildServices>;

export async function buildApp(deps: AppDeps) {
  const clock = deps.clock ?? systemClock;
  const { config, db } = deps;
  const services = buildServices({ config, db, clock });
  // Loaded now, not on first use: appointments show their sealed secret from inside transactions,
  // and on the embedded database (one connection) loading the key there would wait forever.
  await services.secretBox();
  const app = await createServer({
    logLevel: config.logLevel,
    publicUrl: config.publicUrl,
    logStream: deps.logStream,
    trustProxyHops: config.trustProxyHops,
  });

  registerAuth(app, {
    apiKeys: services.apiKeys,
    findUser: (companyId, id) => findUser(db, companyId, id),
    rateLimiter: createRateLimiter({ ...config.rateLimit, clock }),
    adminKey: config.adminKey,
  });

  // Every change made through this instance (any non-GET request, whatever its outcome) forgets the
  // company's cached slot answers before its response leaves; without a company, everyone's.
  app.addHook('onSend', async (request) => {
    if (services.slotCache.enabled && request.method !== 'GET' && request.method !== 'HEAD') {
      services.slotCache.invalidate(request.principal?.companyId);
    }
  });

  await app.register(healthRoutes({ db }));
  await app.register(adminRoutes({ companies: services.companies }));
  await app.register(apiKeysRoutes({ apiKeys: services.apiKeys }));
  await app.register(usersRoutes({ users: services.users, db }));
  await app.register(availabilityRoutes({ availability: services.availability }));
  await app.register(meetingTypesRoutes({ meetingTypes: services.meetingTypes }));
  await app.register(slotSearchRoutes({ slotSearch: services.slotSearch, slotCache: services.slotCache }));
  await app.register(bookingsRoutes({ booking: services.booking, lifecycle: services.lifecycle }));
  await app.register(appointmentsRoutes({ appointments: services.appointments, lifecycle: services.lifecycle }));
  await app.register(webhooksRoutes({ webhooks: services.webhooks }));
  await app.register(webhooksRoutes({ webhooks: services.webhooks }), { prefix: '/v4' });
  await app.register(selfServiceRoutes({ selfService: services.selfService }));

  return { app, services };
}
