// The attendee's side, end to end: the links in the real confirmation email open the booking
// page's calendar (move) and the cancel page (cancel with a reason), both plain forms, and the
// links of both emails (the same secret) keep working.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestApp } from '../helpers/app.ts';
import { type TestHost, bookingBody, slot } from '../helpers/bookings.ts';
import { type Smtp, startMailApp } from '../helpers/mail-app.ts';
import { eventually } from '../helpers/receiver.ts';
import { type Captured, partOf } from '../helpers/smtp.ts';
import { formBody, postForm, timeLinks } from '../pages/page-helpers.ts';

let t: TestApp;
let smtp: Smtp;
let stop: () => Promise<void>;
let host: TestHost;

before(async () => ({ t, host, smtp, stop } = await startMailApp()));
after(() => stop());

const attendee = 'lena.links@example.com';

async function mailsTo(count: number): Promise<Captured[]> {
  return eventually(async () => {
    const found = smtp.messages.filter((m) => m.to.includes(attendee));
    return found.length >= count ? found : undefined;
  }, 10_000, `${count} mails to ${attendee}`);
}

/** The self-service links of a mail as paths, checked to be the same in its text and HTML parts. */
function linksOf(mail: Captured): { cancel: string; reschedule: string } {
  const find = (body: string, kind: string) =>
    new RegExp(`http://termin\\.test(/booking/confirm/${kind}/[0-9a-f-]{36}/[\\w-]+)`).exec(body)?.[1];
  const text = partOf(mail, 'text/plain')!.body;
  const html = partOf(mail, 'text/html')!.body;
  const cancel = find(text, 'cancel');
  const reschedule = find(text, 'reschedule');
  assert.ok(cancel && reschedule, 'the mail carries both links');
  assert.ok(html.includes(`href="http://termin.test${cancel}"`) && html.includes(`href="http://termin.test${reschedule}"`));
  return { cancel, reschedule };
}

const get = (path: string) => t.app.inject({ method: 'GET', url: path });

describe('following the links of the email', () => {
  test('reschedule link → page → move; the emailed links keep working; the new email’s cancel link → page → cancel', async () => {
    const booked = await host.api.post(
      '/v4/booking',
      bookingBody(host, slot(1, '10:00'), { attendee: { email: attendee, firstname: 'Lena', language: 'de', timezone: 'Europe/Berlin' } }),
    );
    assert.equal(booked.statusCode, 201, booked.body);
    const appointmentId = booked.json().appointmentId as string;
    const first = linksOf((await mailsTo(1))[0]!);

    const opened = await get(first.reschedule);
    assert.equal(opened.statusCode, 303);
    const reschedulePage = await get(`${opened.headers.location}&date=2030-01-09`);
    assert.equal(reschedulePage.statusCode, 200);
    assert.match(reschedulePage.body, /Sie verschieben Ihren Termin vom Dienstag, 8\. Januar 2030 um 10:00 \(Europe\/Berlin\)/);
    const href = timeLinks(reschedulePage.body).find(([label]) => label === '14:00')![1];
    const moved = await postForm(t, href.split('?')[0]!, formBody((await get(href)).body, {}));
    assert.equal(moved.statusCode, 200, moved.body.slice(-800));
    assert.match(moved.body, /Ihr Termin wurde verschoben/);
    assert.equal((await host.api.get(`/v4/appointment/${appointmentId}`)).json().start, '2030-01-09T13:00:00.000Z');
    for (const kept of [first.reschedule, first.cancel]) {
      const res = await get(kept);
      assert.ok([200, 303].includes(res.statusCode), 'the secret is stable: links already emailed keep working');
    }

    const second = linksOf((await mailsTo(2))[1]!);
    assert.equal(second.cancel, first.cancel, 'the reschedule email brings the same links');
    const cancelPage = await get(second.cancel);
    assert.equal(cancelPage.statusCode, 200);
    assert.match(cancelPage.body, /Mittwoch, 9\. Januar 2030 um 14:00 \(Europe\/Berlin\)/);
    const action = /<form method="post" action="([^"]+)" id="cancel">/.exec(cancelPage.body)![1]!.replace(/&amp;/g, '&');
    const cancelled = await postForm(t, action, new URLSearchParams({ reason: 'Krank' }).toString());
    assert.equal(cancelled.statusCode, 200);
    assert.match(cancelled.body, /Ihr Termin wurde abgesagt/);
    const shown = (await host.api.get(`/v4/appointment/${appointmentId}`)).json();
    assert.equal(shown.isCancelled, true);
    assert.equal(shown.cancel.reason, 'Krank');

    const after = await get(second.cancel);
    assert.equal(after.statusCode, 200);
    assert.match(after.body, /bereits abgesagt/);
    const cancelledMail = (await mailsTo(3))[2]!;
    assert.ok(!partOf(cancelledMail, 'text/plain')!.body.includes('/booking/confirm/'), 'a cancellation carries no links');
  });
});
