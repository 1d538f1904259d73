// The public pages in a real browser (Debian's Chromium via playwright-core): booking from the
// personal page in another zone than the host's, the attendee's email agreeing with the API,
// seed 000's reschedule link, cancelling through the email link, a one-time link used twice, the
// embed telling its parent, a phone-sized screen, German, and axe-core on every page; a team
// page booked through its queue; moving through the email's link on the month calendar (with a
// time taken meanwhile) and cancelling through the email's link with a reason.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { TestApp } from '../helpers/app.ts';
import { browserSkipReason, screenshot } from '../helpers/browser.ts';
import { bookingBody, slot } from '../helpers/bookings.ts';
import { eventually } from '../helpers/receiver.ts';
import { type Captured, partOf } from '../helpers/smtp.ts';
import { type TestTeam, newTeam } from '../helpers/teams.ts';
import { type BrowserSession, check, inEmbed, startBrowserSession } from './browser-session.ts';
import { type PageHost, pageHost } from './page-helpers.ts';

const skip = browserSkipReason();
if (skip) console.log(`# ${skip}`);

let session: BrowserSession;
let t: TestApp;
let smtp: BrowserSession['smtp'];
let origin: string;
let host: PageHost;
let companyId: string;
let team: TestTeam;

before(async () => {
  if (skip) return;
  session = await startBrowserSession();
  ({ t, smtp, origin } = session);
  const company = await t.newCompany('Browser Co');
  companyId = company.companyId;
  host = await pageHost(t, company);
  team = await newTeam(t, company, 2);
});

after(async () => {
  if (!skip) await session?.close();
});

const visitor = (options: { timezoneId: string; locale: string; width?: number }): Promise<Page> => session.visitor(options);

async function mailsTo(email: string, count: number): Promise<Captured[]> {
  return eventually(async () => {
    const found = smtp.messages.filter((m) => m.to.includes(email));
    return found.length >= count ? found : undefined;
  }, 20_000, `${count} mails to ${email}`);
}

async function bookFirstTime(page: Page, details: { name: string; email: string }): Promise<string> {
  const time = page.locator('.times a').first();
  const label = (await time.getAttribute('aria-label'))!;
  await time.click();
  await page.getByLabel(/^(Name)/).fill(details.name);
  await page.getByLabel(/^(Email|E-Mail)/).fill(details.email);
  await page.getByLabel(/^(Phone|Telefon)/).fill('+1 212 555 0100');
  await page.getByRole('button', { name: /^(Book|Buchen)$/ }).click();
  await page.locator('#done').waitFor();
  return label;
}

