// A real webhook receiver on loopback: records every request (headers, raw body, arrival time)
// and answers from a script of responses (default 200).
import assert from 'node:assert/strict';
import { type IncomingHttpHeaders, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestHost } from './bookings.ts';
import { scaled } from './load.ts';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  json: { id: string; event: string; webhookType: string; createdAt: string; data: Record<string, unknown> };
  at: number;
}

export interface ScriptedAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export async function startReceiver(script: ScriptedAnswer[] = []) {
  const received: Received[] = [];
  const waiters: (() => void)[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ headers: request.headers, body, json: JSON.parse(body), at: Date.now() });
      const answer = script.shift() ?? { status: 200, body: 'OK' };
      response.writeHead(answer.status, answer.headers ?? {});
      response.end(answer.body ?? '');
      for (const wake of waiters.splice(0)) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/webhooks/meetergo`,
    port,
    received,
    script,
    /** Resolves when `count` requests have arrived (or rejects after `timeoutMs`, scaled by load). */
    async waitFor(count: number, timeoutMs = 5000): Promise<Received[]> {
      const deadline = Date.now() + scaled(timeoutMs);
      while (received.length < count) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`receiver got ${received.length} of ${count} requests`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return received;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Polls until `check` returns a value (not undefined) or the time (scaled by load) is up. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 5000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + scaled(timeoutMs);
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Subscribes `host` to booking_created, booking_rescheduled and booking_cancelled at `endpoint`; answers the signing secret. */
export async function subscribeToBookingEvents(host: TestHost, endpoint: string): Promise<string> {
  const subscription = await host.api.post('/webhooks', {
    endpoint,
    eventTypes: ['booking_created', 'booking_rescheduled', 'booking_cancelled'],
  });
  assert.equal(subscription.statusCode, 201, subscription.body);
  return subscription.json().secret;
}
