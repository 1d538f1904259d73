import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestApp, client } from '../helpers/app.ts';
import { type TestHost, bookingBody, slot, startHostApp } from '../helpers/bookings.ts';

let t: TestApp;
let host: TestHost;
let appointmentId: string;

before(async () => {
  ({ t, host } = await startHostApp());
  const booked = await host.api.post('/v4/booking', bookingBody(host, slot(1, '10:00')));
  assert.equal(booked.statusCode, 201, booked.body);
  appointmentId = booked.json().appointmentId;
});
after(() => t.close());

test('PATCH …/transcription stores transcript and summary, shown on the appointment; omitted keeps, null clears', async () => {
  const url = `/v4/appointment/${appointmentId}/transcription`;
  const fresh = (await host.api.get(`/v4/appointment/${appointmentId}`)).json();
  assert.equal(fresh.transcription, null);
  assert.equal(fresh.summary, null);
  const both = await host.api.patch(url, { transcription: '**Jane:** hello', summary: '# Notes\n- next steps' });
  assert.equal(both.statusCode, 200, both.body);
  assert.equal(both.json().transcription, '**Jane:** hello');
  assert.equal(both.json().summary, '# Notes\n- next steps');
  const onlySummary = await host.api.patch(url, { summary: 'Short' });
  assert.equal(onlySummary.json().transcription, '**Jane:** hello', 'omitted keeps');
  assert.equal(onlySummary.json().summary, 'Short');
  const cleared = await host.api.patch(url, { transcription: null });
  assert.equal(cleared.json().transcription, null);
  const read = (await host.api.get(`/v4/appointment/${appointmentId}`)).json();
  assert.equal(read.transcription, null);
  assert.equal(read.summary, 'Short');
});

test("another company's appointment and an unknown id are 404; a non-string is 400", async () => {
  const globex = await t.newCompany('Globex');
  const url = `/v4/appointment/${appointmentId}/transcription`;
  assert.equal((await client(t.app, globex.apiKey).patch(url, { summary: 'x' })).statusCode, 404);
  assert.equal((await host.api.patch('/v4/appointment/00000000-0000-4000-8000-000000000000/transcription', { summary: 'x' })).statusCode, 404);
  assert.equal((await host.api.patch(url, { summary: 42 })).statusCode, 400);
  assert.equal((await host.api.get(`/v4/appointment/${appointmentId}`)).json().summary, 'Short', 'unchanged');
});