describe('public booking pages in Chromium', { skip }, () => {
  test('a New York visitor books a Berlin host from the personal page; email and API agree on the instant', async () => {
    const page = await visitor({ timezoneId: 'America/New_York', locale: 'en-US' });
    await page.goto(origin + host.personalPath);
    await check(page, '01-personal-page');
    await page.getByRole('link', { name: /Discovery Call/ }).click();
    // The script noticed the visitor's own zone and reloaded the page in it.
    await page.waitForURL(/tz=America%2FNew_York/);
    assert.match(await page.locator('#times + p').innerText(), /America\/New_York/);
    await check(page, '02-calendar');
    await page.locator('.times a').first().click();
    await check(page, '03-form');
    await page.goBack();
    const chosen = await bookFirstTime(page, { name: 'Nora York', email: 'nora@example.com' });
    await check(page, '04-confirmation');
    assert.match(chosen, /3:00\sAM \(America\/New_York\)/);
    assert.match(await page.locator('main').innerText(), /You are booked/);

    const mail = (await mailsTo('nora@example.com', 1))[0]!;
    const text = partOf(mail, 'text/plain')!.body;
    const when = chosen.replace(/\s/g, ' ');
    assert.ok(text.replace(/\s/g, ' ').includes(when.replace(/ \(America\/New_York\)/, '')), `${when} in the email`);
    const list = (await host.api.get('/v4/appointment/paginated?pageSize=10')).json() as { appointments: { start: string; attendees: { email: string }[] }[] };
    const booked = list.appointments.find((a) => a.attendees[0]?.email === 'nora@example.com')!;
    assert.equal(new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hour: 'numeric', minute: '2-digit' }).format(new Date(booked.start)), '3:00 AM');
  });

  test('cancel through the email link, with a reason', async () => {
    const mail = (await mailsTo('nora@example.com', 1))[0]!;
    const cancel = /http:\/\/termin\.test(\/booking\/confirm\/cancel\/[^\s"]+)/.exec(partOf(mail, 'text/plain')!.body)![1]!;
    const page = await visitor({ timezoneId: 'America/New_York', locale: 'en-US' });
    await page.goto(origin + cancel);
    await check(page, '05-cancel');
    await page.getByLabel('Reason (optional)').fill('Something came up');
    await page.getByRole('button', { name: 'Cancel the appointment' }).click();
    await page.getByText('Your appointment has been cancelled').waitFor();
    await check(page, '06-cancelled');
    const id = /cancel\/([^/]+)\//.exec(cancel)![1]!;
    const shown = await t.services.appointments.get(companyId, id);
    assert.equal(shown.isCancelled, true);
    assert.equal(shown.cancel?.reason, 'Something came up');
  });

  test('seed 000’s reschedule link: the old time is shown, a new time moves it', async () => {
    const booked = (await host.api.post('/v4/booking', bookingBody(host, slot(3, '10:00'), { attendee: { email: 'rex@example.com', fullname: 'Rex' } }))).json();
    const page = await visitor({ timezoneId: 'Europe/Berlin', locale: 'en-GB' });
    await page.goto(`${origin}${host.typePath}?reschedule=${booked.appointmentId}&email=rex@example.com`);
    assert.match(await page.locator('.notice').innerText(), /You are moving your appointment of Thursday, January 10, 2030 at 10:00/);
    await check(page, '07-reschedule');
    await page.locator('.times a').first().click();
    await page.getByRole('button', { name: 'Move the appointment here' }).click();
    await page.locator('#done').waitFor();
    assert.match(await page.locator('h1').innerText(), /moved/);
    const moved = await t.services.appointments.get(companyId, booked.appointmentId);
    assert.notEqual(moved.start, '2030-01-10T09:00:00.000Z');
  });

  test('a one-time link books once, then says it was used', async () => {
    const { url } = (await host.api.post(`/v4/one-time-booking-link/create/${host.meetingTypeId}`)).json();
    const link = origin + new URL(url).pathname + new URL(url).search;
    const page = await visitor({ timezoneId: 'Europe/Berlin', locale: 'en-US' });
    await page.goto(link);
    await bookFirstTime(page, { name: 'Olga Once', email: 'olga@example.com' });
    await page.goto(link);
    assert.match(await page.locator('h1').innerText(), /This link has been used/);
    await check(page, '08-used-link');
  });

  test('German on a 375 px phone: readable, no sideways scrolling, and a 404 page', async () => {
    const page = await visitor({ timezoneId: 'Europe/Berlin', locale: 'de-DE', width: 375 });
    await page.goto(origin + host.typePath);
    assert.equal(await page.locator('html').getAttribute('lang'), 'de');
    assert.match(await page.locator('#times').innerText(), /Uhrzeit wählen/);
    assert.match(await page.locator('.times a').first().innerText(), /^\d\d:\d\d$/);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 375), 'fits 375 px');
    await check(page, '09-phone-de');
    await page.locator('.times a').first().click();
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 375), 'the form fits 375 px');
    await check(page, '10-phone-form');
    await page.goto(`${origin}/nobody-here`);
    await check(page, '11-not-found');
  });

  test('in an embed, a booking is posted to the parent page', async () => {
    const page = await visitor({ timezoneId: 'Europe/Berlin', locale: 'en-US' });
    const messages = await inEmbed(session, page, host.typePath, async (frame) => {
      await frame.locator('.times a').first().click();
      await frame.getByLabel('Name').fill('Emma Embed');
      await frame.getByLabel('Email').fill('emma@example.com');
      await frame.getByLabel('Phone').fill('+49 30 1234');
      await frame.getByRole('button', { name: 'Book' }).click();
    });
    assert.equal(messages[0]!.attendeeEmail, 'emma@example.com');
    assert.match(String(messages[0]!.appointmentId), /^[0-9a-f-]{36}$/);
    assert.ok(messages[0]!.secret && messages[0]!.startTime && messages[0]!.endTime);
    await screenshot(page, '12-embed');
  });

  test('the email’s reschedule link opens the month calendar with the old time; a time taken meanwhile is said, and another one moves it', async () => {
    const attendee = { email: 'mo@example.com', fullname: 'Mo Move', timezone: 'America/New_York', language: 'en' };
    const booked = (await host.api.post('/v4/booking', bookingBody(host, slot(4, '10:00'), { attendee }))).json();
    const mail = (await mailsTo('mo@example.com', 1))[0]!;
    const link = /http:\/\/termin\.test(\/booking\/confirm\/reschedule\/[^\s"]+)/.exec(partOf(mail, 'text/plain')!.body)![1]!;
    const page = await visitor({ timezoneId: 'America/New_York', locale: 'en-US' });
    await page.goto(origin + link);
    await page.waitForURL(/reschedule=/);
    assert.match(await page.locator('.notice').innerText(), /You are moving your appointment of Friday, January 11, 2030 at 4:00\sAM \(America\/New_York\)/);
    assert.equal(await page.locator('table.cal').count(), 1, 'the month calendar');
    await check(page, '13-email-reschedule');
    await page.locator('.times a').first().click();
    const taken = new URL(page.url()).searchParams.get('start')!;
    // Someone else takes that time while the attendee looks at the form.
    assert.equal((await host.api.post('/v4/booking', bookingBody(host, taken, { attendee: { email: 'quick@example.com', fullname: 'Quick' } }))).statusCode, 201);
    await page.getByRole('button', { name: 'Move the appointment here' }).click();
    await page.getByText('Sorry, that time was just taken').waitFor();
    assert.match(await page.locator('main').innerText(), /You are moving your appointment of/);
    await check(page, '14-slot-taken');
    await page.locator('.times a').nth(1).click();
    const chosen = new URL(page.url()).searchParams.get('start')!;
    await page.getByRole('button', { name: 'Move the appointment here' }).click();
    await page.locator('#done').waitFor();
    assert.match(await page.locator('h1').innerText(), /moved/);
    const moved = await t.services.appointments.get(companyId, booked.appointmentId);
    assert.equal(moved.start, new Date(chosen).toISOString());
    assert.equal(moved.isCancelled, false);
  });

  test('a team page on a 375 px phone: the team’s name, the members’ starts, and the queue picks a member', async () => {
    const type = (await team.api.get(`/v4/meeting-type/${team.meetingTypeId}`)).json();
    const path = new URL(type.bookingUrl).pathname;
    assert.match(path, /^\/team\/browser-co\//);
    const page = await visitor({ timezoneId: 'Europe/London', locale: 'en-GB', width: 375 });
    await page.goto(origin + path);
    await page.waitForURL(/tz=Europe%2FLondon/);
    assert.match(await page.locator('.top').innerText(), /Browser Co/);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 375), 'fits 375 px');
    await check(page, '15-team-page');
    const time = page.locator('.times a').first();
    await time.click();
    await page.getByLabel('Name').fill('Tia Team');
    await page.getByLabel('Email').fill('tia@example.com');
    await page.getByRole('button', { name: 'Book' }).click();
    await page.locator('#done').waitFor();
    assert.match(await page.locator('main').innerText(), /You are booked[\s\S]*Browser Co/);
    await check(page, '16-team-confirmation');
    const id = /\/booking\/confirm\/cancel\/([^/]+)\//.exec((await page.locator('a', { hasText: 'Cancel this appointment' }).getAttribute('href'))!)![1]!;
    const appointment = await t.services.appointments.get(companyId, id);
    assert.equal(appointment.hostIds.length, 1);
    assert.ok(team.members.some((m) => m.userId === appointment.hostIds[0]), 'the host is a queue member');
  });

  test('no page broke its Content-Security-Policy', () => {
    assert.deepEqual(session.violations, []);
  });
});
