// GET /metrics (Prometheus, behind TERMIN_METRICS_TOKEN), /readyz and /healthz, as an operator's
// scraper and load balancer see them.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { serve } from '../../src/main.ts';
import { type TestApp, startTestApp, testConfig } from '../helpers/app.ts';
import { bookingBody, newHost, slot, testClock } from '../helpers/bookings.ts';
import { eventually, startReceiver } from '../helpers/receiver.ts';
import { startWorkers } from '../helpers/workers.ts';

const TOKEN = 'metrics-token-0123456789';

/** The value of one series, matched by name and a subset of its labels; undefined when absent. */
function metric(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/i.exec(line);
    if (!match || match[1] !== name) continue;
    const present = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => present[key] === value)) return Number(match[3]);
  }
  return undefined;
}

describe('without TERMIN_METRICS_TOKEN', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  test('GET /metrics is the ordinary 404, even with a bearer token', async () => {
    const res = await t.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().code, 'not_found');
  });

  test('/readyz is 503 while no workers run, /healthz stays 200', async () => {
    const ready = await t.app.inject({ url: '/readyz' });
    assert.equal(ready.statusCode, 503);
    assert.equal(ready.json().code, 'unavailable');
    assert.equal(ready.json().message, 'Not ready: background workers are not running');
    assert.equal((await t.app.inject({ url: '/healthz' })).statusCode, 200);
  });
});

describe('with TERMIN_METRICS_TOKEN', () => {
  let t: TestApp;
  const scrape = async () => {
    const res = await t.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(res.statusCode, 200);
    return res.body;
  };
  before(async () => {
    t = await startTestApp({ env: { TERMIN_METRICS_TOKEN: TOKEN }, clock: testClock() });
  });
  after(() => t.close());

  test('answers 401 in the error shape without the token or with a wrong one', async () => {
    for (const authorization of [undefined, 'Bearer wrong-token-0123456789', TOKEN]) {
      const res = await t.app.inject({ url: '/metrics', headers: authorization ? { authorization } : {} });
      assert.equal(res.statusCode, 401);
      assert.equal(res.json().code, 'unauthenticated');
    }
  });

  test('serves the Prometheus text format with process and pool metrics', async () => {
    const res = await t.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    assert.match(res.body, /# TYPE termin_http_requests_total counter/);
    assert.ok(metric(res.body, 'termin_process_resident_memory_bytes')! > 0);
    assert.ok(metric(res.body, 'termin_db_pool_connections', { state: 'total' }) !== undefined);
  });

  test('counts requests per route pattern, never per raw URL', async () => {
    const company = await t.newCompany('Metrics');
    const headers = { authorization: `Bearer ${company.apiKey}` };
    const ids = ['7c9e6679-7425-40de-944b-e07fc1f90ae7', '1b4e28ba-2fa1-41d2-883f-0016d3cca427'];
    for (const id of ids) await t.app.inject({ url: `/v4/user/${id}`, headers });
    await t.app.inject({ url: '/no/such/route', headers });
    const text = await scrape();
    assert.equal(metric(text, 'termin_http_requests_total', { method: 'GET', route: '/v4/user/:id', status: '404' }), 2);
    assert.equal(metric(text, 'termin_http_request_duration_seconds_count', { method: 'GET', route: '/v4/user/:id' }), 2);
    assert.equal(metric(text, 'termin_http_requests_total', { route: 'unmatched', status: '404' }), 1);
    for (const id of ids) assert.ok(!text.includes(id), 'no raw ids in label values');
  });

  test('reports slot-search cost, bookings created and the outbox backlog', async () => {
    const company = await t.newCompany('Metrics bookings');
    const host = await newHost(t, company);
    // One host, 2 days, a 30-minute meeting type: 48 candidate starts a day → cost 96.
    const search = await host.api.get(
      `/v4/booking-availability?meetingTypeId=${host.meetingTypeId}&start=2030-01-08&end=2030-01-09&timezone=Europe/Berlin`,
    );
    assert.equal(search.statusCode, 200, search.body);
    const booked = await host.api.post('/v4/booking', bookingBody(host, slot(1, '10:00')));
    assert.equal(booked.statusCode, 201, booked.body);
    const text = await scrape();
    assert.equal(metric(text, 'termin_slot_search_cost_count'), 1);
    assert.equal(metric(text, 'termin_slot_search_cost_sum'), 96);
    assert.equal(metric(text, 'termin_bookings_created_total'), 1);
    // No workers run here: the booking's events wait in the outbox.
    assert.ok(metric(text, 'termin_outbox_backlog', { queue: 'outbox_events' })! >= 1);
    assert.ok(metric(text, 'termin_outbox_oldest_age_seconds', { queue: 'outbox_events' })! >= 0);
    assert.equal(metric(text, 'termin_outbox_backlog', { queue: 'webhook_deliveries' }), 0);
  });

  test('counts webhook delivery attempts by outcome', async () => {
    const receiver = await startReceiver();
    const workers = await startWorkers(t);
    try {
      const company = await t.newCompany('Metrics webhooks');
      const host = await newHost(t, company);
      for (const endpoint of [receiver.url, 'http://127.0.0.1:9/closed']) {
        const res = await host.api.post('/webhooks', { endpoint, eventTypes: ['booking_created'] });
        assert.equal(res.statusCode, 201, res.body);
      }
      assert.equal((await host.api.post('/v4/booking', bookingBody(host, slot(2, '10:00')))).statusCode, 201);
      await eventually(
        async () => {
          const text = await scrape();
          const ok = metric(text, 'termin_webhook_delivery_attempts_total', { outcome: 'success' }) ?? 0;
          const refused = metric(text, 'termin_webhook_delivery_attempts_total', { outcome: 'network_error' }) ?? 0;
          return ok >= 1 && refused >= 1 ? true : undefined;
        },
        60_000,
        'one delivered and one refused attempt in /metrics',
      );
    } finally {
      await workers.stop();
      await receiver.close();
    }
  });
});

describe('a served process', () => {
  test('/readyz is 200 once the workers run; /metrics reports the pool', async () => {
    const config = { ...testConfig({ TERMIN_METRICS_TOKEN: TOKEN, PORT: '0' }), dataDir: 'memory://', databaseUrl: undefined };
    const server = await serve(config);
    try {
      const base = `http://127.0.0.1:${server.port}`;
      const ready = await fetch(`${base}/readyz`);
      assert.equal(ready.status, 200);
      assert.deepEqual(await ready.json(), { status: 'ready', database: 'ok', workers: 'ok' });
      const text = await (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
      assert.ok(metric(text, 'termin_db_pool_connections', { state: 'total' })! >= 1);
    } finally {
      await server.close();
    }
  });
});
