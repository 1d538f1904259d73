import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestApp, TestCompany } from '../helpers/app.ts';
import { type TestHost, bookingBody, parseIcs, startHostApp } from '../helpers/bookings.ts';
import { berlinTime, newSeriesHost, seriesBody } from '../helpers/series.ts';

let t: TestApp;
let acme: TestCompany;
let host: TestHost;

before(async () => ({ t, acme, host } = await startHostApp(newSeriesHost)));
after(() => t.close());

const countAppointments = async () =>
  Number((await t.handle.db.selectFrom('appointments').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

const listSeries = async (seriesId: string) => {
  const res = await host.api.get(`/v4/appointment/paginated?seriesId=${seriesId}&pageSize=100&sortBy=appointment.start`);
  assert.equal(res.statusCode, 200, res.body);
  return res.json().appointments as { id: string; start: string; status: string; seriesId: string; seriesPosition: number; ics: string }[];
};

describe('booking a recurring series', () => {
  test('a 12-session weekly series across the spring DST change is 12 appointments at 10:00 Berlin time', async () => {
    const res = await host.api.post('/v4/booking', seriesBody(host, '2030-01-15T10:00:00+01:00', 'weekly', 12));
    assert.equal(res.statusCode, 201, res.body);
    const body = res.json();
    assert.equal(body.appointmentIds.length, 12);
    assert.equal(body.appointmentId, body.appointmentIds[0]);
    assert.equal(typeof body.seriesId, 'string');
    assert.equal(typeof body.secret, 'string');
    const sessions = await listSeries(body.seriesId);
    assert.deepEqual(sessions.map((s) => s.id), body.appointmentIds);
    assert.deepEqual(sessions.map((s) => s.seriesPosition), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    assert.ok(sessions.every((s) => berlinTime(s.start) === '10:00' && s.seriesId === body.seriesId));
    // Berlin moves to summer time on 2030-03-31: the UTC hour moves, the wall time stays.
    assert.equal(sessions[10]!.start, '2030-03-26T09:00:00.000Z');
    assert.equal(sessions[11]!.start, '2030-04-02T08:00:00.000Z');
    const uids = new Set(sessions.map((s) => parseIcs(s.ics).uid));
    assert.equal(uids.size, 12, 'each occurrence has its own ICS UID');
    assert.ok(sessions[3]!.ics.includes(`RELATED-TO:${body.seriesId}@termin`));
    assert.match(sessions[3]!.ics.replace(/\r\n /g, ''), /Session 4 of recurring series/);
    const created = await t.handle.db
      .selectFrom('outbox_events')
      .select('subject_id')
      .where('type', '=', 'booking_created')
      .where('subject_id', 'in', body.appointmentIds)
      .execute();
    assert.equal(created.length, 12, 'one booking_created per occurrence');
    const one = await host.api.get(`/v4/appointment/${body.appointmentIds[5]}`);
    assert.equal(one.json().seriesId, body.seriesId);
    assert.equal(one.json().seriesPosition, 6);
  });

  test('when some occurrences are taken, nothing is booked and the 400 names the dates in message and errors[]', async () => {
    // Wednesdays at 11:00; the 3rd and the 5th are taken by single bookings.
    for (const start of ['2030-01-23T11:00:00+01:00', '2030-02-06T11:00:00+01:00']) {
      const single = await host.api.post('/v4/booking', bookingBody(host, start, { attendee: { email: 'other@example.com' } }));
      assert.equal(single.statusCode, 201, single.body);
    }
    const before = await countAppointments();
    const res = await host.api.post('/v4/booking', seriesBody(host, '2030-01-09T11:00:00+01:00', 'weekly', 6));
    assert.equal(res.statusCode, 400, res.body);
    const body = res.json();
    assert.equal(body.code, 'slot_unavailable');
    assert.match(body.message, /2030-01-23/);
    assert.match(body.message, /2030-02-06/);
    assert.deepEqual(body.errors.map((e: { field: string }) => e.field), ['recurrence[3]', 'recurrence[5]']);
    assert.match(body.errors[0].message, /2030-01-23/);
    assert.deepEqual(body.failedDates, ['2030-01-23', '2030-02-06']);
    assert.equal(await countAppointments(), before, 'all or nothing');
  });

  test('an Idempotency-Key replays the series answer and books nothing more', async () => {
    const body = seriesBody(host, '2030-01-18T16:00:00+01:00', 'biweekly', 3);
    const headers = { 'idempotency-key': 'series-key-1' };
    const first = await host.api.post('/v4/booking', body, headers);
    assert.equal(first.statusCode, 201, first.body);
    const count = await countAppointments();
    const again = await host.api.post('/v4/booking', body, headers);
    assert.equal(again.statusCode, 201, again.body);
    assert.deepEqual(again.json(), first.json());
    assert.equal(await countAppointments(), count);
  });

  test('minimum notice and the booking window apply to every occurrence', async () => {
    const patched = await host.api.patch(`/v4/meeting-type/${host.meetingTypeId}`, { daysIntoFuture: { mode: 'limit', bookingLimit: 30 * 24 * 60 } });
    assert.equal(patched.statusCode, 200, patched.body);
    try {
      const res = await host.api.post('/v4/booking', seriesBody(host, '2030-01-10T14:00:00+01:00', 'weekly', 6));
      assert.equal(res.statusCode, 400, res.body);
      assert.deepEqual(res.json().failedDates, ['2030-02-07', '2030-02-14'], 'the sessions beyond 30 days');
    } finally {
      await host.api.patch(`/v4/meeting-type/${host.meetingTypeId}`, { daysIntoFuture: { mode: 'limit', bookingLimit: 5 * 365 * 24 * 60 } });
    }
  });

  test('monthly on the 31st is refused with a clear message instead of moving the day', async () => {
    const before = await countAppointments();
    const res = await host.api.post('/v4/booking', seriesBody(host, '2030-01-31T10:00:00+01:00', 'monthly', 4));
    assert.equal(res.statusCode, 400, res.body);
    assert.equal(res.json().code, 'validation_failed');
    assert.match(res.json().message, /2030-02-31, 2030-04-31 do not exist/);
    assert.equal(await countAppointments(), before);
  });

  test('monthly keeps the day of the month and the wall-clock time; a weekend session is named, not moved', async () => {
    const sunday = await host.api.post('/v4/booking', seriesBody(host, '2030-01-17T15:00:00+01:00', 'monthly', 4));
    assert.equal(sunday.statusCode, 400, sunday.body);
    assert.deepEqual(sunday.json().failedDates, ['2030-02-17', '2030-03-17'], 'the host does not work on Sundays');
    const res = await host.api.post('/v4/booking', seriesBody(host, '2030-01-15T15:00:00+01:00', 'monthly', 4));
    assert.equal(res.statusCode, 201, res.body);
    const sessions = await listSeries(res.json().seriesId);
    assert.deepEqual(
      sessions.map((s) => s.start),
      ['2030-01-15T14:00:00.000Z', '2030-02-15T14:00:00.000Z', '2030-03-15T14:00:00.000Z', '2030-04-15T13:00:00.000Z'],
    );
  });

  test('a meeting type without meetingOptions.recurring, a frequency not offered, or too many sessions: 400', async () => {
    const plain = await (await import('../helpers/bookings.ts')).newHost(t, acme);
    const off = await plain.api.post('/v4/booking', seriesBody(plain, '2030-01-15T10:00:00+01:00', 'weekly', 2));
    assert.equal(off.statusCode, 400);
    assert.match(off.json().message, /meetingOptions.recurring/);
    const weeklyOnly = await newSeriesHost(t, acme, { frequencies: ['weekly'], maxSessions: 4 });
    const monthly = await weeklyOnly.api.post('/v4/booking', seriesBody(weeklyOnly, '2030-01-15T10:00:00+01:00', 'monthly', 2));
    assert.equal(monthly.statusCode, 400);
    assert.equal(monthly.json().errors[0].field, 'recurrence.frequency');
    const many = await weeklyOnly.api.post('/v4/booking', seriesBody(weeklyOnly, '2030-01-15T10:00:00+01:00', 'weekly', 5));
    assert.equal(many.statusCode, 400);
    assert.match(many.json().message, /from 1 to 4/);
    const over = await weeklyOnly.api.post('/v4/booking', seriesBody(weeklyOnly, '2030-01-15T10:00:00+01:00', 'weekly', 53));
    assert.equal(over.statusCode, 400);
  });

  test('meetingOptions.recurring is refused on a team meeting type (queue), at creation and by PATCH', async () => {
    const info = { name: 'Team intro', description: '', duration: 30, channel: 'phone' };
    const recurring = { enabled: true, frequencies: ['weekly'], maxSessions: 4 };
    const created = await host.api.post('/v4/meeting-type', { meetingInfo: info, queueType: 'simpleRoundRobin', meetingOptions: { recurring } });
    assert.equal(created.statusCode, 400, created.body);
    assert.match(created.json().message, /team meeting type with a queue/);
    const team = await host.api.post('/v4/meeting-type', { meetingInfo: info, queueType: 'simpleRoundRobin' });
    assert.equal(team.statusCode, 201, team.body);
    const patched = await host.api.patch(`/v4/meeting-type/${team.json().id}`, { meetingOptions: { recurring } });
    assert.equal(patched.statusCode, 400, patched.body);
    assert.match(patched.json().message, /team meeting type with a queue/);
  });

  test('meetingOptions.recurring is refused together with group spots', async () => {
    const res = await host.api.patch(`/v4/meeting-type/${host.meetingTypeId}`, { spots: 3 });
    assert.equal(res.statusCode, 400, res.body);
    assert.match(res.json().message, /more than one spot/);
  });
});
