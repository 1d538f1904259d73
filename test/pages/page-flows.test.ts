import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type TestApp, type TestCompany, client } from '../helpers/app.ts';
import { bookingBody, slot, startAcmeApp } from '../helpers/bookings.ts';
import { bookThrough, confirmationLinks, formBody, pageHost, postForm, timeLinks } from './page-helpers.ts';

let t: TestApp;
let acme: TestCompany;
let other: TestCompany;

before(async () => ({ t, acme, other } = await startAcmeApp({ env: { TERMIN_SLOT_CACHE_SECONDS: '60' } })));
after(() => t.close());

const get = (url: string, remoteAddress?: string) => t.app.inject({ url, ...(remoteAddress ? { remoteAddress } : {}) });
const DETAILS = { name: 'Paula Page', email: 'paula@example.com', phone: '+49 30 1234' };

describe("seed 000's reschedule link /{slug}/{type}?reschedule={id}&email=…", () => {
  test('with the attendee’s email: the old time is shown, a new time moves the same appointment', async () => {
    const host = await pageHost(t, acme);
    const booked = (await host.api.post('/v4/booking', bookingBody(host, slot(1, '10:00')))).json();
    const link = `${host.typePath}?reschedule=${booked.appointmentId}&email=${encodeURIComponent('Jane@Example.com')}&tz=Europe/Berlin&date=2030-01-09`;
    const page = await get(link);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /You are moving your appointment of Tuesday, January 8, 2030 at 10:00\sAM/);
    const href = timeLinks(page.body).find(([label]) => label === '2:00 PM')![1];
    const form = await get(href);
    assert.ok(!form.body.includes('id="name"'), 'no details asked again');
    const moved = await postForm(t, href.split('?')[0]!, formBody(form.body, {}));
    assert.equal(moved.statusCode, 200, moved.body.slice(-1500));
    assert.match(moved.body, /Your appointment has been moved/);
    const appointment = (await host.api.get(`/v4/appointment/${booked.appointmentId}`)).json();
    assert.equal(appointment.start, '2030-01-09T13:00:00.000Z');
    assert.equal(appointment.isCancelled, false);
  });

  test('a wrong email moves nothing, and ten misses lock the address out', async () => {
    const host = await pageHost(t, acme);
    const booked = (await host.api.post('/v4/booking', bookingBody(host, slot(1, '11:00')))).json();
    const address = '198.51.100.23';
    const wrong = await get(`${host.typePath}?reschedule=${booked.appointmentId}&email=mallory@example.com`, address);
    assert.equal(wrong.statusCode, 200);
    assert.match(wrong.body, /This reschedule link is not valid/);
    assert.ok(!wrong.body.includes('You are moving'), 'the old time is not revealed');
    // A forged form post is refused the same way.
    const date = `${host.typePath}?tz=Europe/Berlin&date=2030-01-10&reschedule=${booked.appointmentId}&email=mallory@example.com`;
    const forged = await postForm(t, host.typePath, new URLSearchParams({ start: '2030-01-10T09:00:00+01:00', tz: 'Europe/Berlin', reschedule: booked.appointmentId, email: 'mallory@example.com' }).toString(), address);
    assert.notEqual(forged.statusCode, 200);
    for (let i = 0; i < 9; i++) await get(date, address);
    const locked = await get(`${host.typePath}?reschedule=${booked.appointmentId}&email=jane@example.com`, address);
    assert.equal(locked.statusCode, 429);
    const appointment = (await host.api.get(`/v4/appointment/${booked.appointmentId}`)).json();
    assert.equal(appointment.start, '2030-01-08T10:00:00.000Z');
  });

  test('another company’s appointment id is unknown here', async () => {
    const mine = await pageHost(t, acme);
    const theirs = await pageHost(t, other);
    const booked = (await theirs.api.post('/v4/booking', bookingBody(theirs, slot(1, '12:00')))).json();
    const res = await get(`${mine.typePath}?reschedule=${booked.appointmentId}&email=jane@example.com`);
    assert.match(res.body, /This reschedule link is not valid/);
  });
});

describe('the email links after a page booking', () => {
  test('the confirmation’s move link opens the same calendar with the old time; a new time moves the same appointment', async () => {
    const host = await pageHost(t, acme);
    const page = await get(`${host.typePath}?tz=Asia/Tokyo&date=2030-01-22`);
    const done = await bookThrough(t, timeLinks(page.body)[0]![1], DETAILS);
    const { reschedule, cancel } = confirmationLinks(done.body);
    const id = /cancel\/([^/]+)\//.exec(cancel)![1]!;
    assert.ok(reschedule.startsWith(`${host.typePath}?reschedule=${id}&secret=`), reschedule);
    const calendar = await get(`${reschedule}&tz=Asia/Tokyo&date=2030-01-23`);
    // Berlin 16:00 on Monday the 21st is Tuesday 00:00 in Tokyo.
    assert.match(calendar.body, /You are moving your appointment of Tuesday, January 22, 2030 at 12:00\sAM \(Asia\/Tokyo\)/);
    const href = timeLinks(calendar.body)[0]![1];
    const form = await get(href);
    const moved = await postForm(t, host.typePath, formBody(form.body, {}));
    assert.equal(moved.statusCode, 200, moved.body.slice(-1200));
    assert.match(moved.body, /Your appointment has been moved/);
    const chosen = new URL(href, 'http://x').searchParams.get('start')!;
    assert.equal((await host.api.get(`/v4/appointment/${id}`)).json().start, new Date(chosen).toISOString());
    // The secret is stable (seed 001: "Store the secret"): the first email's link still works, now from the new time.
    const again = await get(`${reschedule}&tz=Asia/Tokyo&date=2030-01-23`);
    assert.doesNotMatch(again.body, /This reschedule link is not valid/);
    assert.match(again.body, /You are moving your appointment of/);
  });

  test('cancel with a reason through the confirmation’s cancel link', async () => {
    const host = await pageHost(t, acme);
    const page = await get(`${host.typePath}?tz=UTC&date=2030-01-11`);
    const done = await bookThrough(t, timeLinks(page.body)[0]![1], DETAILS);
    const { cancel } = confirmationLinks(done.body);
    assert.equal((await get(cancel)).statusCode, 200);
    const res = await t.app.inject({ method: 'POST', url: cancel, payload: { cancellationReason: 'Ill' } });
    assert.equal(res.statusCode, 200, res.body);
    const id = /cancel\/([^/]+)\//.exec(cancel)![1]!;
    const appointment = (await host.api.get(`/v4/appointment/${id}`)).json();
    assert.equal(appointment.isCancelled, true);
    assert.equal(appointment.cancel.reason, 'Ill');
  });
});

