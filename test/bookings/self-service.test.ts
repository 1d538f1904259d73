import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { buildApp } from '../../src/app.ts';
import { redactUrl } from '../../src/http/server.ts';
import { type TestApp, type TestCompany, startTestApp, testConfig } from '../helpers/app.ts';
import { type TestHost, bookingBody, newHost, slot, testClock } from '../helpers/bookings.ts';
import { runPage } from '../helpers/page-script.ts';

let t: TestApp;
let acme: TestCompany;

before(async () => {
  t = await startTestApp({ clock: testClock() });
  acme = await t.newCompany('Acme');
});
after(() => t.close());

const NEW_YORK = { email: 'jane@example.com', fullname: 'Jane Doe', timezone: 'America/New_York', language: 'en' };

async function book(host: TestHost, start: string, attendee: Record<string, unknown> = NEW_YORK) {
  const res = await host.api.post('/v4/booking', bookingBody(host, start, { attendee }));
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as { appointmentId: string; secret: string };
}

const page = (kind: 'cancel' | 'reschedule', id: string, secret: string, remoteAddress?: string) =>
  t.app.inject({ method: 'GET', url: `/booking/confirm/${kind}/${id}/${secret}`, ...(remoteAddress ? { remoteAddress } : {}) });

/** The starts the reschedule page offers, as the values its buttons would post. */
const listedStarts = (html: string) => [...html.matchAll(/data-start="([^"]+)"/g)].map((m) => m[1]!);

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

