// A round-robin booking re-reads its members' CalDAV calendars before it takes the queue's lock:
// a member whose calendar became busy after the last sync is skipped for the next one, though the
// cached busy time (what slot search still shows) says the member is free. Rescheduling onto a
// time its host cannot make re-reads the other members' calendars the same way before the queue
// gives the appointment to one of them.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type TestApp, type TestCompany, startTestApp } from '../helpers/app.ts';
import { slot, testClock } from '../helpers/bookings.ts';
import { RADICALE_USER, type Radicale, skipWithoutRadicale, startRadicale } from '../helpers/radicale.ts';
import { type TestTeam, newTeam } from '../helpers/teams.ts';
import { vcalendar, vevent } from './calendar-events.ts';

describe('team bookings re-read the members’ calendars (Radicale)', { skip: skipWithoutRadicale }, () => {
  let t: TestApp;
  let radicale: Radicale;
  let team: TestTeam;
  let company: TestCompany;

  before(async () => {
    radicale = await startRadicale();
    await radicale.makeCalendar('work', 'Work');
    t = await startTestApp({ clock: testClock() });
    company = await t.newCompany('Team calendars');
    team = await newTeam(t, company, 2);
    // The member with the calendar is preferred (priority), so only a fresh look at it can skip
    // them; and it is not the type's own host (the first member), whom a booking re-read already.
    const [, preferred] = team.members;
    const patched = await team.api.patch(`/v4/queue/meeting-type/${team.meetingTypeId}`, { userPriorities: [{ userId: preferred!.userId, priority: 5 }] });
    assert.equal(patched.statusCode, 200, patched.body);
    const connected = await preferred!.api.post('/v4/calendar-connections', { type: 'caldav', url: radicale.url, ...RADICALE_USER });
    assert.equal(connected.statusCode, 201, connected.body);
  });
  after(async () => {
    await t?.close();
    await radicale?.close();
  });

  const freeHostsAt = async (start: string, of: TestTeam = team): Promise<string[]> => {
    const day = start.slice(0, 10);
    const res = await of.api.get(
      `/v4/booking-availability?meetingTypeId=${of.meetingTypeId}&queueId=${of.queueId}&start=${day}&end=${day}&timezone=Europe/Berlin&includeHosts=true`,
    );
    assert.equal(res.statusCode, 200, res.body);
    return res.json().availableSlots.find((s: { start: string }) => s.start === start)?.hostIds ?? [];
  };

  test('a member whose calendar just became busy is skipped: the next member gets the booking', async () => {
    const [other, preferred] = team.members;
    const start = slot(2, '11:00');
    await radicale.putEvent('work', 'late.ics', vcalendar(vevent('late', ['DTSTART:20300109T100000Z', 'DTEND:20300109T103000Z'])));
    // The cache has not seen the event yet: both members look free.
    assert.deepEqual(new Set(await freeHostsAt(start)), new Set([other!.userId, preferred!.userId]));
    const res = await team.api.post('/v4/booking', { meetingTypeId: team.meetingTypeId, queueId: team.queueId, start, attendee: { email: 'jane@example.com' } });
    assert.equal(res.statusCode, 201, res.body);
    const appointment = (await team.api.get(`/v4/appointment/${res.json().appointmentId}`)).json();
    assert.deepEqual(appointment.hostIds, [other!.userId]);
    // The booking's re-read updated the cache: slot search now sees the preferred member busy too.
    assert.ok(!(await freeHostsAt(start)).includes(preferred!.userId));
  });

  test('a reschedule the host cannot make re-reads the other members’ calendars: a member just busy is passed over', async () => {
    // own: the type's own host; host: has the appointment; preferred: next in line, with a calendar.
    const team3 = await newTeam(t, company, 3);
    const [own, host, preferred] = team3.members;
    const patched = await team3.api.patch(`/v4/queue/meeting-type/${team3.meetingTypeId}`, { userPriorities: [{ userId: preferred!.userId, priority: 5 }] });
    assert.equal(patched.statusCode, 200, patched.body);
    const connected = await preferred!.api.post('/v4/calendar-connections', { type: 'caldav', url: radicale.url, ...RADICALE_USER });
    assert.equal(connected.statusCode, 201, connected.body);
    const booked = await team3.api.post('/v4/booking', {
      meetingTypeId: team3.meetingTypeId,
      queueId: team3.queueId,
      hostIds: [host!.userId],
      start: slot(3, '09:00'),
      attendee: { email: 'moving@example.com' },
    });
    assert.equal(booked.statusCode, 201, booked.body);
    const id = booked.json().appointmentId as string;

    // At the new time the host is booked elsewhere, and the preferred member's calendar became busy
    // after its last read (10:00Z = 11:00 Berlin).
    const to = slot(3, '11:00');
    const own11 = await host!.api.post('/v4/booking', { meetingTypeId: host!.meetingTypeId, start: to, attendee: { email: 'elsewhere@example.com' } });
    assert.equal(own11.statusCode, 201, own11.body);
    await radicale.putEvent('work', 'moved.ics', vcalendar(vevent('moved', ['DTSTART:20300110T100000Z', 'DTEND:20300110T103000Z'])));
    assert.ok((await freeHostsAt(to, team3)).includes(preferred!.userId), 'the cache has not seen the event yet');

    const moved = await team3.api.post(`/v4/appointment/${id}/reschedule`, { start: to });
    assert.equal(moved.statusCode, 200, moved.body);
    assert.deepEqual(moved.json().appointment.hostIds, [own!.userId]);
    assert.ok(!(await freeHostsAt(to, team3)).includes(preferred!.userId), 'the reschedule re-read the calendar into the cache');
  });
});
