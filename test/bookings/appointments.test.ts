import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type TestApp, type TestCompany, client, startTestApp } from '../helpers/app.ts';
import { type TestHost, bookingBody, newHost, parseIcs, slot, testClock, startHostApp } from '../helpers/bookings.ts';

let t: TestApp;
let acme: TestCompany;
let other: TestCompany;
let host: TestHost;
let second: TestHost;
const ids: string[] = [];

before(async () => {
  ({ t, acme, other, host } = await startHostApp());
  second = await newHost(t, acme);
  // Host: Tue 10:00, Tue 11:00, Wed 10:00 (cancelled later), Thu 10:00; second host: Tue 10:00.
  for (const start of [slot(1, '10:00'), slot(1, '11:00'), slot(2, '10:00'), slot(3, '10:00')]) {
    ids.push((await host.api.post('/v4/booking', bookingBody(host, start))).json().id);
  }
  ids.push((await second.api.post('/v4/booking', bookingBody(second, slot(1, '10:00')))).json().id);
  await host.api.post(`/v4/appointment/${ids[2]}/cancel`, { reason: 'gone' });
});
after(() => t.close());

describe('GET /v4/appointment/{id}', () => {
  test('answers the full shape of seed 001/002 with UTC times and an ICS that parses', async () => {
    const res = await host.api.get(`/v4/appointment/${ids[0]}`);
    assert.equal(res.statusCode, 200);
    const a = res.json();
    for (const key of ['id', 'start', 'end', 'isCancelled', 'meetingType', 'hosts', 'attendees', 'attendeeIds', 'hostIds', 'meetingInfo', 'hostingInfo', 'ics', 'cancel', 'rescheduledAt', 'note', 'scheduledReminderIds', 'companyId', 'createdAt', 'updatedAt']) {
      assert.ok(key in a, `has ${key}`);
    }
    assert.equal(typeof a.secret, 'string', 'seed 002: secret is a required appointment field');
    assert.equal(a.attendees[0].secret, a.secret);
    assert.equal(a.companySlug, a.hosts[0].slug, 'seed 000 builds the booking page link from companySlug…');
    assert.equal(a.meetingTypeSlug, a.meetingType.slug, '…and meetingTypeSlug');
    assert.ok(a.meetingTypeSlug.length > 0);
    assert.deepEqual(a.meetingType.meetingInfo, { name: 'Discovery Call', duration: 30 });
    assert.deepEqual(a.crmOptions, {});
    assert.deepEqual(a.roundRobinEntries, []);
    assert.match(a.start, /Z$/);
    assert.deepEqual({ ...a.meetingType, slug: undefined, meetingInfo: undefined }, { id: host.meetingTypeId, name: 'Discovery Call', duration: 30, slug: undefined, meetingInfo: undefined });
    assert.deepEqual(Object.keys(a.hosts[0]).sort(), ['email', 'familyName', 'fullName', 'givenName', 'id', 'slug']);
    assert.equal(a.attendees[0].noShow, false);
    assert.deepEqual(a.attendees[0].bringalongEmails, []);
    assert.equal(a.meetingInfo.duration, 30);
    assert.equal(a.hostingInfo.mainHost, host.userId);
    const ics = parseIcs(a.ics);
    assert.equal(ics.start, a.start);
    assert.equal(ics.startIsUtc, true);
    assert.equal(ics.organizer, a.hosts[0].email);
    assert.deepEqual(ics.attendees, ['jane@example.com']);
  });

  test("another company's id, an unknown id and a non-UUID are 404 in the one error shape", async () => {
    for (const [api, id] of [
      [client(t.app, other.apiKey), ids[0]],
      [host.api, '00000000-0000-4000-8000-000000000000'],
      [host.api, 'abc'],
    ] as const) {
      const res = await api.get(`/v4/appointment/${id}`);
      assert.equal(res.statusCode, 404);
      assert.deepEqual(Object.keys(res.json()).sort(), ['code', 'error', 'message', 'statusCode']);
    }
  });

  test('GET /v4/appointment/{id}/ics answers text/calendar', async () => {
    const res = await host.api.get(`/v4/appointment/${ids[0]}/ics`);
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/calendar/);
    assert.equal(parseIcs(res.body).method, 'REQUEST');
    assert.equal((await client(t.app, other.apiKey).get(`/v4/appointment/${ids[0]}/ics`)).statusCode, 404);
  });
});