describe('one-time links', () => {
  test('POST /v4/one-time-booking-link/create/{id} → { id, url }; the link books once, then says it was used', async () => {
    const host = await pageHost(t, acme);
    const created = await host.api.post(`/v4/one-time-booking-link/create/${host.meetingTypeId}`);
    assert.equal(created.statusCode, 201, created.body);
    const { id, url } = created.json();
    assert.match(id, /^[0-9a-f-]{36}$/);
    const path = new URL(url).pathname + new URL(url).search;
    assert.ok(path.startsWith(`${host.typePath}?once=`));
    const page = await get(`${path}&tz=UTC&date=2030-01-14`);
    assert.equal(page.statusCode, 200);
    const done = await bookThrough(t, timeLinks(page.body)[0]![1], DETAILS);
    assert.match(done.body, /You are booked/);
    const again = await get(path);
    assert.equal(again.statusCode, 410);
    assert.match(again.body, /This link has been used/);
    const form = await get(timeLinks(page.body)[1]![1]);
    assert.equal(form.statusCode, 410);
  });

  test('two visitors submitting one link at once: exactly one booking', async () => {
    const host = await pageHost(t, acme);
    const { url } = (await host.api.post(`/v4/one-time-booking-link/create/${host.meetingTypeId}`)).json();
    const path = new URL(url).pathname + new URL(url).search;
    const page = await get(`${path}&tz=UTC&date=2030-01-15`);
    const [a, b] = [timeLinks(page.body)[0]![1], timeLinks(page.body)[2]![1]];
    const [formA, formB] = await Promise.all([get(a), get(b)]);
    const answers = await Promise.all([
      postForm(t, host.typePath, formBody(formA.body, DETAILS)),
      postForm(t, host.typePath, formBody(formB.body, { ...DETAILS, email: 'other@example.com' })),
    ]);
    assert.deepEqual(answers.map((r) => r.statusCode).sort(), [200, 410]);
    assert.equal((await host.api.get('/v4/appointment/paginated?pageSize=10')).json().total, 1);
  });

  test('another company’s meeting type is not found', async () => {
    const theirs = await pageHost(t, other);
    const res = await client(t.app, acme.apiKey, acme.ownerUserId).post(`/v4/one-time-booking-link/create/${theirs.meetingTypeId}`);
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().code, 'not_found');
  });
});

describe('GET|PATCH /v4/personal-page/me', () => {
  test('defaults, a partial change, the page showing it, and bad colours refused', async () => {
    const host = await pageHost(t, acme);
    const initial = await host.api.get('/v4/personal-page/me');
    assert.equal(initial.statusCode, 200, initial.body);
    assert.equal(initial.json().useCustomColors, false);
    assert.equal(new URL(initial.json().bookingUrl).pathname, host.personalPath);
    const changed = await host.api.patch('/v4/personal-page/me', { description: 'Let’s talk <b>shop</b>', useCustomColors: true, primaryColor: '#7c2d12' });
    assert.equal(changed.statusCode, 200, changed.body);
    assert.equal(changed.json().primaryColor, '#7c2d12');
    assert.equal(changed.json().showAllMeetingTypes, true);
    const page = await get(host.personalPath);
    assert.match(page.body, /Let’s talk &lt;b&gt;shop&lt;\/b&gt;/);
    assert.match(page.body, /--brand:#7c2d12/);
    const bad = await host.api.patch('/v4/personal-page/me', { primaryColor: 'red;}body{display:none' });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().code, 'validation_failed');
  });
});

describe('slot cache', () => {
  test('a booking through a page forgets only that company’s cached slots', async () => {
    const mine = await pageHost(t, acme);
    const theirs = await pageHost(t, other);
    const ask = (h: typeof mine) => h.api.get(`/v4/booking-availability?meetingTypeId=${h.meetingTypeId}&start=2030-01-16&end=2030-01-16&timezone=UTC`);
    const before = { mine: (await ask(mine)).json(), theirs: (await ask(theirs)).json() };
    // Their slot is taken behind their cache's back (through the service, as another instance would).
    await t.services.booking.book(other.companyId, bookingBody(theirs, '2030-01-16T09:00:00Z'));
    const page = await get(`${mine.typePath}?tz=UTC&date=2030-01-16`);
    await bookThrough(t, timeLinks(page.body)[0]![1], DETAILS);
    const after = { mine: (await ask(mine)).json(), theirs: (await ask(theirs)).json() };
    assert.equal(after.mine.availableSlots.length, before.mine.availableSlots.length - 1, 'mine: forgotten and fresh');
    assert.equal(after.theirs.availableSlots.length, before.theirs.availableSlots.length, 'theirs: still the cached answer');
  });
});
