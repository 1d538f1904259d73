import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { type TestApp, type TestCompany, startTestApp } from '../helpers/app.ts';
import { bookingBody, slot, testClock, startAcmeApp } from '../helpers/bookings.ts';
import { bookThrough, confirmationLinks, pageHost, timeLinks } from './page-helpers.ts';

let t: TestApp;
let acme: TestCompany;
let other: TestCompany;

before(async () => ({ t, acme, other } = await startAcmeApp()));
after(() => t.close());

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ url, headers });

describe('every bookingUrl opens its page', () => {
  test('the user’s bookingUrl lists their enabled meeting types; the meeting type’s opens its calendar', async () => {
    const host = await pageHost(t, acme);
    await host.api.post('/v4/meeting-type', { meetingInfo: { name: 'Hidden Chat', description: '', duration: 15, channel: 'phone' }, enabled: false });
    await host.api.post('/v4/meeting-type', { meetingInfo: { name: 'Long Talk', description: 'An hour', duration: 60, channel: 'phone' } });
    const personal = await get(host.personalPath);
    assert.equal(personal.statusCode, 200);
    assert.match(personal.headers['content-type'] as string, /^text\/html/);
    assert.match(personal.body, /Book a time with Hanna Host/);
    assert.match(personal.body, /Discovery Call/);
    assert.match(personal.body, /Long Talk/);
    assert.ok(!personal.body.includes('Hidden Chat'), 'a disabled type is not listed');
    assert.ok(personal.body.includes(`href="${host.typePath}"`), 'links to the type page');

    const page = await get(host.typePath);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<h1>Discovery Call<\/h1>/);
    assert.match(page.body, /January 2030/);
    // First paint needs no API call: the month's free days and the first day's times are in the HTML.
    assert.deepEqual(timeLinks(page.body)[0]?.[0], '9:00 AM');
  });

  test('behind PUBLIC_URL with a path prefix, bookingUrl and every link on the page carry the prefix', async () => {
    const prefixed = await startTestApp({ handle: t.handle, clock: testClock(), env: { PUBLIC_URL: 'https://example.org/book' } });
    try {
      const host = await pageHost(prefixed, acme);
      assert.match(host.typePath, /^\/book\/[a-z0-9-]+\/discovery-call$/);
      // The proxy strips the prefix; Termin sees the rest.
      const page = await prefixed.app.inject({ url: host.typePath.replace(/^\/book/, '') });
      assert.equal(page.statusCode, 200);
      const hrefs = [...page.body.matchAll(/(?:href|src|action)="([^"#]+)/g)].map((m) => m[1]!);
      assert.ok(hrefs.length > 10);
      for (const href of hrefs) assert.match(href, /^\/book\//, href);
    } finally {
      await prefixed.close();
    }
  });
});

describe('what a page reveals', () => {
  test('an unknown slug, an unknown type, a disabled type and a deleted host give the same 404 page', async () => {
    const host = await pageHost(t, acme);
    await host.api.patch(`/v4/meeting-type/${host.meetingTypeId}`, { enabled: false });
    const gone = await pageHost(t, acme);
    await host.api.delete(`/v4/user/${gone.userId}`);
    const answers = await Promise.all(
      ['/no-such-person', '/no-such-person/discovery-call', `${host.personalPath}/nothing`, host.typePath, gone.typePath, '/team/sales/intro'].map((u) => get(u)),
    );
    for (const res of answers) {
      assert.equal(res.statusCode, 404);
      assert.equal(res.body.replace(/nonce="[^"]+"/, ''), answers[0]!.body.replace(/nonce="[^"]+"/, ''));
      assert.match(res.body, /Page not found/);
    }
    // The API's own unknown routes still answer JSON.
    const api = await get('/v4/nothing-here');
    assert.equal(api.statusCode, 404);
    assert.equal(api.json().code, 'not_found');
  });

  test('an API key changes nothing: the page is public and the same with or without one', async () => {
    const host = await pageHost(t, acme);
    const plain = await get(`${host.typePath}?tz=UTC`);
    const withKey = await get(`${host.typePath}?tz=UTC`, { authorization: `Bearer ${other.apiKey}` });
    assert.equal(withKey.statusCode, 200);
    assert.equal(withKey.body.replace(/nonce="[^"]+"/g, ''), plain.body.replace(/nonce="[^"]+"/g, ''));
  });

  test('strict CSP with a fresh nonce, no inline script, framing refused unless embedded', async () => {
    const host = await pageHost(t, acme);
    const a = await get(host.typePath);
    const b = await get(host.typePath);
    const csp = a.headers['content-security-policy'] as string;
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'nonce-[\w-]+'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.notEqual(csp, b.headers['content-security-policy']);
    assert.equal(a.headers['x-frame-options'], 'DENY');
    assert.equal(a.body.match(/<script/g)?.length, 1);
    assert.match(a.body, /<script defer src="\/assets\/pages-[0-9a-f]+\.js" integrity="sha384-/);
    assert.ok(!/\son\w+=/.test(a.body), 'no inline handlers');

    const embed = await get(`${host.typePath}?embed=1`);
    assert.match(embed.headers['content-security-policy'] as string, /frame-ancestors \*/);
    assert.equal(embed.headers['x-frame-options'], undefined);
    assert.ok(embed.body.includes('embed=1'), 'links stay in embed mode');
  });

  test('sizes: page HTML under 50 KB, its script under 30 KB gzipped', async () => {
    const host = await pageHost(t, acme);
    const page = await get(host.typePath);
    assert.ok(Buffer.byteLength(page.body) < 50_000, `${Buffer.byteLength(page.body)} bytes`);
    const src = /<script defer src="([^"]+)"/.exec(page.body)![1]!;
    const script = await get(src);
    assert.equal(script.statusCode, 200);
    assert.match(script.headers['content-type'] as string, /javascript/);
    assert.ok(gzipSync(script.body).length < 30_000);
    const embed = await get('/embed.js');
    assert.match(embed.body, /booking-successful/);
  });

  test('each address has its own request budget on the pages', async () => {
    const limited = await startTestApp({ handle: t.handle, clock: testClock(), env: { TERMIN_PAGE_RATE_LIMIT_BURST: '3', TERMIN_PAGE_RATE_LIMIT_PER_MINUTE: '1' } });
    try {
      const host = await pageHost(limited, acme);
      const from = (remoteAddress: string) => limited.app.inject({ url: host.personalPath, remoteAddress });
      for (let i = 0; i < 3; i++) assert.equal((await from('203.0.113.7')).statusCode, 200);
      const refused = await from('203.0.113.7');
      assert.equal(refused.statusCode, 429);
      assert.match(refused.body, /Too many requests/);
      assert.equal((await from('203.0.113.8')).statusCode, 200);
    } finally {
      await limited.close();
    }
  });
});

describe('picking a time in the visitor’s zone and booking it', () => {
  test('New York visitor books a Berlin host: page, confirmation and API agree on the instant', async () => {
    const host = await pageHost(t, acme);
    const page = await get(`${host.typePath}?tz=America/New_York&date=2030-01-08`);
    const [label, href] = timeLinks(page.body)[0]!;
    assert.equal(label, '3:00 AM', 'Berlin 09:00 is 03:00 in New York');
    const done = await bookThrough(t, href, { name: 'Nora York', email: 'nora@example.com', phone: '+1 212 555 0100' });
    assert.equal(done.statusCode, 200, done.body.slice(0, 2000));
    assert.match(done.body, /You are booked/);
    assert.match(done.body, /Tuesday, January 8, 2030 at 3:00\sAM \(America\/New_York\)/);
    const links = confirmationLinks(done.body);
    const id = /\/booking\/confirm\/cancel\/([^/]+)\//.exec(links.cancel)![1]!;
    const appointment = (await host.api.get(`/v4/appointment/${id}`)).json();
    assert.equal(appointment.start, '2030-01-08T08:00:00.000Z');
    assert.equal(appointment.attendees[0].email, 'nora@example.com');
    assert.equal(appointment.attendees[0].timezone, 'America/New_York');
    const ics = await get(links.ics);
    assert.equal(ics.statusCode, 200);
    assert.match(ics.headers['content-type'] as string, /^text\/calendar/);
    assert.match(ics.body, /DTSTART:20300108T080000Z/);
    assert.equal((await get(links.reschedule)).statusCode, 200);
  });

  test('German: 24-hour times, German words, and the switch keeps the day', async () => {
    const host = await pageHost(t, acme);
    const page = await get(`${host.typePath}?date=2030-01-08`, { 'accept-language': 'de-DE,de;q=0.9' });
    assert.match(page.body, /<html lang="de">/);
    assert.match(page.body, /Uhrzeit wählen: Dienstag, 8\. Januar 2030/);
    assert.equal(timeLinks(page.body)[0]?.[0], '09:00');
    assert.match(page.body, /href="[^"]*lang=en[^"]*" hreflang="en"/);
  });

  test('a start taken meanwhile: a friendly word and the calendar again, nothing booked twice', async () => {
    const host = await pageHost(t, acme);
    const page = await get(`${host.typePath}?tz=Europe/Berlin&date=2030-01-09`);
    const href = timeLinks(page.body)[0]![1];
    const form = await get(href);
    const taken = await host.api.post('/v4/booking', bookingBody(host, slot(2, '09:00')));
    assert.equal(taken.statusCode, 201, taken.body);
    const { formBody, postForm } = await import('./page-helpers.ts');
    const res = await postForm(t, href.split('?')[0]!, formBody(form.body, { name: 'Late Larry', email: 'larry@example.com', phone: '+49 30 1234' }));
    assert.equal(res.statusCode, 409);
    assert.match(res.body, /that time was just taken/);
    assert.match(res.body, /<table class="cal"/);
    assert.ok(!timeLinks(res.body).some(([label]) => label === '9:00 AM'), 'the taken start is no longer offered');
  });

  test('missing details come back with the form and the errors, nothing booked', async () => {
    const host = await pageHost(t, acme);
    const page = await get(`${host.typePath}?tz=UTC&date=2030-01-10`);
    const res = await bookThrough(t, timeLinks(page.body)[0]![1], { name: '', email: 'not-an-email' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /Please check your details/);
    assert.match(res.body, /<form method="post"/);
    const list = await host.api.get('/v4/appointment/paginated?pageSize=10');
    assert.equal(list.json().total, 0);
  });

  test('a type with several durations offers the choice; the chosen one is booked', async () => {
    const host = await pageHost(t, acme, { channel: 'zoom' });
    const changed = await host.api.patch(`/v4/meeting-type/${host.meetingTypeId}`, { meetingOptions: { allowedDurations: [30, 60], allowAddingGuests: true } });
    assert.equal(changed.statusCode, 200, changed.body);
    const page = await get(`${host.typePath}?tz=UTC&date=2030-01-16`);
    assert.match(page.body, /<select id="duration" name="duration" data-autosubmit><option value="30" selected>30 min<\/option><option value="60">60 min<\/option>/);
    const long = await get(`${host.typePath}?tz=UTC&date=2030-01-16&duration=60`);
    const times = timeLinks(long.body);
    assert.equal(times.at(-1)![0], '3:00 PM', 'the last hour-long start ends at 17:00 Berlin');
    const form = await get(times[0]![1]);
    assert.ok(!form.body.includes('id="phone"'), 'no phone asked for a video meeting');
    assert.match(form.body, /id="guests"/);
    const done = await bookThrough(t, times[0]![1], { name: 'Gus', email: 'gus@example.com', guests: 'ann@example.com, bo@example.com' });
    const id = /\/booking\/confirm\/cancel\/([^/]+)\//.exec(confirmationLinks(done.body).cancel)![1]!;
    const appointment = (await host.api.get(`/v4/appointment/${id}`)).json();
    assert.equal(Date.parse(appointment.end) - Date.parse(appointment.start), 3_600_000);
    assert.deepEqual(appointment.attendees[0].bringalongEmails, ['ann@example.com', 'bo@example.com']);
  });

  test('meetingInfo.enableRedirect sends the visitor on, with the booking when passEventDetailsToRedirect', async () => {
    const host = await pageHost(t, acme);
    await host.api.patch(`/v4/meeting-type/${host.meetingTypeId}`, {
      meetingInfo: { enableRedirect: true, redirect: 'https://thanks.example.com/done', passEventDetailsToRedirect: true },
    });
    const page = await get(`${host.typePath}?tz=UTC&date=2030-01-10`);
    const href = timeLinks(page.body)[0]![1];
    const form = await get(href);
    assert.match(form.headers['content-security-policy'] as string, /form-action 'self' https:\/\/thanks\.example\.com/);
    const res = await bookThrough(t, href, { name: 'Rita', email: 'rita@example.com', phone: '+49 30 1234' });
    assert.equal(res.statusCode, 303);
    const location = new URL(res.headers.location as string);
    assert.equal(location.origin + location.pathname, 'https://thanks.example.com/done');
    assert.equal(location.searchParams.get('attendeeEmail'), 'rita@example.com');
    assert.equal(location.searchParams.get('start'), '2030-01-10T08:00:00.000Z', 'Berlin 09:00');
  });
});
