// Helpers for the public booking pages' tests: a host with its page paths, and the page's own
// links and forms read out of the served HTML, so tests follow what a visitor would click.
import assert from 'node:assert/strict';
import type { TestApp, TestCompany } from '../helpers/app.ts';
import { type TestHost, newHost } from '../helpers/bookings.ts';

export interface PageHost extends TestHost {
  /** Path of the personal page and of the meeting type's page, from their bookingUrl. */
  personalPath: string;
  typePath: string;
}

export async function pageHost(t: TestApp, company: TestCompany, meetingType: Record<string, unknown> = {}): Promise<PageHost> {
  const host = await newHost(t, company, meetingType);
  const user = await host.api.get(`/v4/user/${host.userId}`);
  const type = await host.api.get(`/v4/meeting-type/${host.meetingTypeId}`);
  assert.equal(type.statusCode, 200, type.body);
  return { ...host, personalPath: new URL(user.json().bookingUrl).pathname, typePath: new URL(type.json().bookingUrl).pathname };
}

export const decode = (text: string) =>
  text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The time links of the day shown, as [visible time, href]. */
export function timeLinks(html: string): [string, string][] {
  const list = html.split('<ul class="times">')[1]?.split('</ul>')[0] ?? '';
  return [...list.matchAll(/<a href="([^"]+)"[^>]*>([^<]+)<\/a>/g)].map((m) => [decode(m[2]!), decode(m[1]!)]);
}

/** The hidden fields of the booking form, plus `fields`, as a form-encoded body. */
export function formBody(html: string, fields: Record<string, string>): string {
  const form = html.split('<form method="post"')[1]?.split('</form>')[0];
  assert.ok(form, 'the page shows the booking form');
  const params = new URLSearchParams();
  for (const m of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) params.set(decode(m[1]!), decode(m[2]!));
  for (const [key, value] of Object.entries(fields)) params.set(key, value);
  return params.toString();
}

export function postForm(t: TestApp, path: string, body: string, remoteAddress?: string) {
  return t.app.inject({
    method: 'POST',
    url: path,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: body,
    ...(remoteAddress ? { remoteAddress } : {}),
  });
}

/** Opens a time's form and books it with these details; returns the answer. */
export async function bookThrough(t: TestApp, timeHref: string, fields: Record<string, string>, remoteAddress?: string) {
  const page = await t.app.inject({ url: timeHref, ...(remoteAddress ? { remoteAddress } : {}) });
  assert.equal(page.statusCode, 200, page.body.slice(0, 500));
  return postForm(t, timeHref.split('?')[0]!, formBody(page.body, fields), remoteAddress);
}

export const confirmationLinks = (html: string) => ({
  ics: decode(/href="([^"]+)" download/.exec(html)?.[1] ?? ''),
  reschedule: decode(/href="([^"]*\?reschedule=[^"]+)"/.exec(html)?.[1] ?? ''),
  cancel: decode(/href="([^"]*\/booking\/confirm\/cancel\/[^"]+)"/.exec(html)?.[1] ?? ''),
});
