// An ICS feed (what Google and Outlook publish) served from a loopback HTTP server works as a
// CalDAV calendar does for busy time: the same events hide the same starts. Refreshes ask with
// If-None-Match, and a changed feed replaces the cached busy time. A feed cannot receive appointments.
import assert from 'node:assert/strict';
import { type IncomingHttpHeaders, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { type TestApp, startTestApp } from '../helpers/app.ts';
import { type TestHost, newHost, testClock } from '../helpers/bookings.ts';
import { HIDDEN, expectedStarts, vevent, weekFeed } from './calendar-events.ts';

const WEEK = '&start=2030-01-08&end=2030-01-11&timezone=Europe/Berlin';

describe('busy time from an ICS feed on a loopback server', () => {
  let t: TestApp;
  let host: TestHost;
  let feed = { etag: '"v1"', body: '' };
  const requests: IncomingHttpHeaders[] = [];
  const server = createServer((request, response) => {
    requests.push(request.headers);
    if (request.headers['if-none-match'] === feed.etag) {
      response.writeHead(304).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'text/calendar', etag: feed.etag }).end(feed.body);
  });
  let url: string;
  let connectionId: string;
  let email: string;

  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/private/basic.ics`;
    t = await startTestApp({ clock: testClock() });
    const company = await t.newCompany('Feed');
    host = await newHost(t, company);
    email = (await t.handle.db.selectFrom('users').select('email').where('id', '=', host.userId).executeTakeFirstOrThrow()).email;
    feed = { etag: '"v1"', body: weekFeed(email).replace('PRODID:', 'X-WR-CALNAME:Outlook\r\nPRODID:') };
  });
  after(async () => {
    await t?.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const starts = async () => {
    const res = await host.api.get(`/v4/booking-availability?meetingTypeId=${host.meetingTypeId}${WEEK}`);
    assert.equal(res.statusCode, 200, res.body);
    return res.json().availableSlots.map((s: { start: string }) => s.start.slice(0, 16));
  };

  test('connecting a feed reads it at once; its events hide exactly the starts they cover', async () => {
    const res = await host.api.post('/v4/calendar-connections', { type: 'ics', url });
    assert.equal(res.statusCode, 201, res.body);
    connectionId = res.json().id;
    assert.equal(res.json().calendars.length, 1);
    assert.equal(res.json().calendars[0].name, 'Outlook');
    assert.equal(res.json().calendars[0].receivesAppointments, false);
    assert.deepEqual(await starts(), expectedStarts());
  });

  test('a refresh asks with If-None-Match; a changed feed replaces the busy time', async () => {
    const due = () => t.handle.db.updateTable('connected_calendars').set({ next_sync_at: new Date('2000-01-01T00:00:00Z') }).execute();
    await due();
    await t.services.calendarSync.runOnce();
    assert.equal(requests.at(-1)!['if-none-match'], '"v1"');
    assert.deepEqual(await starts(), expectedStarts());

    feed = { etag: '"v2"', body: weekFeed(email, vevent('new', ['DTSTART:20300111T080000Z', 'DTEND:20300111T083000Z'])) };
    await due();
    await t.services.calendarSync.runOnce();
    assert.deepEqual(await starts(), expectedStarts([...HIDDEN, '2030-01-11T09:00']));
  });

  test('a feed cannot receive appointments (400)', async () => {
    const list = (await host.api.get('/v4/calendar-connections/connections')).json();
    const calendarId = list[0].calendars[0].id;
    const res = await host.api.patch(`/v4/calendar-connections/${connectionId}`, { calendars: [{ id: calendarId, receivesAppointments: true }] });
    assert.equal(res.statusCode, 400, res.body);
    assert.match(res.json().message, /read-only/);
  });

  test('an address that serves no iCalendar is refused with 400', async () => {
    const saved = feed;
    feed = { etag: '"html"', body: '<html>login</html>' };
    try {
      const res = await host.api.post('/v4/calendar-connections', { type: 'ics', url: `${url}?other` });
      assert.equal(res.statusCode, 400, res.body);
      assert.match(res.json().message, /iCalendar/);
    } finally {
      feed = saved;
    }
  });
});
