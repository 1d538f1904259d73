// The public pages in Chromium against the real double opt-in and group-session backends: a double
// opt-in type booked on its page shows "check your email", the emailed link (read from the SMTP
// sink) confirms it in the browser and the appointment then exists; the embed's parent message for
// such a booking carries bookingType and provisionalBookingId; a group type's starts say how many
// spots are left, a page booking joins the session, and a full session's start is no longer shown.
// A host approval type says the request was sent; the sizes of these pages are logged.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { TestApp, TestCompany } from '../helpers/app.ts';
import { browserSkipReason, screenshot } from '../helpers/browser.ts';
import { linkIn } from '../helpers/provisional.ts';
import { eventually } from '../helpers/receiver.ts';
import type { Captured } from '../helpers/smtp.ts';
import { type BrowserSession, check, inEmbed, startBrowserSession } from './browser-session.ts';
import { type PageHost, pageHost } from './page-helpers.ts';

const skip = browserSkipReason();
if (skip) console.log(`# ${skip}`);

let session: BrowserSession;
let t: TestApp;
let origin: string;
let company: TestCompany;
const sizes: { checkEmailPage?: number; groupCalendar?: number } = {};

before(async () => {
  if (skip) return;
  session = await startBrowserSession();
  ({ t, origin } = session);
  company = await t.newCompany('Holds Co');
});

after(async () => {
  if (!skip) await session?.close();
});

const visitor = () => session.visitor({ timezoneId: 'Europe/Berlin', locale: 'en-US' });

/** A page host whose meeting type is changed through PATCH /v4/meeting-type. */
async function hostWith(name: string, patch: Record<string, unknown>): Promise<PageHost> {
  const host = await pageHost(t, company, { name });
  const res = await host.api.patch(`/v4/meeting-type/${host.meetingTypeId}`, patch);
  assert.equal(res.statusCode, 200, res.body);
  return host;
}

async function mailTo(email: string, subject: RegExp): Promise<Captured> {
  return eventually(async () => session.smtp.messages.find((m) => m.to.includes(email) && subject.test(m.mime.headers.subject ?? '')), 20_000, `mail to ${email}`);
}

/** Fills the form of the time shown (phone only when the type asks for it) and books it. */
async function fillAndBook(page: Page | ReturnType<Page['frameLocator']>, details: { name: string; email: string }): Promise<void> {
  await page.getByLabel(/^Name/).fill(details.name);
  await page.getByLabel(/^Email/).fill(details.email);
  const phone = page.getByLabel(/^Phone/);
  if ((await phone.count()) > 0) await phone.fill('+49 30 1234');
  await page.getByRole('button', { name: /^Book$/ }).click();
}

