import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestApp, TestCompany } from '../helpers/app.ts';
import { type TestHost, startHostApp } from '../helpers/bookings.ts';
import { newSeriesHost, seriesBody } from '../helpers/series.ts';

let t: TestApp;
let other: TestCompany;
let host: TestHost;
let week = 0;

before(async () => ({ t, other, host } = await startHostApp(newSeriesHost)));
after(() => t.close());

/** A weekly series of 4 on its own hour, so the tests do not share slots. */
async function bookSeries(): Promise<{ seriesId: string; secret: string; appointmentIds: string[] }> {
  const hour = String(9 + week++).padStart(2, '0');
  const res = await host.api.post('/v4/booking', seriesBody(host, `2030-01-14T${hour}:00:00+01:00`, 'weekly', 4));
  assert.equal(res.statusCode, 201, res.body);
  return res.json();
}

const statuses = async (ids: string[]) => {
  const rows = await t.handle.db.selectFrom('appointments').select(['id', 'status']).where('id', 'in', ids).orderBy('start_at').execute();
  return rows.map((r) => r.status);
};
const cancelEvents = async (ids: string[]) =>
  (await t.handle.db.selectFrom('outbox_events').select('subject_id').where('type', '=', 'booking_cancelled').where('subject_id', 'in', ids).execute())
    .map((e) => ids.indexOf(e.subject_id!) + 1)
    .sort();

describe('cancelling a series', () => {
  test('without cancelEntireSeries only this occurrence is cancelled', async () => {
    const s = await bookSeries();
    const res = await host.api.post(`/v4/appointment/${s.appointmentIds[1]}/cancel`, { reason: 'ill' });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(await statuses(s.appointmentIds), ['active', 'cancelled', 'active', 'active']);
    assert.deepEqual(await cancelEvents(s.appointmentIds), [2]);
  });

  test('cancelEntireSeries: true cancels this and all later occurrences, one booking_cancelled each; earlier ones stay', async () => {
    const s = await bookSeries();
    const res = await host.api.post(`/v4/appointment/${s.appointmentIds[1]}/cancel`, { reason: 'moving away', cancelEntireSeries: true });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().status, 'cancelled');
    assert.deepEqual(await statuses(s.appointmentIds), ['active', 'cancelled', 'cancelled', 'cancelled']);
    assert.deepEqual(await cancelEvents(s.appointmentIds), [2, 3, 4]);
    const later = await host.api.get(`/v4/appointment/${s.appointmentIds[3]}`);
    assert.equal(later.json().cancel.reason, 'moving away');
    const again = await host.api.post(`/v4/appointment/${s.appointmentIds[1]}/cancel`, { cancelEntireSeries: true });
    assert.equal(again.statusCode, 200);
    assert.deepEqual(await cancelEvents(s.appointmentIds), [2, 3, 4], 'a repeat fires nothing');
  });

  test('DELETE /v4/appointment/{id} takes cancelEntireSeries too', async () => {
    const s = await bookSeries();
    const res = await host.api.delete(`/v4/appointment/${s.appointmentIds[2]}`, { cancelEntireSeries: true });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(await statuses(s.appointmentIds), ['active', 'active', 'cancelled', 'cancelled']);
  });

  test('another company cannot cancel the series: 404, nothing changes', async () => {
    const s = await bookSeries();
    const { client } = await import('../helpers/app.ts');
    const res = await client(t.app, other.apiKey).post(`/v4/appointment/${s.appointmentIds[0]}/cancel`, { cancelEntireSeries: true });
    assert.equal(res.statusCode, 404);
    assert.deepEqual(await statuses(s.appointmentIds), ['active', 'active', 'active', 'active']);
  });
});

describe('the series secret', () => {
  test('the first occurrence secret cancels any occurrence through the self-service route, with cancelEntireSeries', async () => {
    const s = await bookSeries();
    const one = await t.app.inject({ method: 'POST', url: `/booking/confirm/cancel/${s.appointmentIds[3]}/${s.secret}`, payload: {} });
    assert.equal(one.statusCode, 200, one.body);
    assert.deepEqual(await statuses(s.appointmentIds), ['active', 'active', 'active', 'cancelled']);
    const rest = await t.app.inject({
      method: 'POST',
      url: `/booking/confirm/cancel/${s.appointmentIds[1]}/${s.secret}`,
      payload: { cancellationReason: 'done', cancelEntireSeries: true },
    });
    assert.equal(rest.statusCode, 200, rest.body);
    assert.deepEqual(await statuses(s.appointmentIds), ['active', 'cancelled', 'cancelled', 'cancelled']);
    const wrong = await t.app.inject({ method: 'POST', url: `/booking/confirm/cancel/${s.appointmentIds[0]}/${'x'.repeat(43)}`, payload: {} });
    assert.equal(wrong.statusCode, 404);
  });

  test('rescheduling with the series secret moves only that occurrence, keeping the others and the secret', async () => {
    const s = await bookSeries();
    const before = await t.handle.db.selectFrom('appointments').select(['id', 'start_at']).where('id', 'in', s.appointmentIds).orderBy('start_at').execute();
    const res = await t.app.inject({
      method: 'POST',
      url: '/booking/confirm/reschedule/',
      payload: { appointmentId: s.appointmentIds[2], secret: s.secret, start: '2030-01-29T16:00:00+01:00' },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().secret, s.secret);
    const after = await t.handle.db.selectFrom('appointments').select(['id', 'start_at', 'series_position']).where('id', 'in', s.appointmentIds).execute();
    const byId = new Map(after.map((r) => [r.id, r]));
    for (const [i, row] of before.entries()) {
      const now = byId.get(row.id)!;
      if (i === 2) assert.equal(now.start_at.toISOString(), '2030-01-29T15:00:00.000Z');
      else assert.equal(now.start_at.toISOString(), row.start_at.toISOString());
      assert.equal(now.series_position, i + 1);
    }
  });
});
