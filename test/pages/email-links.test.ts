// The links in attendees' emails on the booking pages' flows: the reschedule link opens the
// meeting type's own month calendar (old time shown), the cancel link a page with a reason field
// whose form cancels. Opening a link only reads.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { buildApp } from '../../src/app.ts';
import { redactUrl } from '../../src/http/server.ts';
import { type TestApp, type TestCompany, startTestApp, testConfig } from '../helpers/app.ts';
import { type TestHost, bookingBody, newHost, slot, testClock } from '../helpers/bookings.ts';
import { newTeam } from '../helpers/teams.ts';
import { formBody, postForm, timeLinks } from './page-helpers.ts';

let t: TestApp;
let acme: TestCompany;

before(async () => {
  t = await startTestApp({ clock: testClock() });
  acme = await t.newCompany('Acme');
});
after(() => t.close());

const NEW_YORK = { email: 'jane@example.com', fullname: 'Jane Doe', timezone: 'America/New_York', language: 'en' };

async function book(host: Pick<TestHost, 'api' | 'meetingTypeId'>, start: string, attendee: Record<string, unknown> = NEW_YORK) {
  const res = await host.api.post('/v4/booking', bookingBody(host as TestHost, start, { attendee }));
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as { appointmentId: string; secret: string };
}

