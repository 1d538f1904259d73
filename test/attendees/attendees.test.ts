import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type TestApp, type TestCompany, client } from '../helpers/app.ts';
import { type TestHost, bookingBody, newHost, slot, testClock } from '../helpers/bookings.ts';
import { type Smtp, startMailApp } from '../helpers/mail-app.ts';
import { eventually } from '../helpers/receiver.ts';
import { type Captured, partOf } from '../helpers/smtp.ts';

const clock = testClock();
let t: TestApp;
let smtp: Smtp;
let stop: () => Promise<void>;
let acme: TestCompany;
let host: TestHost;

before(async () => ({ t, acme, host, smtp, stop } = await startMailApp(newHost, { clock })));
after(() => stop());

let nextSlot = 0;
/** A booked appointment's first attendee, with a unique email. */
async function bookedAttendee(email: string): Promise<{ attendeeId: string; appointmentId: string }> {
  nextSlot++;
  const body = bookingBody(host, slot(1 + (nextSlot % 4), `${String(9 + Math.floor(nextSlot / 4)).padStart(2, '0')}:00`), {
    attendee: { email, fullname: 'Jane Client' },
  });
  const booked = await host.api.post('/v4/booking', body);
  assert.equal(booked.statusCode, 201, booked.body);
  const appointment = (await host.api.get(`/v4/appointment/${booked.json().appointmentId}`)).json();
  return { attendeeId: appointment.attendees[0].id, appointmentId: appointment.id };
}

async function mailWithSubject(to: string, subject: string): Promise<Captured> {
  return eventually(
    async () => smtp.messages.find((m) => m.to.includes(to) && m.mime.headers.subject === subject),
    10_000,
    `mail "${subject}" to ${to}`,
  );
}

describe('POST /v4/attendee/quick-mail', () => {
  test('sends a real email to the attendee with the title as subject and the content as body', async () => {
    const { attendeeId } = await bookedAttendee('quick1@example.com');
    const res = await host.api.post('/v4/attendee/quick-mail', {
      attendeeId,
      title: 'Prep for Tuesday',
      content: 'Please bring the <contract>.\n\nSee you then',
    });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().to, 'quick1@example.com');
    assert.equal(res.json().status, 'queued');
    const mail = await mailWithSubject('quick1@example.com', 'Prep for Tuesday');
    assert.match(partOf(mail, 'text/plain')!.body, /Please bring the <contract>\./);
    const html = partOf(mail, 'text/html')!.body;
    assert.ok(html.includes('&lt;contract&gt;'), 'host text is escaped in HTML');
    assert.ok(!html.includes('<contract>'));
  });

  test('at most 5 per 5 minutes per sender: the 6th → 429 with Retry-After; another sender is unaffected; later it works again', async () => {
    const { attendeeId } = await bookedAttendee('quick2@example.com');
    const sender = await newHost(t, acme);
    for (let i = 1; i <= 5; i++) {
      const res = await sender.api.post('/v4/attendee/quick-mail', { attendeeId, title: `Note ${i}`, content: 'Hello' });
      assert.equal(res.statusCode, 201, res.body);
    }
    const refused = await sender.api.post('/v4/attendee/quick-mail', { attendeeId, title: 'Note 6', content: 'Hello' });
    assert.equal(refused.statusCode, 429);
    assert.equal(refused.json().message, 'At most 5 quick mails per 5 minutes');
    assert.equal(refused.headers['retry-after'], '300');
    const other = await host.api.post('/v4/attendee/quick-mail', { attendeeId, title: 'From the host', content: 'Hi' });
    assert.equal(other.statusCode, 201);
    // Forward only: the per-key request limiter does not expect time to run backwards.
    clock.advance(5 * 60_000 + 1000);
    const again = await sender.api.post('/v4/attendee/quick-mail', { attendeeId, title: 'Note 7', content: 'Hello' });
    assert.equal(again.statusCode, 201, again.body);
    await mailWithSubject('quick2@example.com', 'Note 5');
    assert.ok(!smtp.messages.some((m) => m.mime.headers.subject === 'Note 6'), 'the refused mail is never sent');
  });

  test("an unknown attendee, another company's attendee and bad input are refused", async () => {
    const { attendeeId } = await bookedAttendee('quick3@example.com');
    const globex = await t.newCompany('Globex');
    const theirs = await client(t.app, globex.apiKey).post('/v4/attendee/quick-mail', { attendeeId, title: 'x', content: 'y' });
    assert.equal(theirs.statusCode, 404);
    assert.equal(theirs.json().message, 'Attendee not found');
    const unknown = await host.api.post('/v4/attendee/quick-mail', { attendeeId: '00000000-0000-4000-8000-000000000000', title: 'x', content: 'y' });
    assert.equal(unknown.statusCode, 404);
    const missing = await host.api.post('/v4/attendee/quick-mail', { attendeeId, content: 'y' });
    assert.equal(missing.statusCode, 400);
    assert.equal(missing.json().message, 'title is required');
  });
});

describe('pending attendees (AT3/AT4)', () => {
  test('created with a numeric id and listed newest first', async () => {
    const api = client(t.app, acme.apiKey);
    const first = await api.post('/v4/attendee-pending', { attendee: { email: 'Form@Example.com', firstname: 'Fia', company: 'Ink' } });
    assert.equal(first.statusCode, 201, first.body);
    assert.equal(typeof first.json(), 'number');
    const second = await api.post('/v4/attendee-pending', { attendee: { phoneOnly: true, phone: '+49 30 1234' } });
    assert.equal(second.statusCode, 201, second.body);
    const list = (await api.get('/v4/attendee-pending')).json();
    assert.deepEqual(
      list.map((item: { id: number }) => item.id),
      [second.json(), first.json()],
    );
    assert.equal(list[1].attendee.email, 'form@example.com');
    assert.equal(list[1].attendee.company, 'Ink', 'form entries are kept');
    const globex = await t.newCompany('Globex pending');
    assert.deepEqual((await client(t.app, globex.apiKey).get('/v4/attendee-pending')).json(), []);
  });

  test('email is required unless phone-only; at most 5 bring-along emails', async () => {
    const api = client(t.app, acme.apiKey);
    const noEmail = await api.post('/v4/attendee-pending', { attendee: { firstname: 'X' } });
    assert.equal(noEmail.statusCode, 400);
    assert.equal(noEmail.json().message, 'attendee.email is required unless phoneOnly is true');
    const many = await api.post('/v4/attendee-pending', {
      attendee: { email: 'a@example.com', bringalongEmails: ['1@x.de', '2@x.de', '3@x.de', '4@x.de', '5@x.de', '6@x.de'] },
    });
    assert.equal(many.statusCode, 400);
  });
});