describe('GET /booking/confirm/cancel/{id}/{secret}', () => {
  test('shows the meeting, the time in the attendee’s zone and language, the host and a labelled reason field', async () => {
    const host = await newHost(t, acme);
    const booked = await book(host, slot(1, '10:00'));
    const res = await page('cancel', booked.appointmentId, booked.secret);
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /^text\/html; charset=utf-8/);
    assert.match(res.body, /<html lang="en">/);
    assert.match(res.body, /Discovery Call/);
    // Tuesday 10:00 in Berlin is 04:00 in New York.
    assert.match(res.body, /Tuesday, January 8, 2030 at 4:00\sAM \(America\/New_York\)/);
    assert.match(res.body, /Hanna Host/);
    assert.match(res.body, /Hello Jane Doe,/);
    assert.match(res.body, /<label for="reason">Reason \(optional\)<\/label>\n<textarea id="reason"/);
    assert.match(res.body, /<button type="submit">Cancel appointment<\/button>/);
    assert.ok(!res.body.includes(booked.secret), 'the secret is not written into the page');
  });

  test('speaks German to a German attendee, in Berlin time', async () => {
    const host = await newHost(t, acme);
    const attendee = { email: 'lena@example.com', fullname: 'Lena Weber', timezone: 'Europe/Berlin', language: 'de-DE' };
    const booked = await book(host, slot(1, '10:00'), attendee);
    const res = await page('cancel', booked.appointmentId, booked.secret);
    assert.match(res.body, /<html lang="de">/);
    assert.match(res.body, /Dienstag, 8\. Januar 2030 um 10:00 \(Europe\/Berlin\)/);
    assert.match(res.body, /Termin absagen/);
    assert.match(res.body, /Hallo Lena Weber,/);
  });

  test('escapes a hostile attendee name and meeting name: no markup of theirs reaches the page', async () => {
    const host = await newHost(t, acme, { name: '<b>Evil & "Co"</b>' });
    const hostile = '</p><script>alert("x")</script><img src=x onerror=alert(1)>';
    const booked = await book(host, slot(1, '10:00'), { email: 'evil@example.com', fullname: hostile });
    for (const kind of ['cancel', 'reschedule'] as const) {
      const { body } = await page(kind, booked.appointmentId, booked.secret);
      assert.ok(body.includes('Hello &lt;/p&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;,'), kind);
      assert.ok(body.includes('&lt;b&gt;Evil &amp; &quot;Co&quot;&lt;/b&gt;'), kind);
      assert.equal(body.match(/<script/g)?.length, 1, `${kind}: only the page's own script`);
      assert.ok(!body.includes('<img') && !body.includes('<b>'), kind);
    }
  });

  test('sends a strict CSP that allows exactly the page’s own inline script and style by hash', async () => {
    const host = await newHost(t, acme);
    const booked = await book(host, slot(1, '10:00'));
    for (const kind of ['cancel', 'reschedule'] as const) {
      const res = await page(kind, booked.appointmentId, booked.secret);
      const csp = res.headers['content-security-policy'] as string;
      assert.match(csp, /default-src 'none'/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.match(csp, /connect-src 'self'/);
      assert.ok(!csp.includes('unsafe-inline') && !csp.includes('unsafe-eval'), csp);
      const script = /<script>([\s\S]*?)<\/script>/.exec(res.body)![1]!;
      const style = /<style>([\s\S]*?)<\/style>/.exec(res.body)![1]!;
      assert.match(csp, new RegExp(`script-src ${sha256(script).replace(/[+/]/g, '\\$&')}(;|$)`));
      assert.match(csp, new RegExp(`style-src ${sha256(style).replace(/[+/]/g, '\\$&')}(;|$)`));
      assert.equal(res.headers['referrer-policy'], 'no-referrer');
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.ok(!/ style="/.test(res.body), 'no style attributes, which the CSP would block');
    }
  });

  test('its script posts the reason to POST /booking/confirm/cancel/{id}/{secret} and shows the outcome', async () => {
    const host = await newHost(t, acme);
    const booked = await book(host, slot(1, '10:00'));
    const path = `/booking/confirm/cancel/${booked.appointmentId}/${booked.secret}`;
    const browser = runPage(t, (await t.app.inject({ method: 'GET', url: path })).body, path);
    await browser.submitCancel('  Ill, sorry  ');
    assert.equal(browser.posts.length, 1);
    assert.deepEqual({ ...browser.posts[0], answer: undefined }, { url: path, body: { cancellationReason: 'Ill, sorry' }, status: 200, answer: undefined });
    assert.match(browser.status(), /Your appointment is cancelled/);
    assert.ok(browser.statusFocused() && browser.hidden('cancel-form'));
    const shown = (await host.api.get(`/v4/appointment/${booked.appointmentId}`)).json();
    assert.equal(shown.cancel.reason, 'Ill, sorry');
    assert.equal(shown.cancel.actionSource, 'attendee');
  });
});

describe('a link that is not valid', () => {
  test('a wrong secret and an unknown id get the same 404 page on both routes', async () => {
    const host = await newHost(t, acme);
    const booked = await book(host, slot(1, '10:00'));
    const bodies = new Set<string>();
    for (const kind of ['cancel', 'reschedule'] as const) {
      for (const [id, secret] of [
        [booked.appointmentId, 'not-the-secret'],
        ['00000000-0000-4000-8000-000000000000', booked.secret],
        ['not-a-uuid', booked.secret],
        [booked.appointmentId, 'x'.repeat(90)],
      ] as const) {
        const res = await page(kind, id, secret, '198.51.100.1');
        assert.equal(res.statusCode, 404, `${kind} ${id}`);
        assert.match(res.headers['content-type'] as string, /^text\/html/);
        assert.ok(res.headers['content-security-policy']);
        bodies.add(res.body);
      }
    }
    assert.equal(bodies.size, 1);
    assert.match([...bodies][0]!, /Link not valid/);
    assert.equal((await host.api.get(`/v4/appointment/${booked.appointmentId}`)).json().isCancelled, false);
  });

  test('wrong secrets on the pages count towards the per-address limit the POST routes share', async () => {
    const host = await newHost(t, acme);
    const booked = await book(host, slot(1, '10:00'));
    const address = '203.0.113.77';
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await page('cancel', booked.appointmentId, `guess-${i}`, address)).statusCode);
    for (let i = 0; i < 5; i++) statuses.push((await page('reschedule', booked.appointmentId, `guess-${i}`, address)).statusCode);
    assert.deepEqual(statuses, Array(10).fill(404));
    const locked = await page('reschedule', booked.appointmentId, booked.secret, address);
    assert.equal(locked.statusCode, 429);
    assert.ok(Number(locked.headers['retry-after']) > 0);
    assert.match(locked.body, /Too many attempts/);
    const post = await t.app.inject({ method: 'POST', url: `/booking/confirm/cancel/${booked.appointmentId}/${booked.secret}`, remoteAddress: address });
    assert.equal(post.statusCode, 429, 'the POST route sees the same failures');
    assert.equal((await page('cancel', booked.appointmentId, booked.secret, '203.0.113.78')).statusCode, 200);
  });
});

