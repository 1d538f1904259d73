// Emails, invitations and reminders of a group session, sent by the real workers to a loopback
// SMTP server: each attendee hears about their own seat only and never sees the other attendees.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestApp } from '../helpers/app.ts';
import { type TestHost, slot } from '../helpers/bookings.ts';
import { readInvitation } from '../helpers/ics.ts';
import { type Smtp, startMailApp } from '../helpers/mail-app.ts';
import { eventually } from '../helpers/receiver.ts';
import { type Captured, partOf } from '../helpers/smtp.ts';
import { groupHost, takeSeat } from './helpers.ts';

let t: TestApp;
let smtp: Smtp;
let stop: () => Promise<void>;
let host: TestHost;

before(async () => ({ t, host, smtp, stop } = await startMailApp((app, company) => groupHost(app, company, 5))));
after(() => stop());

const to = (address: string) => smtp.messages.filter((m) => m.to.includes(address));
async function mailsTo(address: string, count: number): Promise<Captured[]> {
  return eventually(async () => (to(address).length >= count ? to(address) : undefined), 5000, `${count} mails to ${address}`);
}
const text = (m: Captured) => partOf(m, 'text/plain')!.body;
const invitation = (m: Captured) => readInvitation(partOf(m, 'text/calendar')!.body);

const reminderRecipients = async (id: string) =>
  (await t.handle.db.selectFrom('reminders').select('recipient').distinct().where('appointment_id', '=', id).where('status', '=', 'pending').execute())
    .map((r) => r.recipient)
    .sort();

describe('privacy of a group session', () => {
  test('a joining attendee gets their own confirmation with their own links and invitation; earlier attendees hear nothing; the host’s shows everyone', async () => {
    const start = slot(1, '10:00');
    const ann = await takeSeat(host, start, 'ann.p@example.com');
    await mailsTo('ann.p@example.com', 1);
    const bob = await takeSeat(host, start, 'bob.p@example.com');
    const [bobMail] = await mailsTo('bob.p@example.com', 1);
    const hostEmail = (await host.api.get(`/v4/appointment/${ann.appointmentId}`)).json().hosts[0].email as string;
    const hostMails = await mailsTo(hostEmail, 2);
    assert.ok(text(bobMail!).includes(`/booking/confirm/cancel/${bob.appointmentId}/${bob.secret}`), 'links with Bob’s own secret');
    assert.ok(!text(bobMail!).includes(ann.secret));
    assert.ok(!text(bobMail!).includes('ann.p@example.com'));
    assert.deepEqual(invitation(bobMail!).attendees, ['bob.p@example.com']);
    assert.deepEqual(invitation(hostMails[1]!).attendees.sort(), ['ann.p@example.com', 'bob.p@example.com']);
    assert.equal(to('ann.p@example.com').length, 1, 'Ann is not told about Bob');
    assert.deepEqual(await eventually(async () => {
      const r = await reminderRecipients(ann.appointmentId);
      return r.length === 2 ? r : undefined;
    }), ['ann.p@example.com', 'bob.p@example.com'], 'reminders per attendee');

    const removed = await host.api.post(`/v4/appointment/${ann.appointmentId}/cancel`, { attendeeId: bob.attendeeId });
    assert.equal(removed.statusCode, 200);
    const [, bobCancelled] = await mailsTo('bob.p@example.com', 2);
    const cancelIcs = invitation(bobCancelled!);
    assert.equal(cancelIcs.method, 'CANCEL');
    assert.deepEqual(cancelIcs.attendees, ['bob.p@example.com']);
    await mailsTo(hostEmail, 3);
    assert.equal(to('ann.p@example.com').length, 1, 'Ann keeps her seat and hears nothing');
    assert.deepEqual(await eventually(async () => {
      const r = await reminderRecipients(ann.appointmentId);
      return r.length === 1 ? r : undefined;
    }), ['ann.p@example.com'], 'Bob’s reminders are gone, Ann’s stay');
  });
});
