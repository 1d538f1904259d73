import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestApp } from '../helpers/app.ts';
import { type TestHost, bookingBody, startHostApp } from '../helpers/bookings.ts';
import { newSeriesHost, seriesBody } from '../helpers/series.ts';

let t: TestApp;
let host: TestHost;

before(async () => ({ t, host } = await startHostApp(newSeriesHost)));
after(() => t.close());

async function starts(date: string, series?: string): Promise<string[]> {
  const url = `/v4/booking-availability?meetingTypeId=${host.meetingTypeId}&start=${date}&end=${date}&timezone=Europe/Berlin${series ?? ''}`;
  const res = await host.api.get(url);
  assert.equal(res.statusCode, 200, res.body);
  return (res.json().availableSlots as { start: string }[]).map((s) => s.start.slice(11, 16));
}

describe('availability for a series', () => {
  test('a start is offered only when every weekly occurrence is free', async () => {
    const taken = await host.api.post('/v4/booking', bookingBody(host, '2030-01-22T10:00:00+01:00'));
    assert.equal(taken.statusCode, 201, taken.body);
    const plain = await starts('2030-01-15');
    assert.ok(plain.includes('10:00'));
    const series = await starts('2030-01-15', '&recurrenceFrequency=weekly&recurrenceCount=3');
    assert.ok(!series.includes('10:00'), 'the second occurrence (2030-01-22 10:00) is taken');
    assert.deepEqual(series, plain.filter((s) => s !== '10:00'));
    const biweekly = await starts('2030-01-15', '&recurrenceFrequency=biweekly&recurrenceCount=3');
    assert.ok(biweekly.includes('10:00'), 'every two weeks skips 2030-01-22');
  });

  test('occurrences are compared at the same Berlin wall time across the DST change', async () => {
    const taken = await host.api.post('/v4/booking', bookingBody(host, '2030-04-02T11:00:00+02:00'));
    assert.equal(taken.statusCode, 201, taken.body);
    const series = await starts('2030-03-19', '&recurrenceFrequency=weekly&recurrenceCount=3');
    assert.ok(!series.includes('11:00'), '2030-04-02 11:00 (summer time) is taken');
    assert.ok(series.includes('10:00') && series.includes('12:00'));
  });

  test('every start offered for a series books as that series', async () => {
    const offered = await starts('2030-01-16', '&recurrenceFrequency=weekly&recurrenceCount=8');
    assert.ok(offered.length > 0);
    for (const time of [offered[0]!, offered[offered.length - 1]!]) {
      const res = await host.api.post('/v4/booking', seriesBody(host, `2030-01-16T${time}:00+01:00`, 'weekly', 8));
      assert.equal(res.statusCode, 201, res.body);
    }
    const after = await starts('2030-01-16', '&recurrenceFrequency=weekly&recurrenceCount=8');
    assert.equal(after.length, offered.length - 2);
  });

  test('monthly from the 31st offers nothing; missing or bad parameters answer 400', async () => {
    assert.deepEqual(await starts('2030-01-31', '&recurrenceFrequency=monthly&recurrenceCount=3'), []);
    const half = await host.api.get(`/v4/booking-availability?meetingTypeId=${host.meetingTypeId}&start=2030-01-15&end=2030-01-15&recurrenceFrequency=weekly`);
    assert.equal(half.statusCode, 400);
    assert.equal(half.json().errors[0].field, 'recurrenceCount');
    const bad = await host.api.get(`/v4/booking-availability?meetingTypeId=${host.meetingTypeId}&start=2030-01-15&end=2030-01-15&recurrenceFrequency=daily&recurrenceCount=2`);
    assert.equal(bad.statusCode, 400);
  });
});
