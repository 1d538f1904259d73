import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { type TestApp, type TestCompany, startTestApp } from '../helpers/app.ts';
import { bookingBody, slot, testClock } from '../helpers/bookings.ts';
import { newTeam } from '../helpers/teams.ts';
import { bookThrough, timeLinks } from './page-helpers.ts';

let t: TestApp;
let acme: TestCompany;
let other: TestCompany;

before(async () => {
  t = await startTestApp({ clock: testClock() });
  acme = await t.newCompany('Acme Sales');
  other = await t.newCompany('Acme Sales');
});
after(() => t.close());

const get = (url: string) => t.app.inject({ url });
const DETAILS = { name: 'Tess Team', email: 'tess@example.com' };
const pathOf = (url: string) => new URL(url).pathname;

describe('team pages /team/{teamSlug}/{meetingTypeSlug}', () => {
  test('the team type’s bookingUrl opens the team page: the team’s name, and a booking the queue gives to a member', async () => {
    const team = await newTeam(t, acme, 3);
    const type = (await team.api.get(`/v4/meeting-type/${team.meetingTypeId}`)).json();
    const path = pathOf(type.bookingUrl);
    assert.equal(path, `/team/acme-sales/${type.slug}`);
    const page = await get(`${path}?tz=UTC&date=2030-01-09`);
    assert.equal(page.statusCode, 200, page.body.slice(0, 400));
    assert.match(page.body, /<span class="muted">Acme Sales<\/span>/);
    const [, href] = timeLinks(page.body)[0]!;
    assert.ok(href.startsWith(`${path}?`), href);
    const done = await bookThrough(t, href, DETAILS);
    assert.equal(done.statusCode, 200, done.body.slice(-800));
    assert.match(done.body, /You are booked/);
    assert.match(done.body, /<dd>Acme Sales<\/dd>/);
    const id = /cancel\/([^/]+)\//.exec(done.body)![1]!;
    const appointment = (await team.api.get(`/v4/appointment/${id}`)).json();
    const members = team.members.map((m) => m.userId);
    assert.equal(appointment.hostIds.length, 1);
    assert.ok(members.includes(appointment.hostIds[0]), 'the host is a queue member');
    assert.equal(appointment.roundRobinEntries[0]?.queueId, team.queueId, 'chosen by the queue');
  });

  test('the same name in another company gets its own team slug', async () => {
    const team = await newTeam(t, other, 1);
    const type = (await team.api.get(`/v4/meeting-type/${team.meetingTypeId}`)).json();
    assert.match(pathOf(type.bookingUrl), /^\/team\/acme-sales-2\//);
    assert.equal((await get(pathOf(type.bookingUrl))).statusCode, 200);
  });

  test('the union of members’ starts: a start one member has taken is still offered while another is free', async () => {
    const team = await newTeam(t, acme, 2);
    const path = pathOf((await team.api.get(`/v4/meeting-type/${team.meetingTypeId}`)).json().bookingUrl);
    const before = timeLinks((await get(`${path}?tz=UTC&date=2030-01-10`)).body).map(([label]) => label);
    // Book the first start twice through the page: both members are free, so both bookings land.
    const href = timeLinks((await get(`${path}?tz=UTC&date=2030-01-10`)).body)[0]![1];
    assert.equal((await bookThrough(t, href, DETAILS)).statusCode, 200);
    const after = timeLinks((await get(`${path}?tz=UTC&date=2030-01-10`)).body).map(([label]) => label);
    assert.deepEqual(after, before, 'still offered: the other member is free');
    assert.equal((await bookThrough(t, href, { ...DETAILS, email: 'second@example.com' })).statusCode, 200);
    const gone = timeLinks((await get(`${path}?tz=UTC&date=2030-01-10`)).body).map(([label]) => label);
    assert.ok(!gone.includes(before[0]!), 'gone once every member has it');
  });

  test('a collective type: the intersection of members’ starts, and the booking brings every member', async () => {
    const team = await newTeam(t, acme, 2, {}, { templateType: 'collective' });
    const path = pathOf((await team.api.get(`/v4/meeting-type/${team.meetingTypeId}`)).json().bookingUrl);
    const labels = async () => timeLinks((await get(`${path}?tz=UTC&date=2030-01-09`)).body).map(([label]) => label);
    assert.ok((await labels()).includes('9:00 AM'));
    // One member is busy at 09:00 UTC with a booking of their own.
    const second = team.members[1]!;
    assert.equal((await second.api.post('/v4/booking', bookingBody(second, slot(2, '10:00')))).statusCode, 201);
    const left = await labels();
    assert.ok(!left.includes('9:00 AM'), 'not offered: one member is busy');
    const href = timeLinks((await get(`${path}?tz=UTC&date=2030-01-09`)).body)[0]![1];
    const done = await bookThrough(t, href, DETAILS);
    assert.equal(done.statusCode, 200, done.body.slice(-600));
    const id = /cancel\/([^/]+)\//.exec(done.body)![1]!;
    const appointment = (await team.api.get(`/v4/appointment/${id}`)).json();
    assert.deepEqual([...appointment.hostIds].sort(), team.members.map((m) => m.userId).sort());
  });

  test('the owner’s address of a team type shows the team page, whose form books through the queue', async () => {
    const team = await newTeam(t, acme, 2);
    const type = (await team.api.get(`/v4/meeting-type/${team.meetingTypeId}`)).json();
    const owner = (await team.api.get(`/v4/user/${team.members[0]!.userId}`)).json();
    const page = await get(`${pathOf(owner.bookingUrl)}/${type.slug}?tz=UTC&date=2030-01-11`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Acme Sales/);
    assert.ok(timeLinks(page.body)[0]![1].startsWith(pathOf(type.bookingUrl)));
    const personal = await get(pathOf(owner.bookingUrl));
    assert.ok(personal.body.includes(`href="${pathOf(type.bookingUrl)}"`), 'the personal page links the team page');
  });

  test('an unknown team slug, an unknown type and a disabled type: the same 404 page', async () => {
    const team = await newTeam(t, acme, 1);
    const type = (await team.api.get(`/v4/meeting-type/${team.meetingTypeId}`)).json();
    const path = pathOf(type.bookingUrl);
    const unknownTeam = await get(`/team/no-such-team/${type.slug}`);
    const unknownType = await get('/team/acme-sales/no-such-type');
    assert.equal((await team.api.patch(`/v4/meeting-type/${team.meetingTypeId}`, { enabled: false })).statusCode, 200);
    const disabled = await get(path);
    const form = await t.app.inject({ method: 'POST', url: path, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'start=2030-01-09T09:00:00Z' });
    for (const res of [unknownTeam, unknownType, disabled, form]) {
      assert.equal(res.statusCode, 404);
      assert.match(res.body, /There is no booking page at this address/);
    }
    const plain = (html: string) => html.replace(/nonce="[^"]+"/g, '');
    assert.equal(plain(disabled.body), plain(unknownTeam.body), 'no difference but the nonce');
  });

  test('two team types of one company with the same slug: each bookingUrl opens its own type', async () => {
    const first = await newTeam(t, acme, 1, {}, { slug: 'shared-call', meetingInfo: { name: 'First team call', description: '', duration: 30, channel: 'google_meet' } });
    const second = await newTeam(t, acme, 1, {}, { slug: 'shared-call', meetingInfo: { name: 'Second team call', description: '', duration: 30, channel: 'google_meet' } });
    const urls = await Promise.all([first, second].map(async (team) => pathOf((await team.api.get(`/v4/meeting-type/${team.meetingTypeId}`)).json().bookingUrl)));
    assert.equal(urls[0], '/team/acme-sales/shared-call');
    assert.equal(urls[1], `/team/acme-sales/${second.meetingTypeId}`);
    assert.match((await get(urls[0]!)).body, /First team call/);
    assert.match((await get(urls[1]!)).body, /Second team call/);
  });

  test('sizes: the team page, the email links’ calendar and cancel page under 50 KB; the script under 30 KB gzipped', async () => {
    const team = await newTeam(t, acme, 3);
    const path = pathOf((await team.api.get(`/v4/meeting-type/${team.meetingTypeId}`)).json().bookingUrl);
    const booked = (await team.api.post('/v4/booking', bookingBody(team as never, slot(1, '10:00')))).json();
    const page = await get(`${path}?tz=UTC`);
    const calendar = await get((await get(`/booking/confirm/reschedule/${booked.appointmentId}/${booked.secret}`)).headers.location as string);
    const cancel = await get(`/booking/confirm/cancel/${booked.appointmentId}/${booked.secret}`);
    const script = await get(/<script defer src="([^"]+)"/.exec(page.body)![1]!);
    const sizes = {
      teamPage: Buffer.byteLength(page.body),
      rescheduleCalendar: Buffer.byteLength(calendar.body),
      cancelPage: Buffer.byteLength(cancel.body),
      teamPageGzipped: gzipSync(page.body).length,
      scriptGzipped: gzipSync(script.body).length,
    };
    console.log(`# page sizes in bytes: ${JSON.stringify(sizes)}`);
    for (const res of [page, calendar, cancel]) assert.equal(res.statusCode, 200);
    assert.ok(sizes.teamPage < 50_000 && sizes.rescheduleCalendar < 50_000 && sizes.cancelPage < 50_000);
    assert.ok(sizes.scriptGzipped < 30_000);
  });
});