describe('a cancelled appointment', () => {
  test('its cancel page says it is already cancelled and its reschedule page that it can no longer be moved', async () => {
    const host = await newHost(t, acme);
    const booked = await book(host, slot(1, '10:00'));
    const cancelled = await t.app.inject({ method: 'POST', url: `/booking/confirm/cancel/${booked.appointmentId}/${booked.secret}` });
    assert.equal(cancelled.statusCode, 200);
    const cancelPage = await page('cancel', booked.appointmentId, booked.secret);
    assert.equal(cancelPage.statusCode, 200);
    assert.match(cancelPage.body, /has already been cancelled/);
    assert.ok(!cancelPage.body.includes('<form') && !cancelPage.body.includes('<script'));
    const reschedulePage = await page('reschedule', booked.appointmentId, booked.secret);
    assert.equal(reschedulePage.statusCode, 200);
    assert.match(reschedulePage.body, /can no longer be moved/);
    assert.deepEqual(listedStarts(reschedulePage.body), []);
  });
});

describe('GET /booking/confirm/reschedule/{id}/{secret}', () => {
  test('lists exactly the starts the availability endpoint offers for a move, in the attendee’s zone, grouped by day', async () => {
    const host = await newHost(t, acme);
    const booked = await book(host, slot(1, '10:00'));
    await book(host, slot(1, '11:00'), { email: 'neighbour@example.com' });
    const res = await page('reschedule', booked.appointmentId, booked.secret);
    assert.equal(res.statusCode, 200);
    const listed = listedStarts(res.body);
    const query = new URLSearchParams({
      meetingTypeId: host.meetingTypeId,
      hostIds: host.userId,
      calculationMethod: 'everyone',
      existingAppointmentId: booked.appointmentId,
      timezone: 'America/New_York',
      start: '2030-01-07T06:00:00Z',
      end: '2030-01-21T06:00:00Z',
    });
    const offered = (await host.api.get(`/v4/booking-availability?${query}`)).json();
    assert.deepEqual(listed, offered.availableSlots.map((s: { start: string }) => s.start));
    assert.ok(listed.includes('2030-01-08T04:00:00-05:00'), 'its own time does not block');
    assert.ok(listed.includes('2030-01-08T04:30:00-05:00'));
    assert.ok(!listed.includes('2030-01-08T05:00:00-05:00'), 'the neighbour’s time is not offered');
    const headings = [...res.body.matchAll(/<h2 id="day-\d+">([^<]+)<\/h2>/g)].map((m) => m[1]);
    assert.equal(headings.length, offered.dates.length);
    assert.equal(headings[1], 'Tuesday, January 8, 2030');
    assert.match(res.body, /aria-label="Tuesday, January 8, 2030 at 4:00\sAM \(America\/New_York\)">4:00\sAM<\/button>/);
  });

  test('its script moves the appointment, says an email is coming, and the same link keeps working', async () => {
    const host = await newHost(t, acme);
    const booked = await book(host, slot(1, '10:00'));
    const path = `/booking/confirm/reschedule/${booked.appointmentId}/${booked.secret}`;
    const browser = runPage(t, (await t.app.inject({ method: 'GET', url: path })).body, path);
    await browser.clickStart('2030-01-09T08:00:00-05:00');
    assert.equal(browser.posts.length, 1);
    const [post] = browser.posts;
    assert.equal(post!.url, '/booking/confirm/reschedule/');
    assert.deepEqual(post!.body, { appointmentId: booked.appointmentId, secret: booked.secret, start: '2030-01-09T08:00:00-05:00' });
    assert.equal(post!.status, 200);
    assert.match(browser.status(), /moved to Wednesday, January 9, 2030 at 8:00\sAM \(America\/New_York\)\. A confirmation email is on its way; the links in your emails keep working/);
    assert.ok(browser.hidden('starts'));
    assert.equal(post!.answer.secret, booked.secret, 'the secret stays');
    const shown = (await host.api.get(`/v4/appointment/${booked.appointmentId}`)).json();
    assert.equal(shown.start, '2030-01-09T13:00:00.000Z');
    assert.equal((await page('reschedule', booked.appointmentId, booked.secret)).statusCode, 200, 'the emailed link still works');
  });

  test('a start taken meanwhile is reported and its button disabled; another start still works', async () => {
    const host = await newHost(t, acme);
    const booked = await book(host, slot(1, '10:00'));
    const path = `/booking/confirm/reschedule/${booked.appointmentId}/${booked.secret}`;
    const browser = runPage(t, (await t.app.inject({ method: 'GET', url: path })).body, path);
    await book(host, slot(2, '10:00'), { email: 'faster@example.com' });
    await browser.clickStart('2030-01-09T04:00:00-05:00');
    assert.equal(browser.posts[0]!.status, 400);
    assert.match(browser.status(), /just been taken/);
    assert.ok(!browser.hidden('starts'));
    assert.equal(browser.disabled('2030-01-09T04:00:00-05:00'), true);
    assert.equal(browser.disabled('2030-01-09T04:30:00-05:00'), false);
    await browser.clickStart('2030-01-09T04:30:00-05:00');
    assert.equal(browser.posts[1]!.status, 200);
  });
});