const get = (url: string, remoteAddress?: string) => t.app.inject({ method: 'GET', url, ...(remoteAddress ? { remoteAddress } : {}) });
const link = (kind: 'cancel' | 'reschedule', b: { appointmentId: string; secret: string }) => `/booking/confirm/${kind}/${b.appointmentId}/${b.secret}`;
const cancelForm = (html: string) => /<form method="post" action="([^"]+)" id="cancel">/.exec(html)?.[1]?.replace(/&amp;/g, '&');
const outboxCount = async () => (await t.handle.db.selectFrom('outbox_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;

describe('the reschedule link', () => {
  test('opens the meeting type’s calendar with the old time, in the attendee’s zone; a new time moves the same appointment', async () => {
    const host = await newHost(t, acme);
    const booked = await book(host, slot(1, '10:00'));
    const typePath = new URL((await host.api.get(`/v4/meeting-type/${host.meetingTypeId}`)).json().bookingUrl).pathname;
    const before = await outboxCount();
    const opened = await get(link('reschedule', booked));
    assert.equal(opened.statusCode, 303);
    const target = new URL(opened.headers.location as string, 'http://x');
    assert.equal(target.pathname, typePath);
    assert.deepEqual(Object.fromEntries(target.searchParams), { reschedule: booked.appointmentId, secret: booked.secret, tz: 'America/New_York', lang: 'en' });
    const calendar = await get(`${opened.headers.location}&date=2030-01-09`);
    assert.equal(calendar.statusCode, 200);
    // Tuesday 10:00 in Berlin is 04:00 in New York.
    assert.match(calendar.body, /You are moving your appointment of Tuesday, January 8, 2030 at 4:00\sAM \(America\/New_York\)/);
    assert.equal(await outboxCount(), before, 'opening the link wrote nothing');
    const href = timeLinks(calendar.body).find(([label]) => label === '8:00 AM')![1];
    const moved = await postForm(t, href.split('?')[0]!, formBody((await get(href)).body, {}));
    assert.equal(moved.statusCode, 200, moved.body.slice(-800));
    assert.match(moved.body, /Your appointment has been moved/);
    const shown = (await host.api.get(`/v4/appointment/${booked.appointmentId}`)).json();
    assert.equal(shown.start, '2030-01-09T13:00:00.000Z');
    assert.equal(shown.isCancelled, false);
    assert.equal((await get(link('reschedule', booked))).statusCode, 303, 'the emailed link keeps working');
  });

  test('a time taken meanwhile: a friendly word and the calendar again; the appointment stays', async () => {
    const host = await newHost(t, acme);
    const booked = await book(host, slot(1, '10:00'));
    const opened = await get(link('reschedule', booked));
    const calendar = await get(`${opened.headers.location}&date=2030-01-09`);
    const href = timeLinks(calendar.body)[0]![1];
    const form = await get(href);
    const chosen = new URL(href, 'http://x').searchParams.get('start')!;
    await book(host, chosen, { email: 'faster@example.com' });
    const answer = await postForm(t, href.split('?')[0]!, formBody(form.body, {}));
    assert.equal(answer.statusCode, 409);
    assert.match(answer.body, /Sorry, that time was just taken/);
    assert.match(answer.body, /You are moving your appointment of/);
    assert.ok(timeLinks(answer.body).length > 0, 'the calendar again');
    assert.equal((await host.api.get(`/v4/appointment/${booked.appointmentId}`)).json().start, '2030-01-08T09:00:00.000Z');
  });

  test('a team type’s link opens the team page', async () => {
    const team = await newTeam(t, acme, 2);
    const booked = await book(team, slot(1, '10:00'));
    const teamPath = new URL((await team.api.get(`/v4/meeting-type/${team.meetingTypeId}`)).json().bookingUrl).pathname;
    const opened = await get(link('reschedule', booked));
    assert.equal(new URL(opened.headers.location as string, 'http://x').pathname, teamPath);
    const calendar = await get(opened.headers.location as string);
    assert.match(calendar.body, /You are moving your appointment of/);
  });

  test('German attendees get German', async () => {
    const host = await newHost(t, acme);
    const booked = await book(host, slot(1, '10:00'), { email: 'lena@example.com', fullname: 'Lena Weber', timezone: 'Europe/Berlin', language: 'de-DE' });
    const calendar = await get((await get(link('reschedule', booked))).headers.location as string);
    assert.match(calendar.body, /<html lang="de">/);
    assert.match(calendar.body, /Sie verschieben Ihren Termin vom Dienstag, 8\. Januar 2030 um 10:00 \(Europe\/Berlin\)/);
  });
});

describe('the cancel link', () => {
  test('shows the appointment in the attendee’s zone with a labelled reason; the form cancels with that reason', async () => {
    const host = await newHost(t, acme);
    const booked = await book(host, slot(1, '10:00'));
    const before = await outboxCount();
    const page = await get(link('cancel', booked));
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Tuesday, January 8, 2030 at 4:00\sAM \(America\/New_York\)/);
    assert.match(page.body, /Hanna Host/);
    assert.equal(page.headers['x-robots-tag'], 'noindex, nofollow');
    assert.match(page.body, /<label for="reason">Reason \(optional\)<\/label>\n<textarea id="reason"/);
    assert.equal(await outboxCount(), before, 'opening the link wrote nothing');
    assert.equal((await host.api.get(`/v4/appointment/${booked.appointmentId}`)).json().isCancelled, false);
    const action = cancelForm(page.body)!;
    assert.equal(action, `${link('cancel', booked)}/page`);
    const done = await postForm(t, action, new URLSearchParams({ reason: '  Ill, sorry  ' }).toString());
    assert.equal(done.statusCode, 200, done.body);
    assert.match(done.body, /Your appointment has been cancelled/);
    assert.match(done.body, /Book a new time/);
    const shown = (await host.api.get(`/v4/appointment/${booked.appointmentId}`)).json();
    assert.equal(shown.isCancelled, true);
    assert.equal(shown.cancel.reason, 'Ill, sorry');
    assert.equal(shown.cancel.actionSource, 'attendee');
    const again = await get(link('cancel', booked));
    assert.match(again.body, /already been cancelled/);
    assert.ok(!again.body.includes('<form'));
    const moving = await get(link('reschedule', booked));
    assert.equal(moving.statusCode, 200);
    assert.match(moving.body, /already been cancelled/);
  });

  test('escapes a hostile meeting name', async () => {
    const host = await newHost(t, acme, { name: '<b>Evil & "Co"</b>' });
    const booked = await book(host, slot(1, '10:00'));
    const { body } = await get(link('cancel', booked));
    assert.ok(body.includes('&lt;b&gt;Evil &amp; &quot;Co&quot;&lt;/b&gt;'));
    assert.ok(!body.includes('<b>'));
  });
});

describe('a link that is not valid', () => {
  test('a wrong secret and an unknown id: the same 404 page on every route, and nothing cancelled', async () => {
    const host = await newHost(t, acme);
    const booked = await book(host, slot(1, '10:00'));
    const bodies = new Set<string>();
    for (const [id, secret] of [
      [booked.appointmentId, 'not-the-secret'],
      ['00000000-0000-4000-8000-000000000000', booked.secret],
      ['not-a-uuid', booked.secret],
    ] as const) {
      for (const res of [
        await get(`/booking/confirm/cancel/${id}/${secret}`, '198.51.100.1'),
        await get(`/booking/confirm/reschedule/${id}/${secret}`, '198.51.100.1'),
        await t.app.inject({ method: 'POST', url: `/booking/confirm/cancel/${id}/${secret}/page`, remoteAddress: '198.51.100.1', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'reason=x' }),
      ]) {
        assert.equal(res.statusCode, 404);
        bodies.add(res.body.replace(/nonce="[^"]+"/g, ''));
      }
    }
    assert.equal(bodies.size, 1);
    assert.equal((await host.api.get(`/v4/appointment/${booked.appointmentId}`)).json().isCancelled, false);
  });

  test('wrong secrets on the links count towards the per-address limit the API routes share', async () => {
    const host = await newHost(t, acme);
    const booked = await book(host, slot(1, '10:00'));
    const address = '203.0.113.77';
    for (let i = 0; i < 10; i++) assert.equal((await get(`/booking/confirm/${i % 2 ? 'cancel' : 'reschedule'}/${booked.appointmentId}/guess-${i}`, address)).statusCode, 404);
    const locked = await get(link('reschedule', booked), address);
    assert.equal(locked.statusCode, 429);
    assert.ok(Number(locked.headers['retry-after']) > 0);
    const post = await t.app.inject({ method: 'POST', url: link('cancel', booked), remoteAddress: address });
    assert.equal(post.statusCode, 429, 'the API route sees the same failures');
    assert.equal((await get(link('cancel', booked), '203.0.113.78')).statusCode, 200);
  });
});

describe('secrets stay out of the logs', () => {
  test('redactUrl cuts the secret from the links and the cancel form’s target', () => {
    assert.equal(redactUrl('/booking/confirm/cancel/abc/s3cret'), '/booking/confirm/cancel/abc/[redacted]');
    assert.equal(redactUrl('/booking/confirm/cancel/abc/s3cret/page'), '/booking/confirm/cancel/abc/[redacted]/page');
    assert.equal(redactUrl('/booking/confirm/reschedule/abc/s3cret?x=1'), '/booking/confirm/reschedule/abc/[redacted]?x=1');
    assert.equal(redactUrl('/host/type?reschedule=abc&secret=s3cret&tz=UTC'), '/host/type?reschedule=abc&secret=[redacted]&tz=UTC');
  });

  test('opening either link and following it, with the right secret or a wrong one, logs no secret', async () => {
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
          assert.equal(res.statusCode, secret === wrong ? 404 : kind === 'cancel' ? 200 : 303);
          if (res.statusCode === 303) assert.equal((await app.inject({ method: 'GET', url: res.headers.location as string })).statusCode, 200);
        }
      }
      const log = lines.join('');
      assert.match(log, new RegExp(`/booking/confirm/cancel/${booked.appointmentId}/\\[redacted\\]`));
      assert.ok(!log.includes(booked.secret) && !log.includes(wrong), 'no secret in any log line');
    } finally {
      await app.close();
    }
  });
});