describe('double opt-in and group types on the public pages, in Chromium', { skip }, () => {
  test('a double opt-in type: "check your email", the emailed link confirms in the browser, and the appointment exists', async () => {
    const host = await hostWith('Verified Call', { meetingOptions: { doubleOptIn: 'enabled' } });
    const page = await visitor();
    await page.goto(origin + host.typePath);
    await page.locator('.times a').first().click();
    const start = new URL(page.url()).searchParams.get('start')!;
    await fillAndBook(page, { name: 'Dora Double', email: 'dora@example.com' });
    await page.locator('#done').waitFor();
    assert.match(await page.locator('h1').innerText(), /Please check your email/);
    assert.match(await page.locator('main').innerText(), /dora@example\.com/);
    // Nothing is booked yet: no calendar file, no cancel or move link.
    assert.equal(await page.locator('a[download]').count(), 0);
    await check(page, '20-doi-check-email');
    sizes.checkEmailPage = Buffer.byteLength(await page.content());
    const before = (await host.api.get('/v4/appointment/paginated?pageSize=10')).json() as { total: number };
    assert.equal(before.total, 0, 'no appointment before the confirmation');

    const link = linkIn(await mailTo('dora@example.com', /^Please confirm: /), '/booking/confirm/double-opt-in');
    await page.goto(origin + link);
    assert.match(await page.locator('h1').innerText(), /Confirm your booking/);
    await check(page, '21-doi-confirm');
    await page.getByRole('button', { name: 'Confirm my booking' }).click();
    await page.getByText('Booking confirmed').waitFor();
    assert.match(await page.locator('main').innerText(), /your booking is confirmed/);
    await check(page, '22-doi-confirmed');

    const list = (await host.api.get('/v4/appointment/paginated?pageSize=10')).json() as { appointments: { start: string; attendees: { email: string }[] }[] };
    const booked = list.appointments.filter((a) => a.attendees.some((x) => x.email === 'dora@example.com'));
    assert.equal(booked.length, 1);
    assert.equal(Date.parse(booked[0]!.start), Date.parse(start));
  });

  test('in an embed, a double opt-in booking tells the parent its bookingType and provisionalBookingId', async () => {
    const host = await hostWith('Verified Embed', { meetingOptions: { doubleOptIn: 'enabled' } });
    const page = await visitor();
    const messages = await inEmbed(session, page, host.typePath, async (frame) => {
      await frame.locator('.times a').first().click();
      await fillAndBook(frame, { name: 'Erik Embed', email: 'erik@example.com' });
    });
    const data = messages[0]!;
    assert.equal(data.attendeeEmail, 'erik@example.com');
    assert.equal(String(data.bookingType).toLowerCase(), 'doubleoptin');
    assert.match(String(data.provisionalBookingId), /^[0-9a-f-]{36}$/);
    assert.ok(data.startTime && data.endTime);
    const holds = (await host.api.get('/v4/provisional-booking/paginated?all=true&pageSize=10')).json() as { provisionalBookings: { id: string }[] };
    assert.ok(holds.provisionalBookings.some((h) => h.id === data.provisionalBookingId), 'the id is the real hold');
    await screenshot(page, '23-doi-embed');
  });

  test('a group type: its starts say the spots left, a page booking joins the session, a full session is no longer offered', async () => {
    const host = await hostWith('Workshop', { spots: 2 });
    const page = await visitor();
    await page.goto(origin + host.typePath);
    const first = page.locator('.times a').first();
    assert.match(await first.innerText(), /2 spots left/);
    assert.match((await first.getAttribute('aria-label'))!, /, 2 spots left$/);
    await check(page, '24-group-calendar');
    sizes.groupCalendar = Buffer.byteLength((await t.app.inject({ url: host.typePath })).body);
    await first.click();
    const start = new URL(page.url()).searchParams.get('start')!;
    await fillAndBook(page, { name: 'Gina Group', email: 'gina@example.com' });
    await page.locator('#done').waitFor();
    assert.match(await page.locator('main').innerText(), /You are booked/);

    // The same start, now with one place left; a second visitor takes it.
    const second = await visitor();
    await second.goto(origin + host.typePath);
    const again = second.locator('.times a').first();
    assert.equal(new URL((await again.getAttribute('href'))!, origin).searchParams.get('start'), start);
    assert.match(await again.innerText(), /1 spot left/);
    await again.click();
    await fillAndBook(second, { name: 'Gus Group', email: 'gus@example.com' });
    await second.locator('#done').waitFor();

    const list = (await host.api.get('/v4/appointment/paginated?pageSize=10')).json() as { appointments: { id: string; start: string; attendees: { email: string }[] }[] };
    assert.equal(list.appointments.length, 1, 'both joined one session');
    assert.deepEqual(list.appointments[0]!.attendees.map((a) => a.email).sort(), ['gina@example.com', 'gus@example.com']);
    assert.equal(Date.parse(list.appointments[0]!.start), Date.parse(start));

    // Full: that start is gone from the page.
    await second.goto(origin + host.typePath);
    const starts = await second.locator('.times a').evaluateAll((links) => links.map((a) => new URL((a as HTMLAnchorElement).href).searchParams.get('start')));
    assert.ok(starts.length > 0, 'other starts are still offered');
    assert.ok(!starts.includes(start), `${start} is full and not shown`);
    await check(second, '25-group-full');
  });

  test('a host approval type: "your request has been sent", and nothing booked yet', async () => {
    const host = await hostWith('Approved Call', { meetingOptions: { requireHostConfirmation: 'enabled' } });
    const page = await visitor();
    await page.goto(origin + host.typePath);
    await page.locator('.times a').first().click();
    await fillAndBook(page, { name: 'Ada Approval', email: 'ada@example.com' });
    await page.locator('#done').waitFor();
    assert.match(await page.locator('h1').innerText(), /Your request has been sent/);
    assert.match(await page.locator('main').innerText(), /The host will confirm your request/);
    await check(page, '26-approval-requested');
    assert.equal((await host.api.get('/v4/appointment/paginated?pageSize=10')).json().total, 0);
    const holds = (await host.api.get('/v4/provisional-booking/paginated?all=true&pageSize=100')).json() as { provisionalBookings: { meetingTypeId: string; status: string }[] };
    const mine = holds.provisionalBookings.filter((h) => h.meetingTypeId === host.meetingTypeId);
    assert.deepEqual(mine.map((h) => h.status), ['pending']);
  });

  test('sizes: the check-your-email page and a group calendar stay under 50 KB', () => {
    console.log(`# page sizes in bytes: ${JSON.stringify(sizes)}`);
    assert.ok(sizes.checkEmailPage! > 0 && sizes.checkEmailPage! < 50_000);
    assert.ok(sizes.groupCalendar! > 0 && sizes.groupCalendar! < 50_000);
  });

  test('no page broke its Content-Security-Policy', () => {
    assert.deepEqual(session.violations, []);
  });
});
