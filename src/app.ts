// Composition root: builds every service with its explicit dependencies and registers the routes.
// Nothing else wires things together.
import { createApiKeysService } from './api-keys/api-keys.service.ts';
import { apiKeysRoutes } from './api-keys/api-keys.routes.ts';
import { adminRoutes } from './companies/admin.routes.ts';
import { createCompaniesService } from './companies/companies.service.ts';
import type { Config } from './config.ts';
import type { Db } from './db/database.ts';
import { healthRoutes } from './health/health.routes.ts';
import { createReadiness } from './health/readiness.ts';
import { type PoolStats, createMetrics } from './metrics/metrics.ts';
import { metricsRoutes } from './metrics/metrics.routes.ts';
import { registerAuth } from './http/auth.ts';
import { createLimitStore } from './http/limits.ts';
import { type LimitStore, createMemoryLimitStore, perMinute } from './http/rate-limit.ts';
import { createServer } from './http/server.ts';
import { type Clock, systemClock } from './lib/clock.ts';
import { availabilityRoutes } from './availability/availability.routes.ts';
import { createAvailabilityService } from './availability/availability.service.ts';
import { slotSearchRoutes } from './availability/slot-search.routes.ts';
import { legacyAvailabilityRoutes } from './availability/legacy-availability.routes.ts';
import { createSlotSearchService } from './availability/slot-search.service.ts';
import { createBusyCache } from './availability/busy-cache.ts';
import { createSlotCache } from './availability/slot-cache.ts';
import type { SlotOracle } from './availability/slot-oracle.ts';
import { secretSealer } from './bookings/appointment-secrets.ts';
import { createAppointmentPresenter } from './bookings/appointment.presenter.ts';
import { appointmentsRoutes } from './bookings/appointments.routes.ts';
import { createAppointmentsService } from './bookings/appointments.service.ts';
import { appointmentOf } from './bookings/booking.outcome.ts';
import { createBookingService } from './bookings/booking.service.ts';
import { bookingsRoutes } from './bookings/bookings.routes.ts';
import { createLifecycleService } from './bookings/lifecycle.service.ts';
import { createSecretGuard } from './bookings/secret-guard.ts';
import { provisionalLinkRoutes } from './bookings/provisional/provisional-links.routes.ts';
import { provisionalRoutes } from './bookings/provisional/provisional.routes.ts';
import { createProvisionalService } from './bookings/provisional/provisional.service.ts';
import { meetingTypesRoutes } from './meeting-types/meeting-types.routes.ts';
import { createMeetingTypesService } from './meeting-types/meeting-types.service.ts';
import { createQueuesService } from './queues/queues.service.ts';
import { queuesRoutes } from './queues/queues.routes.ts';
import { attendeesRoutes } from './attendees/attendees.routes.ts';
import { createPendingAttendeesService } from './attendees/pending.service.ts';
import { createQuickMailService } from './attendees/quick-mail.service.ts';
import { transcriptionRoutes } from './bookings/transcription.routes.ts';
import { createTranscriptionService } from './bookings/transcription.service.ts';
import { templatesRoutes } from './meeting-type-templates/templates.routes.ts';
import { createTemplatesService } from './meeting-type-templates/templates.service.ts';
import { createTokensService } from './tokens/tokens.service.ts';
import { tokensRoutes } from './tokens/tokens.routes.ts';
import { pageSettingsRoutes } from './pages/page-settings.routes.ts';
import { createPageSettingsService } from './pages/page-settings.service.ts';
import { pageAssets } from './pages/pages.assets.ts';
import { pagesRoutes } from './pages/pages.routes.ts';
import { createPagesService } from './pages/pages.service.ts';
import { findUser } from './users/users.repo.ts';
import { usersRoutes } from './users/users.routes.ts';
import { createUsersService } from './users/users.service.ts';
import { createWakeups } from './outbox/wakeups.ts';
import { listReminderIds } from './notifications/reminders.repo.ts';
import type { SecretBox } from './lib/secret-box.ts';
import { loadSecretBox } from './webhooks/secret-keys.repo.ts';
import { webhooksRoutes } from './webhooks/webhooks.routes.ts';
import { calendarsRoutes } from './calendars/calendars.routes.ts';
import { createCalendarsService } from './calendars/calendars.service.ts';
import { createCalendarSync } from './calendars/calendar-sync.ts';
import { withCalendarRecheck } from './calendars/recheck-oracle.ts';
import { listCalendarSync } from './calendars/writes.repo.ts';
import { createWebhooksService } from './webhooks/webhooks.service.ts';

