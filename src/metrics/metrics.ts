// Prometheus metrics of one process, in its own registry (several apps in one test process do not
// share counters). HTTP requests are labelled by route pattern — never the raw URL, whose ids
// would make a series per appointment — and unmatched requests share one label.
import { createRequire } from 'node:module';
import type * as PromClient from 'prom-client';
import type { Db } from '../db/database.ts';
import { type QueueBacklog, readBacklog, readDeliveryAttempts } from './metrics.repo.ts';

/** The pool counters node-postgres keeps (the PGlite adapter keeps the same). */
export interface PoolStats {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/** Work one slot search did: hosts × candidate starts across the searched days. */
export interface SlotSearchCost {
  hosts: number;
  days: number;
  startsPerDay: number;
}

// Routes that create a booking (an appointment or a provisional booking) when they answer 2xx.
const BOOKING_ROUTES = new Set(['POST /v4/booking']);

export function createMetrics(deps: { db: Db; pool?: PoolStats; defaultMetrics?: boolean }) {
  // Required here, not imported at the top: a server without TERMIN_METRICS_TOKEN never loads it.
  const { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } = createRequire(import.meta.url)('prom-client') as typeof PromClient;
  const registry = new Registry();
  registry.setDefaultLabels({ service: 'termin' });
  if (deps.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'termin_' });

  const requests = new Counter({
    name: 'termin_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'termin_http_request_duration_seconds',
    help: 'Time from request to response, by method and route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const slotCost = new Histogram({
    name: 'termin_slot_search_cost',
    help: 'Candidate slot starts examined per slot search: hosts × days × starts per day',
    buckets: [100, 1_000, 10_000, 50_000, 100_000, 500_000, 1_000_000, 5_000_000],
    registers: [registry],
  });
  const bookings = new Counter({
    name: 'termin_bookings_created_total',
    help: 'Bookings created through the API (appointments and provisional bookings)',
    registers: [registry],
  });
  // Both backlog gauges are collected in the same scrape: they share one query.
  let backlogRead: Promise<QueueBacklog[]> | undefined;
  const backlog = () => {
    backlogRead ??= readBacklog(deps.db).finally(() => {
      setImmediate(() => {
        backlogRead = undefined;
      });
    });
    return backlogRead;
  };
  const backlogGauge = (name: string, help: string, value: (row: QueueBacklog) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['queue'] as const,
      registers: [registry],
      async collect() {
        this.reset();
        for (const row of await backlog()) this.set({ queue: row.queue }, value(row));
      },
    });
  backlogGauge(
    'termin_outbox_backlog',
    'Due, unfinished items per queue (events not yet dispatched, deliveries, emails, reminders)',
    (row) => row.due,
  );
  backlogGauge('termin_outbox_oldest_age_seconds', 'How long the oldest due item of each queue has waited', (row) => row.oldestAgeSeconds);
  new Counter({
    name: 'termin_webhook_delivery_attempts_total',
    help: 'Webhook delivery attempts in the delivery log (all instances), by outcome',
    labelNames: ['outcome'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const [outcome, count] of Object.entries(await readDeliveryAttempts(deps.db))) this.inc({ outcome }, count);
    },
  });
  const pool = deps.pool;
  if (pool) {
    new Gauge({
      name: 'termin_db_pool_connections',
      help: 'Database pool connections: total open, idle, and requests waiting for one',
      labelNames: ['state'] as const,
      registers: [registry],
      collect() {
        this.set({ state: 'total' }, pool.totalCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'waiting' }, pool.waitingCount);
      },
    });
  }

  return {
    registry,
    /** One answered request; `route` is the matched pattern (undefined when nothing matched). */
    observeRequest(method: string, route: string | undefined, status: number, seconds: number) {
      const pattern = route ?? 'unmatched';
      requests.inc({ method, route: pattern, status: String(status) });
      latency.observe({ method, route: pattern }, seconds);
      if (status >= 200 && status < 300 && BOOKING_ROUTES.has(`${method} ${pattern}`)) bookings.inc();
    },
    observeSlotSearch(cost: SlotSearchCost) {
      slotCost.observe(cost.hosts * cost.days * cost.startsPerDay);
    },
    render: () => registry.metrics(),
    contentType: registry.contentType,
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