describe('GET /v4/appointment/paginated', () => {
  test('lists the acting user’s appointments sorted by start; pageSize pages count from 0, both paths', async () => {
    for (const path of ['/v4/appointment/paginated', '/v4/appointment/paginated/']) {
      const res = await host.api.get(`${path}?page=0&pageSize=2`);
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json();
      assert.equal(body.total, 4);
      assert.equal(body.page, 0);
      assert.equal(body.pageSize, 2);
      assert.deepEqual(body.appointments.map((a: { id: string }) => a.id), [ids[0], ids[1]]);
    }
    const second = (await host.api.get('/v4/appointment/paginated?page=1&pageSize=2')).json();
    assert.equal(second.page, 1);
    assert.deepEqual(second.appointments.map((a: { id: string }) => a.id), [ids[2], ids[3]]);
  });

  test('limit pages count from 1 (seed 001), and page is echoed as sent', async () => {
    const first = (await host.api.get('/v4/appointment/paginated/?page=1&limit=2')).json();
    assert.equal(first.page, 1);
    assert.deepEqual(first.appointments.map((a: { id: string }) => a.id), [ids[0], ids[1]]);
    const page2 = (await host.api.get('/v4/appointment/paginated?page=2&limit=2')).json();
    assert.equal(page2.page, 2);
    assert.deepEqual(page2.appointments.map((a: { id: string }) => a.id), [ids[2], ids[3]]);
  });

  test('filters by userId, dates (end date inclusive), status and meetingTypeId (seed 000 query)', async () => {
    const company = client(t.app, acme.apiKey);
    const all = (await company.get('/v4/appointment/paginated?page=0&pageSize=100')).json();
    assert.equal(all.total, 5, 'without the user header: the whole company');
    const q = new URLSearchParams({ page: '0', pageSize: '100', userId: host.userId, startDate: '2030-01-08', endDate: '2030-01-09' });
    const ranged = (await company.get(`/v4/appointment/paginated?${q}`)).json();
    assert.deepEqual(ranged.appointments.map((a: { id: string }) => a.id), [ids[0], ids[1], ids[2]]);
    const cancelled = (await host.api.get('/v4/appointment/paginated?status=cancelled')).json();
    assert.deepEqual(cancelled.appointments.map((a: { id: string }) => a.id), [ids[2]]);
    const upcoming = (await host.api.get('/v4/appointment/paginated?status=upcoming')).json();
    assert.equal(upcoming.total, 3);
    const byType = (await company.get(`/v4/appointment/paginated?meetingTypeId=${second.meetingTypeId}`)).json();
    assert.deepEqual(byType.appointments.map((a: { id: string }) => a.id), [ids[4]]);
    const instants = (await host.api.get('/v4/appointment/paginated?start=2030-01-08T09:30:00Z&end=2030-01-08T10:00:00Z')).json();
    assert.deepEqual(instants.appointments.map((a: { id: string }) => a.id), [ids[1]], 'an end instant is inclusive');
  });

  test('bad paging and filters are 400; other companies see nothing of ours', async () => {
    for (const query of ['pageSize=101', 'limit=0', 'status=soon', 'startDate=tomorrow', 'userId=abc', 'timezone=Mars/Base']) {
      const res = await host.api.get(`/v4/appointment/paginated?${query}`);
      assert.equal(res.statusCode, 400, query);
    }
    const theirs = (await client(t.app, other.apiKey).get(`/v4/appointment/paginated?userId=${host.userId}`)).json();
    assert.equal(theirs.total, 0);
  });

  test('without page the first page is answered: page 0 with pageSize, page 1 with limit', async () => {
    const zero = (await host.api.get('/v4/appointment/paginated?pageSize=1')).json();
    assert.equal(zero.page, 0);
    assert.equal(zero.appointments[0].id, ids[0]);
    const one = (await host.api.get('/v4/appointment/paginated?limit=1')).json();
    assert.equal(one.page, 1);
    assert.equal(one.appointments[0].id, ids[0]);
  });
});

describe('GET /v4/appointment/today', () => {
  test('answers an array of today’s active appointments of the acting user in their zone', async () => {
    const clocked = await startTestApp({ clock: testClock(), handle: t.handle });
    try {
      const res = await client(clocked.app, acme.apiKey, host.userId).get('/v4/appointment/today');
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), [], 'nothing on Monday');
    } finally {
      await clocked.close();
    }
    const { fixedClock } = await import('../../src/lib/clock.ts');
    const tuesday = await startTestApp({ clock: fixedClock('2030-01-08T05:00:00Z'), handle: t.handle });
    try {
      const res = await client(tuesday.app, acme.apiKey, host.userId).get('/v4/appointment/today');
      assert.deepEqual(res.json().map((a: { id: string }) => a.id), [ids[0], ids[1]]);
    } finally {
      await tuesday.close();
    }
  });
});

