// A round-robin booking re-reads its members' CalDAV calendars before it takes the queue's lock:
// a member whose calendar became busy after the last sync is skipped for the next one, though the
// cached busy time (what slot search still shows) says the member is free.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type TestApp, startTestApp } from '../helpers/app.ts';
import { slot, testClock } from '../helpers/bookings.ts';
import { RADICALE_USER, type Radicale, skipWithoutRadicale, startRadicale } from '../helpers/radicale.ts';
import { type TestTeam, newTeam } from '../helpers/teams.ts';
import { vcalendar, vevent } from './calendar-events.ts';

describe('team bookings re-read the members’ calendars (Radicale)', { skip: skipWithoutRadicale }, () => {
  let t: TestApp;
  let radicale: Radicale;
  let team: TestTeam;

  before(async () => {
    radicale = await startRadicale();
    await radicale.makeCalendar('work', 'Work');
    t = await startTestApp({ clock: testClock() });
    const company = await t.newCompany('Team calendars');
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

  const freeHostsAt = async (start: string): Promise<string[]> => {
    const res = await team.api.get(
      `/v4/booking-availability?meetingTypeId=${team.meetingTypeId}&queueId=${team.queueId}&start=2030-01-09&end=2030-01-09&timezone=Europe/Berlin&includeHosts=true`,
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
});
