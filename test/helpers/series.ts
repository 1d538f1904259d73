// Series test helpers: a Berlin host (Mon–Fri 9–17, 30 minutes) whose meeting type allows recurring
// series and books a year ahead, and the body of a series booking.
import assert from 'node:assert/strict';
import type { TestApp, TestCompany } from './app.ts';
import { type TestHost, bookingBody, newHost } from './bookings.ts';

export async function newSeriesHost(t: TestApp, company: TestCompany, recurring: Record<string, unknown> = {}): Promise<TestHost> {
  const host = await newHost(t, company);
  const res = await host.api.patch(`/v4/meeting-type/${host.meetingTypeId}`, {
    meetingOptions: { recurring: { enabled: true, frequencies: ['weekly', 'biweekly', 'monthly'], maxSessions: 52, ...recurring } },
    daysIntoFuture: { mode: 'limit', bookingLimit: 5 * 365 * 24 * 60 },
  });
  assert.equal(res.statusCode, 200, res.body);
  return host;
}

export function seriesBody(host: TestHost, start: string, frequency: string, count: number, extra: Record<string, unknown> = {}) {
  return bookingBody(host, start, { recurrence: { frequency, count }, ...extra });
}

/** Berlin wall-clock time (HH:MM) of an instant. */
export function berlinTime(iso: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
}