describe('notes, guests, no-show', () => {
  test('PATCH …/notes takes notes (seed 000) or note (MCP) and replaces the host note', async () => {
    const first = await host.api.patch(`/v4/appointment/${ids[0]}/notes`, { notes: 'Needs accessibility accommodations' });
    assert.equal(first.statusCode, 200);
    assert.equal(first.json().note, 'Needs accessibility accommodations');
    const second = await host.api.patch(`/v4/appointment/${ids[0]}/notes`, { note: 'Replaced' });
    assert.equal(second.json().note, 'Replaced');
    assert.equal((await client(t.app, other.apiKey).patch(`/v4/appointment/${ids[0]}/notes`, { note: 'x' })).statusCode, 404);
  });

  test('guests: add several, add one, remove one; they appear in bringalongEmails and the ICS', async () => {
    const added = await host.api.patch(`/v4/appointment/${ids[1]}/guests`, { guestEmails: ['a@example.com', 'B@example.com'] });
    assert.equal(added.statusCode, 200, added.body);
    assert.deepEqual(added.json().attendees[0].bringalongEmails, ['a@example.com', 'b@example.com']);
    const attendeeId = added.json().attendeeIds[0];
    const one = await host.api.patch(`/v4/appointment/${ids[1]}/guest`, { email: 'c@example.com', attendeeId });
    assert.deepEqual(one.json().attendees[0].bringalongEmails, ['a@example.com', 'b@example.com', 'c@example.com']);
    const removed = await host.api.delete(`/v4/appointment/${ids[1]}/guest/${encodeURIComponent('b@example.com')}`);
    assert.equal(removed.statusCode, 200);
    assert.deepEqual(removed.json().attendees[0].bringalongEmails, ['a@example.com', 'c@example.com']);
    assert.deepEqual(parseIcs(removed.json().ics).attendees, ['jane@example.com', 'a@example.com', 'c@example.com']);
  });

  test('guests: invalid emails, too many, unknown guest, cancelled appointment and foreign ids are refused', async () => {
    assert.equal((await host.api.patch(`/v4/appointment/${ids[3]}/guests`, { guestEmails: ['nope'] })).statusCode, 400);
    const many = Array.from({ length: 11 }, (_, i) => `g${i}@example.com`);
    assert.equal((await host.api.patch(`/v4/appointment/${ids[3]}/guests`, { guestEmails: many })).statusCode, 400);
    assert.equal((await host.api.delete(`/v4/appointment/${ids[3]}/guest/nobody%40example.com`)).statusCode, 404);
    assert.equal((await host.api.patch(`/v4/appointment/${ids[2]}/guest`, { email: 'x@example.com' })).statusCode, 400);
    const unknownAttendee = await host.api.patch(`/v4/appointment/${ids[3]}/guest`, {
      email: 'x@example.com',
      attendeeId: '00000000-0000-4000-8000-000000000000',
    });
    assert.equal(unknownAttendee.statusCode, 404);
    assert.equal((await client(t.app, other.apiKey).patch(`/v4/appointment/${ids[3]}/guests`, { guestEmails: ['a@example.com'] })).statusCode, 404);
  });

  test('POST /v4/attendee/{id}/no-show marks the attendee, DELETE undoes it; foreign ids are 404', async () => {
    const attendeeId = (await host.api.get(`/v4/appointment/${ids[3]}`)).json().attendeeIds[0];
    const marked = await host.api.post(`/v4/attendee/${attendeeId}/no-show`);
    assert.equal(marked.statusCode, 200);
    assert.equal(marked.json().noShow, true);
    assert.equal((await host.api.get(`/v4/appointment/${ids[3]}`)).json().attendees[0].noShow, true);
    const undone = await host.api.delete(`/v4/attendee/${attendeeId}/no-show`);
    assert.equal(undone.json().noShow, false);
    assert.equal((await client(t.app, other.apiKey).post(`/v4/attendee/${attendeeId}/no-show`)).statusCode, 404);
    assert.equal((await host.api.post('/v4/attendee/abc/no-show')).statusCode, 404);
  });
});

describe('OpenAPI', () => {
  test('documents the booking and appointment routes', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    assert.equal(res.statusCode, 200);
    const paths = Object.keys(res.json().paths);
    for (const path of ['/v4/booking', '/v4/appointment/{id}', '/v4/appointment/{id}/cancel', '/v4/appointment/{id}/reschedule', '/booking/confirm/cancel/{id}/{secret}', '/v4/attendee/{id}/no-show']) {
      assert.ok(paths.includes(path), path);
    }
  });
});

describe('appointment presenter', () => {
  test('shows the reminder ids an injected listReminderIds reports, read on the executor it is given', async () => {
    const { createAppointmentPresenter } = await import('../../src/bookings/appointment.presenter.ts');
    const seen: string[][] = [];
    const presenter = createAppointmentPresenter({
      listReminderIds: async (_db, appointmentIds) => {
        seen.push(appointmentIds);
        return new Map([[ids[0]!, ['r-1', 'r-2']]]);
      },
    });
    const rows = await t.handle.db.selectFrom('appointments').selectAll().where('id', 'in', [ids[0]!, ids[1]!]).execute();
    const shown = await presenter.present(t.handle.db, rows);
    assert.deepEqual(seen, [rows.map((row) => row.id)], 'one call for the whole page');
    assert.deepEqual(shown.find((a) => a.id === ids[0])!.scheduledReminderIds, ['r-1', 'r-2']);
    assert.deepEqual(shown.find((a) => a.id === ids[1])!.scheduledReminderIds, []);
  });
});
