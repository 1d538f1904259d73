// Write-back against a real CalDAV server (Radicale on loopback): a booked appointment appears in
// the host's chosen calendar with the invitation's UID and attendees, moves on reschedule and goes
// on cancel, through the outbox with retries — with Radicale stopped the write waits and lands
// after it returns. The appointment shows hostingInfo.calendarSyncProviders.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ICAL from 'ical.js';
import { startCalendarWorkers, type CalendarWorkers } from '../../src/calendars/calendar.workers.ts';
import type { EventWorkers } from '../../src/outbox/outbox.workers.ts';
import { type TestApp, type TestCompany, startTestApp } from '../helpers/app.ts';
import { NOW, type TestHost, bookingBody, newHost } from '../helpers/bookings.ts';
import { RADICALE_USER, type Radicale, skipWithoutRadicale, startRadicale } from '../helpers/radicale.ts';
import { eventually } from '../helpers/receiver.ts';
import { startWorkers } from '../helpers/workers.ts';

// Retries must come due, so this clock moves with real time from the helpers' fixed Monday. The
// retry schedule (60 × 0.5 s) outlasts any restart of Radicale on a loaded machine.
const started = Date.now();
const movingClock = { now: () => new Date(Date.parse(NOW) + (Date.now() - started)) };

function eventOf(text: string) {
  const vevent = new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent('vevent')!;
  return {
    uid: String(vevent.getFirstPropertyValue('uid')),
    start: (vevent.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate().toISOString(),
    attendees: vevent.getAllProperties('attendee').map((p) => String(p.getFirstValue()).toLowerCase()),
    method: new ICAL.Component(ICAL.parse(text)).getFirstPropertyValue('method'),
  };
}

describe('write-back into the host’s CalDAV calendar (Radicale)', { skip: skipWithoutRadicale }, () => {
  let t: TestApp;
  let radicale: Radicale;
  let company: TestCompany;
  let host: TestHost;
  let events: EventWorkers;
  let calendarWorkers: CalendarWorkers;
  let workCalendarId: string;

  before(async () => {
    radicale = await startRadicale();
    await radicale.makeCalendar('work', 'Work');
    t = await startTestApp({ clock: movingClock, env: { TERMIN_CALENDAR_RETRY_SCHEDULE: Array(60).fill('500ms').join(',') } });
    events = await startWorkers(t, { pollMs: 200 });
    calendarWorkers = startCalendarWorkers({
      db: t.handle.db,
      clock: movingClock,
      config: t.config.calendars,
      services: t.services,
      log: { error() {} },
      pollMs: 200,
    });
    company = await t.newCompany('Write-back');
    host = await newHost(t, company);
    const connected = await host.api.post('/v4/calendar-connections', { type: 'caldav', url: radicale.url, ...RADICALE_USER });
    assert.equal(connected.statusCode, 201, connected.body);
    workCalendarId = connected.json().calendars[0].id;
    assert.equal(connected.json().calendars[0].receivesAppointments, true);
  });
  after(async () => {
    await calendarWorkers?.stop();
    await events?.stop();
    await t?.close();
    await radicale?.close();
  });

  const resourceOf = (appointmentId: string) => `${radicale.calendarUrl('work')}${appointmentId}.ics`;
  const appointment = async (id: string) => (await host.api.get(`/v4/appointment/${id}`)).json();

  let appointmentId: string;
  let uid: string;

  test('a booking appears in the chosen calendar with the invitation’s UID and attendees', async () => {
    const booked = await host.api.post('/v4/booking', bookingBody(host, '2030-01-08T10:00:00+01:00'));
    assert.equal(booked.statusCode, 201, booked.body);
    appointmentId = booked.json().appointmentId;
    uid = eventOf((await appointment(appointmentId)).ics).uid;
    const stored = await eventually(() => radicale.getEvent(resourceOf(appointmentId)), 20_000, 'the event in Radicale');
    const event = eventOf(stored);
    assert.equal(event.uid, uid);
    assert.equal(event.start, '2030-01-08T09:00:00.000Z');
    assert.ok(event.attendees.includes('mailto:jane@example.com'));
    assert.equal(event.method, null, 'no iTIP METHOD inside a calendar collection');
    const sync = await eventually(async () => {
      const info = (await appointment(appointmentId)).hostingInfo.calendarSyncProviders;
      return info?.status === 'done' ? info : undefined;
    }, 20_000, 'calendarSyncProviders done');
    assert.deepEqual(
      { type: sync.type, hostId: sync.hostId, eventId: sync.eventId, calendarId: sync.calendarId, lastError: sync.lastError },
      { type: 'caldav', hostId: host.userId, eventId: uid, calendarId: workCalendarId, lastError: null },
    );
  });

  test('a reschedule moves the same event (same UID, new time)', async () => {
    const moved = await host.api.post(`/v4/appointment/${appointmentId}/reschedule`, { start: '2030-01-09T14:00:00+01:00' });
    assert.equal(moved.statusCode, 200, moved.body);
    const event = await eventually(async () => {
      const text = await radicale.getEvent(resourceOf(appointmentId));
      const parsed = text ? eventOf(text) : undefined;
      return parsed?.start === '2030-01-09T13:00:00.000Z' ? parsed : undefined;
    }, 20_000, 'the moved event');
    assert.equal(event.uid, uid);
    assert.equal((await radicale.listEvents('work')).length, 1);
  });

  test('a cancel removes the event from the calendar', async () => {
    const cancelled = await host.api.post(`/v4/appointment/${appointmentId}/cancel`, { reason: 'ill' });
    assert.equal(cancelled.statusCode, 200, cancelled.body);
    await eventually(async () => ((await radicale.getEvent(resourceOf(appointmentId))) === undefined ? true : undefined), 20_000, 'the event gone');
  });

  test('Radicale stopped: the write-back is retried and lands after Radicale returns', async () => {
    await radicale.stop();
    let id: string;
    try {
      const booked = await host.api.post('/v4/booking', bookingBody(host, '2030-01-10T11:00:00+01:00'));
      assert.equal(booked.statusCode, 201, booked.body);
      id = booked.json().appointmentId;
      const failing = await eventually(async () => {
        const info = (await appointment(id)).hostingInfo.calendarSyncProviders;
        return info?.lastError ? info : undefined;
      }, 20_000, 'a failed attempt recorded');
      assert.equal(failing.status, 'pending');
      const row = await t.handle.db.selectFrom('calendar_writes').select('attempt_count').where('appointment_id', '=', id).executeTakeFirstOrThrow();
      assert.ok(row.attempt_count >= 1);
    } finally {
      await radicale.restart();
    }
    const stored = await eventually(() => radicale.getEvent(resourceOf(id!)), 30_000, 'the event after Radicale returned');
    assert.equal(eventOf(stored).start, '2030-01-10T10:00:00.000Z');
    const info = await eventually(async () => {
      const value = (await appointment(id!)).hostingInfo.calendarSyncProviders;
      return value?.status === 'done' ? value : undefined;
    }, 20_000, 'calendarSyncProviders done');
    assert.equal(info.lastError, null);
  });
});
