import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestApp } from '../helpers/app.ts';
import { type TestHost, parseIcs, slot } from '../helpers/bookings.ts';
import { startGroupApp, takeSeat } from './helpers.ts';

let t: TestApp;
let host: TestHost;

before(async () => {
  ({ t, host } = await startGroupApp(3));
});
after(() => t.close());

const emails = async (id: string) => ((await host.api.get(`/v4/appointment/${id}`)).json().attendees as { email: string }[]).map((a) => a.email);
const selfCancel = (id: string, secret: string) => t.app.inject({ method: 'POST', url: `/booking/confirm/cancel/${id}/${secret}`, payload: {} });

describe("a seat's own secret", () => {
  test('cancels only that attendee’s seat, the first booker’s included; others keep theirs', async () => {
    const start = slot(1, '10:00');
    const ann = await takeSeat(host, start, 'ann@example.com');
    const bob = await takeSeat(host, start, 'bob@example.com');
    const cid = await takeSeat(host, start, 'cid@example.com');
    const annLeaves = await selfCancel(ann.appointmentId, ann.secret);
    assert.equal(annLeaves.statusCode, 200, annLeaves.body);
    assert.deepEqual(await emails(ann.appointmentId), ['bob@example.com', 'cid@example.com'], 'the first booker’s secret removed only their own seat');
    const bobLeaves = await selfCancel(bob.appointmentId, bob.secret);
    assert.equal(bobLeaves.statusCode, 200);
    assert.deepEqual(await emails(ann.appointmentId), ['cid@example.com']);
    assert.equal((await selfCancel(ann.appointmentId, ann.secret)).statusCode, 404, 'a freed seat’s secret reaches nothing');
    assert.equal((await selfCancel(cid.appointmentId, 'not-a-secret')).statusCode, 404);
    assert.deepEqual(await emails(ann.appointmentId), ['cid@example.com']);
  });

  test('the cancel page of a seat acts on that seat and shows no other attendee', async () => {
    const start = slot(1, '12:00');
    await takeSeat(host, start, 'ann@example.com', { attendee: { email: 'ann@example.com', fullname: 'Ann First' } });
    const bob = await takeSeat(host, start, 'bob@example.com', { attendee: { email: 'bob@example.com', fullname: 'Bob Second' } });
    const page = await t.app.inject({ method: 'GET', url: `/booking/confirm/cancel/${bob.appointmentId}/${bob.secret}` });
    assert.equal(page.statusCode, 200);
    // The cancel page (issue 14's page flow) acts on this seat's link and names no other attendee.
    assert.ok(page.body.includes(`/booking/confirm/cancel/${bob.appointmentId}/${bob.secret}`));
    assert.doesNotMatch(page.body, /Ann First|ann@example\.com/);
  });

  test('moving a seat leaves this session and joins the one at the new start; the session stays', async () => {
    const start = slot(2, '10:00');
    const ann = await takeSeat(host, start, 'ann@example.com');
    const bob = await takeSeat(host, start, 'bob@example.com');
    const elsewhere = await takeSeat(host, slot(2, '14:00'), 'dan@example.com');
    const res = await t.app.inject({
      method: 'POST',
      url: '/booking/confirm/reschedule/',
      payload: { appointmentId: bob.appointmentId, secret: bob.secret, start: slot(2, '14:00') },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().appointmentId, elsewhere.appointmentId);
    assert.deepEqual(await emails(ann.appointmentId), ['ann@example.com']);
    assert.deepEqual(await emails(elsewhere.appointmentId), ['dan@example.com', 'bob@example.com']);
    const moved = await selfCancel(elsewhere.appointmentId, res.json().secret);
    assert.equal(moved.statusCode, 200, 'the new seat has its own secret');
    assert.deepEqual(await emails(elsewhere.appointmentId), ['dan@example.com']);
  });

  test('the host reschedules the whole session: everyone moves, same id', async () => {
    const ann = await takeSeat(host, slot(3, '10:00'), 'ann@example.com');
    await takeSeat(host, slot(3, '10:00'), 'bob@example.com');
    const res = await host.api.post(`/v4/appointment/${ann.appointmentId}/reschedule`, { start: slot(3, '15:00') });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().appointment.id, ann.appointmentId);
    assert.equal(res.json().appointment.start, '2030-01-10T14:00:00.000Z');
    assert.deepEqual(await emails(ann.appointmentId), ['ann@example.com', 'bob@example.com']);
  });

  test('each attendee’s ICS shows the organizer and that attendee only; the host’s shows everyone', async () => {
    const ann = await takeSeat(host, slot(4, '10:00'), 'ann@example.com', { attendee: { email: 'ann@example.com', bringalongEmails: ['guest@example.com'] } });
    await takeSeat(host, slot(4, '10:00'), 'bob@example.com');
    const appointment = (await host.api.get(`/v4/appointment/${ann.appointmentId}`)).json();
    const [annIcs, bobIcs] = appointment.attendees.map((a: { ics: string }) => parseIcs(a.ics));
    assert.deepEqual(annIcs.attendees.sort(), ['ann@example.com', 'guest@example.com']);
    assert.deepEqual(bobIcs.attendees, ['bob@example.com']);
    assert.equal(bobIcs.uid, annIcs.uid, 'one event in everyone’s calendar');
    assert.deepEqual(parseIcs(appointment.ics).attendees.sort(), ['ann@example.com', 'bob@example.com', 'guest@example.com']);
    assert.equal(appointment.totalSpots, 3);
    assert.equal(appointment.takenSpots, 2);
  });

  test('no-show is marked per attendee', async () => {
    const ann = await takeSeat(host, slot(4, '14:00'), 'ann@example.com');
    const bob = await takeSeat(host, slot(4, '14:00'), 'bob@example.com');
    const res = await host.api.post(`/v4/attendee/${bob.attendeeId}/no-show`, {});
    assert.ok(res.statusCode < 300, res.body);
    const attendees = (await host.api.get(`/v4/appointment/${ann.appointmentId}`)).json().attendees as { email: string; noShow: boolean }[];
    assert.deepEqual(attendees.map((a) => [a.email, a.noShow]), [['ann@example.com', false], ['bob@example.com', true]]);
  });
});
