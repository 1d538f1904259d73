// Shared set-up of the group-session tests: a host with a group meeting type and a seat-booking helper.
import assert from 'node:assert/strict';
import type { TestApp, TestCompany } from '../helpers/app.ts';
import { type TestHost, bookingBody, newHost, startHostApp } from '../helpers/bookings.ts';

/** A host whose meeting type has `spots` seats (set through PATCH /v4/meeting-type). */
export async function groupHost(t: TestApp, company: TestCompany, spots: number): Promise<TestHost> {
  const host = await newHost(t, company, { name: 'Workshop' });
  const res = await host.api.patch(`/v4/meeting-type/${host.meetingTypeId}`, { spots });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.json().spots, spots);
  return host;
}

export interface Seat {
  appointmentId: string;
  secret: string;
  attendeeId: string;
  start: string;
}

/** Books one seat for `email` and expects 201. */
export async function takeSeat(host: TestHost, start: string, email: string, extra: Record<string, unknown> = {}): Promise<Seat> {
  const res = await host.api.post('/v4/booking', bookingBody(host, start, { attendee: { email, firstname: email.split('@')[0] }, ...extra }));
  assert.equal(res.statusCode, 201, res.body);
  const body = res.json();
  return { appointmentId: body.appointmentId, secret: body.secret, attendeeId: body.attendeeId, start };
}

/** A test app on the fixed test clock with one company and a group host of `spots` seats. */
export function startGroupApp(spots: number, env?: Record<string, string>): Promise<{ t: TestApp; acme: TestCompany; host: TestHost }> {
  return startHostApp((t, acme) => groupHost(t, acme, spots), env ? { env } : {});
}