describe('secrets stay out of the logs', () => {
  test('redactUrl cuts the secret from both self-service paths', () => {
    assert.equal(redactUrl('/booking/confirm/cancel/abc/s3cret'), '/booking/confirm/cancel/abc/[redacted]');
    assert.equal(redactUrl('/booking/confirm/reschedule/abc/s3cret?x=1'), '/booking/confirm/reschedule/abc/[redacted]?x=1');
    assert.equal(redactUrl('/booking/confirm/reschedule/'), '/booking/confirm/reschedule/');
  });

  test('opening either page, with the right secret or a wrong one, logs no secret', async () => {
    const lines: string[] = [];
    const logStream = new PassThrough();
    logStream.on('data', (chunk) => lines.push(String(chunk)));
    const { app } = await buildApp({ config: testConfig({ LOG_LEVEL: 'trace' }), db: t.handle.db, clock: testClock(), logStream });
    try {
      const host = await newHost(t, acme);
      const booked = await book(host, slot(1, '10:00'));
      const wrong = 'wrong-secret-that-must-not-be-logged';
      for (const kind of ['cancel', 'reschedule'] as const) {
        for (const secret of [booked.secret, wrong]) {
          const res = await app.inject({ method: 'GET', url: `/booking/confirm/${kind}/${booked.appointmentId}/${secret}` });
          assert.equal(res.statusCode, secret === wrong ? 404 : 200);
        }
      }
      const log = lines.join('');
      assert.match(log, new RegExp(`/booking/confirm/cancel/${booked.appointmentId}/\\[redacted\\]`));
      assert.match(log, new RegExp(`/booking/confirm/reschedule/${booked.appointmentId}/\\[redacted\\]`));
      assert.ok(!log.includes(booked.secret) && !log.includes(wrong), 'no secret in any log line');
    } finally {
      await app.close();
    }
  });
});
