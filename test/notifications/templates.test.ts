import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { EmailPayload } from '../../src/notifications/email.plan.ts';
import { renderEmail } from '../../src/notifications/email.templates.ts';
import { createMailer, redactLinks } from '../../src/notifications/mailer.ts';
import { appointmentJson } from '../helpers/events.factory.ts';
import { readInvitation } from '../helpers/ics.ts';

const host = { id: '11111111-1111-4111-8111-111111111111', email: 'host@example.com' };
// 2031-03-30 is after Europe's spring-forward (2031-03-30 01:00 UTC): Berlin is UTC+2 then.
const appointment = appointmentJson({
  companyId: '22222222-2222-4222-8222-222222222222',
  meetingTypeId: '33333333-3333-4333-8333-333333333333',
  host,
  start: '2031-03-30T08:00:00Z',
  title: 'Beratung <intern>',
  attendees: [{ email: 'a@example.com', fullname: 'Ann & Bob' }],
});

const payload = (overrides: Partial<EmailPayload> = {}): EmailPayload => ({
  kind: 'booked',
  role: 'attendee',
  to: 'a@example.com',
  name: 'Ann & Bob',
  language: 'en',
  timezone: 'Europe/Berlin',
  appointment,
  withLinks: true,
  ...overrides,
});

describe('renderEmail', () => {
  test('shows the time in the recipient zone across a DST change', () => {
    const berlin = renderEmail(payload(), { publicUrl: 'https://t.example' });
    assert.match(berlin.subject, /Sunday, March 30, 2031 at 10:00\sAM \(Europe\/Berlin\)/);
    const tokyo = renderEmail(payload({ timezone: 'Asia/Tokyo' }), { publicUrl: 'https://t.example' });
    assert.match(tokyo.subject, /Sunday, March 30, 2031 at 5:00\sPM \(Asia\/Tokyo\)/);
  });

  test('an unknown zone falls back to UTC instead of failing', () => {
    assert.match(renderEmail(payload({ timezone: 'Mars/Base' }), { publicUrl: 'x' }).subject, /8:00\sAM \(UTC\)/);
  });

  test('German for de, English for other languages', () => {
    assert.match(renderEmail(payload({ language: 'de' }), { publicUrl: 'x' }).subject, /^Bestätigt: .* am Sonntag, 30\. März 2031 um 10:00/);
    assert.match(renderEmail(payload({ language: 'fr' }), { publicUrl: 'x' }).subject, /^Confirmed:/);
  });

  test('links appear only with a secret and not in cancellations', () => {
    const withSecret = renderEmail(payload(), { publicUrl: 'https://t.example', secret: 's3cr3t' });
    assert.ok(withSecret.text.includes(`https://t.example/booking/confirm/cancel/${appointment.id}/s3cr3t`));
    assert.ok(withSecret.text.includes(`https://t.example/booking/confirm/reschedule/${appointment.id}/s3cr3t`));
    assert.doesNotMatch(renderEmail(payload(), { publicUrl: 'x' }).text, /booking\/confirm/);
    assert.doesNotMatch(renderEmail(payload({ kind: 'cancelled' }), { publicUrl: 'x', secret: 's3cr3t' }).text, /s3cr3t/);
    assert.doesNotMatch(renderEmail(payload({ withLinks: false }), { publicUrl: 'x', secret: 's3cr3t' }).text, /s3cr3t/);
  });

  test('escapes HTML in names and titles', () => {
    const { html } = renderEmail(payload(), { publicUrl: 'x' });
    assert.ok(html.includes('Ann &amp; Bob'));
    assert.ok(html.includes('Beratung &lt;intern&gt;'));
    assert.ok(!html.includes('<intern>'));
  });

  test('attaches the appointment invitation with its method, none for reminders', () => {
    const booked = renderEmail(payload(), { publicUrl: 'x' });
    assert.equal(booked.ics?.method, 'REQUEST');
    assert.equal(readInvitation(booked.ics!.content).start, '2031-03-30T08:00:00.000Z');
    assert.equal(renderEmail(payload({ kind: 'reminder' }), { publicUrl: 'x' }).ics, undefined);
  });

  test('the host notice names the attendees', () => {
    const notice = renderEmail(payload({ role: 'host', name: 'Hedda Host', withLinks: false }), { publicUrl: 'x' });
    assert.match(notice.subject, /^New booking: Beratung <intern> with Ann & Bob on/);
    assert.match(notice.text, /Attendees: Ann & Bob <a@example.com>/);
  });
});

describe('mailer without SMTP_URL', () => {
  test('logs the rendered email with self-service secrets cut from links, sends nothing', async () => {
    const logged: Record<string, unknown>[] = [];
    const mailer = createMailer({ smtpUrl: undefined, from: 'x@example.com', log: { info: (object) => logged.push(object) } });
    assert.equal(mailer.mode, 'log');
    await mailer.send(renderEmail(payload(), { publicUrl: 'https://t.example', secret: 'TOPSECRETvalue' }));
    assert.equal(logged.length, 1);
    assert.ok(!JSON.stringify(logged).includes('TOPSECRETvalue'));
    assert.match(String(logged[0]!.text), /booking\/confirm\/cancel\/[^/]+\/\[redacted\]/);
  });

  test('redactLinks cuts the secret of both link kinds', () => {
    assert.equal(redactLinks('see https://x/booking/confirm/reschedule/abc/def-123 now'), 'see https://x/booking/confirm/reschedule/abc/[redacted] now');
  });
});
