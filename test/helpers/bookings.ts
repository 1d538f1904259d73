// Booking test helpers: a clock fixed on a Monday morning, a file's app with its companies (and a
// host), hosts created through the API (Mon–Fri 9–17 Europe/Berlin, 30-minute meeting type), and
// booking bodies for slots that host offers.
import { type Clock, fixedClock } from '../../src/lib/clock.ts';
import { type TestApp, type TestCompany, client, startTestApp } from './app.ts';
import { newHost as createHost } from './hosts.ts';

/** Monday 2030-01-07, 07:00 in Berlin. */
export const NOW = '2030-01-07T06:00:00Z';

export const testClock = () => fixedClock(NOW);

export interface TestHost {
  userId: string;
  meetingTypeId: string;
  api: ReturnType<typeof client>;
}

export async function newHost(t: TestApp, company: TestCompany, meetingType: Record<string, unknown> = {}): Promise<TestHost> {
  const { userId, meetingTypeId } = await createHost(t, company, {
    givenName: 'Hanna',
    familyName: 'Host',
    meetingType: { name: 'Discovery Call', duration: 30, ...meetingType },
  });
  return { userId, meetingTypeId, api: client(t.app, company.apiKey, userId) };
}

/**
 * A file's app on the test clock (or `clock`) with two companies: Acme, where the tests work, and
 * Other, whose key must not reach Acme's resources. In `before`: `({ t, acme } = await startAcmeApp())`.
 */
export async function startAcmeApp(
  options: { clock?: Clock; env?: Record<string, string> } = {},
): Promise<{ t: TestApp; acme: TestCompany; other: TestCompany }> {
  const t = await startTestApp({ clock: options.clock ?? testClock(), ...(options.env ? { env: options.env } : {}) });
  const acme = await t.newCompany('Acme');
  return { t, acme, other: await t.newCompany('Other') };
}

/** The same with one host of Acme, made by `makeHost` (a plain host unless given). */
export async function startHostApp(
  makeHost: (t: TestApp, company: TestCompany) => Promise<TestHost> = newHost,
  options: { clock?: Clock; env?: Record<string, string> } = {},
): Promise<{ t: TestApp; acme: TestCompany; other: TestCompany; host: TestHost }> {
  const started = await startAcmeApp(options);
  return { ...started, host: await makeHost(started.t, started.acme) };
}

/** A Berlin wall time on a day after NOW, e.g. slot(1, '10:00') = Tuesday 10:00 +01:00. */
export function slot(daysAfterMonday: number, time: string): string {
  const day = new Date(Date.UTC(2030, 0, 7 + daysAfterMonday)).toISOString().slice(0, 10);
  return `${day}T${time}:00+01:00`;
}

export function bookingBody(host: TestHost, start: string, extra: Record<string, unknown> = {}) {
  return {
    meetingTypeId: host.meetingTypeId,
    start,
    attendee: { email: 'jane@example.com', firstname: 'Jane', lastname: 'Doe' },
    ...extra,
  };
}

export { type ParsedIcs, parseIcs } from './ics.ts';