export interface AppDeps {
  config: Readonly<Config>;
  db: Db;
  clock?: Clock;
  logStream?: NodeJS.WritableStream;
  /** The database pool, whose connection counts /metrics reports. */
  pool?: PoolStats;
}

export function buildServices(deps: { config: Readonly<Config>; db: Db; clock: Clock; pool?: PoolStats; limits?: LimitStore }) {
  const { config, db, clock } = deps;
  // Metrics exist only when someone may read them (TERMIN_METRICS_TOKEN): no cost otherwise.
  const metrics = config.metricsToken ? createMetrics({ db, pool: deps.pool }) : undefined;
  const limits = deps.limits ?? createMemoryLimitStore({ clock });
  const apiKeys = createApiKeysService({ db, clock, cacheTtlMs: config.apiKeyCacheMs });
  const tokens = createTokensService({ db, clock, cacheTtlMs: config.apiKeyCacheMs });
  const users = createUsersService({ db, publicUrl: config.publicUrl });
  const companies = createCompaniesService({ db, users, apiKeys });
  const availability = createAvailabilityService({ db });
  const meetingTypes = createMeetingTypesService({ db, publicUrl: config.publicUrl, availability });
  const slotBudget = { perSecond: config.limits.slotCostPerSecond, capacity: config.limits.slotCostPerSecond };
  const slotSearch = createSlotSearchService({
    db,
    clock,
    onSearch: metrics?.observeSlotSearch,
    sliceMs: config.limits.slotSliceMs,
    calendarStaleAfterMs: config.calendars.staleAfterMs,
    busyCache: createBusyCache({ maxIntervals: config.busyCacheIntervals }),
    cost: {
      maxPerRequest: config.limits.slotCostPerRequest,
      perSecond: config.limits.slotCostPerSecond,
      take: (companyId, cost) => limits.take(`slots:${companyId}`, cost, slotBudget),
      check: (companyId, cost) => limits.check(`slots:${companyId}`, cost, slotBudget),
    },
  });
  const queues = createQueuesService({ db, clock });
  // Events out: wake-up calls between writers and workers.
  const wakeups = createWakeups();
  // The key that seals webhook signing secrets and appointment secrets, loaded once on first use.
  let secretBox: Promise<SecretBox> | undefined;
  const loadBox = () => {
    secretBox ??= loadSecretBox(db, config.secretKey).catch((error) => {
      secretBox = undefined;
      throw error;
    });
    return secretBox;
  };
  const calendarSync = createCalendarSync({ db, clock, secretBox: loadBox, config: config.calendars });
  // What bookings ask before writing: would slot search offer this start now (the hosts' calendars re-read first)?
  const slotOracle: SlotOracle = withCalendarRecheck(slotSearch, calendarSync);
  const secrets = secretSealer(loadBox);
  const presenter = createAppointmentPresenter({ listReminderIds, listCalendarSync, openSecret: secrets.open });
  const provisional = createProvisionalService({ db, clock, presenter, secrets });
  const booking = createBookingService({ db, clock, slotOracle, presenter, secrets, provisional });
  const secretGuard = createSecretGuard({ clock });
  // Moving a confirmed seat never waits for confirmation again (as a reschedule): no provisional step.
  const seatBooking = createBookingService({ db, clock, slotOracle, presenter, secrets });
  const lifecycle = createLifecycleService({ db, clock, slotOracle, presenter, secretGuard, secrets, bookSeat: async (companyId, input) => ({ body: appointmentOf(await seatBooking.book(companyId, input)) }) });
  const appointments = createAppointmentsService({ db, clock, presenter });
  const webhooks = createWebhooksService({ db, clock, ...config.webhooks, secretBox: loadBox, wakeups });
  const calendars = createCalendarsService({ db, clock, secretBox: loadBox, config: config.calendars, sync: calendarSync });
  return {
    metrics,
    readiness: createReadiness(),
    apiKeys,
    tokens,
    users,
    companies,
    availability,
    meetingTypes,
    slotSearch,
    slotOracle,
    booking,
    provisional,
    lifecycle,
    appointments,
    queues,
    wakeups,
    secretBox: loadBox,
    webhooks,
    templates: createTemplatesService({ db, clock, meetingTypes }),
    transcription: createTranscriptionService({ db, clock, presenter }),
    quickMail: createQuickMailService({ db, clock, wakeups }),
    pendingAttendees: createPendingAttendeesService({ db, clock }),
    calendarSync,
    calendars,
    slotCache: createSlotCache({ clock, ttlMs: config.slotCacheMs }),
    pages: createPagesService({ db, clock, slotSearch, booking, lifecycle, appointments, secretGuard }),
    pageSettings: createPageSettingsService({ db, publicUrl: config.publicUrl }),
  };
}

