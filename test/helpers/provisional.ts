// Provisional-booking test helpers: a host whose meeting type asks for double opt-in and/or host
// approval, and the link of a hold's email read out of the captured message.
import assert from 'node:assert/strict';
import type { TestApp, TestCompany } from './app.ts';
import { type TestHost, newHost } from './bookings.ts';
import { type Captured, partOf } from './smtp.ts';

export type TriState = 'disabled' | 'enabled' | 'useCompanySettings';

export async function holdingHost(t: TestApp, company: TestCompany, options: { doubleOptIn?: TriState; requireHostConfirmation?: TriState }): Promise<TestHost> {
  const host = await newHost(t, company);
  const res = await host.api.patch(`/v4/meeting-type/${host.meetingTypeId}`, { meetingOptions: options });
  assert.equal(res.statusCode, 200, res.body);
  return host;
}

/** The path (with token) of the link in a hold's email, e.g. /booking/confirm/double-opt-in/<id>/<token>. */
export function linkIn(mail: Captured, prefix: string): string {
  const text = partOf(mail, 'text/plain')!.body;
  const match = new RegExp(`http://termin\\.test(${prefix}/[^\\s]+)`).exec(text);
  assert.ok(match, `no ${prefix} link in: ${text}`);
  return match[1]!;
}