export type Services = ReturnType<typeof buildServices>;

export async function buildApp(deps: AppDeps) {
  const clock = deps.clock ?? systemClock;
  const { config, db } = deps;
  const app = await createServer({
    logLevel: config.logLevel,
    publicUrl: config.publicUrl,
    logStream: deps.logStream,
    trustProxyHops: config.trustProxyHops,
    connections: config.server,
  });
  const limits = await createLimitStore(config, { clock, log: app.log });
  app.addHook('onClose', () => limits.close());
  const services = buildServices({ config, db, clock, pool: deps.pool, limits });
  // Loaded now, not on first use: appointments show their sealed secret from inside transactions,
  // and on the embedded database (one connection) loading the key there would wait forever.
  await services.secretBox();

  registerAuth(app, {
    apiKeys: services.apiKeys,
    tokens: services.tokens,
    findUser: (companyId, id) => findUser(db, companyId, id),
    limits,
    buckets: {
      key: perMinute(config.rateLimit.perMinute, config.rateLimit.burst),
      company: perMinute(config.limits.companyPerMinute, config.limits.companyBurst),
      authFailures: perMinute(config.limits.authFailuresPerMinute, config.limits.authFailuresPerMinute),
    },
    adminKey: config.adminKey,
  });

  // Every change made through this instance (any non-GET request, whatever its outcome) forgets the
  // company's cached slot answers before its response leaves; without a company, everyone's.
  app.addHook('onSend', async (request) => {
    if (services.slotCache.enabled && request.method !== 'GET' && request.method !== 'HEAD' && !request.routeOptions.config?.ownSlotCache) {
      services.slotCache.invalidate(request.principal?.companyId);
    }
  });

  const { metrics } = services;
  if (metrics) {
    app.addHook('onResponse', async (request, reply) => {
      metrics.observeRequest(request.method, request.routeOptions.url, reply.statusCode, reply.elapsedTime / 1000);
    });
    await app.register(metricsRoutes({ metrics, token: config.metricsToken! }));
  }

  await app.register(healthRoutes({ db, readiness: services.readiness }));
  await app.register(adminRoutes({ companies: services.companies }));
  await app.register(apiKeysRoutes({ apiKeys: services.apiKeys }));
  await app.register(
    tokensRoutes({
      tokens: services.tokens,
      userExists: async (companyId, userId) => (await findUser(db, companyId, userId)) !== undefined,
    }),
  );
  await app.register(usersRoutes({ users: services.users, db }));
  await app.register(availabilityRoutes({ availability: services.availability }));
  await app.register(meetingTypesRoutes({ meetingTypes: services.meetingTypes }));
  await app.register(legacyAvailabilityRoutes({ slotSearch: services.slotSearch }));
  await app.register(slotSearchRoutes({ slotSearch: services.slotSearch, slotCache: services.slotCache }));
  await app.register(bookingsRoutes({ booking: services.booking, lifecycle: services.lifecycle }));
  await app.register(appointmentsRoutes({ appointments: services.appointments, lifecycle: services.lifecycle }));
  await app.register(provisionalRoutes({ provisional: services.provisional }));
  await app.register(provisionalLinkRoutes({ provisional: services.provisional }));
  await app.register(queuesRoutes({ queues: services.queues }));
  await app.register(templatesRoutes({ templates: services.templates }));
  await app.register(transcriptionRoutes({ transcription: services.transcription }));
  await app.register(attendeesRoutes({ quickMail: services.quickMail, pending: services.pendingAttendees }));
  await app.register(webhooksRoutes({ webhooks: services.webhooks }));
  await app.register(webhooksRoutes({ webhooks: services.webhooks }), { prefix: '/v4' });
  await app.register(calendarsRoutes({ calendars: services.calendars }));
  await app.register(pageSettingsRoutes({ settings: services.pageSettings }));
  await app.register(
    pagesRoutes({
      pages: services.pages,
      assets: await pageAssets(),
      publicUrl: config.publicUrl,
      frameAncestors: config.pages.frameAncestors,
      limiter: { take: (key: string) => limits.take(key, 1, perMinute(config.pages.perMinute, config.pages.burst)) },
      slotCache: services.slotCache,
      icsBySecret: async (id, secret, address) => {
        const { companyId } = await services.lifecycle.bySecret(id, secret, address);
        return services.appointments.ics(companyId, id);
      },
    }),
  );

  return { app, services };
}
