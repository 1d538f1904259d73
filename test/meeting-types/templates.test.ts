import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestApp, type TestCompany, client, startTestApp } from '../helpers/app.ts';
import { type TestHost, newHost } from '../helpers/hosts.ts';

let t: TestApp;
let acme: TestCompany;
let host: TestHost;

before(async () => {
  t = await startTestApp();
  acme = await t.newCompany('Acme');
  host = await newHost(t, acme);
});
after(() => t.close());

const templateBody = {
  meetingInfo: { name: 'Consultation', description: 'A first talk', duration: 45, channel: 'phone', bufferAfter: 10 },
  meetingOptions: { allowAddingGuests: true },
  spots: 1,
  templateType: 'individual',
  queueType: 'simpleRoundRobin',
};

test('POST /v4/meeting-type-template/create stores a template the company can list and read', async () => {
  const api = client(t.app, acme.apiKey, host.userId);
  const created = await api.post('/v4/meeting-type-template/create', templateBody);
  assert.equal(created.statusCode, 201, created.body);
  const template = created.json();
  assert.equal(template.meetingInfo.name, 'Consultation');
  assert.equal(template.templateType, 'individual');
  assert.equal(template.queueType, 'simpleRoundRobin');
  assert.equal(template.createdBy, host.userId);
  assert.ok((await api.get('/v4/meeting-type-template')).json().some((x: { id: string }) => x.id === template.id));
  assert.equal((await api.get(`/v4/meeting-type-template/${template.id}`)).json().meetingInfo.duration, 45);
  const globex = await t.newCompany('Globex');
  assert.equal((await client(t.app, globex.apiKey).get(`/v4/meeting-type-template/${template.id}`)).statusCode, 404);
  const bad = await api.post('/v4/meeting-type-template/create', { meetingInfo: { name: 'No duration' } });
  assert.equal(bad.statusCode, 400);
});

test('a meeting type created from a template takes its settings; the request overrides them', async () => {
  const api = client(t.app, acme.apiKey, host.userId);
  const template = (await api.post('/v4/meeting-type-template/create', templateBody)).json();
  const plain = await api.post(`/v4/meeting-type-template/${template.id}/meeting-type`);
  assert.equal(plain.statusCode, 201, plain.body);
  assert.equal(plain.json().meetingInfo.name, 'Consultation');
  assert.equal(plain.json().meetingInfo.duration, 45);
  assert.equal(plain.json().meetingInfo.bufferAfter, 10);
  assert.equal(plain.json().meetingOptions.allowAddingGuests, true);
  const custom = await api.post(`/v4/meeting-type-template/${template.id}/meeting-type`, {
    slug: 'vip-consultation',
    meetingInfo: { name: 'VIP consultation', duration: 60 },
  });
  assert.equal(custom.statusCode, 201, custom.body);
  assert.equal(custom.json().slug, 'vip-consultation');
  assert.equal(custom.json().meetingInfo.name, 'VIP consultation');
  assert.equal(custom.json().meetingInfo.duration, 60);
  assert.equal(custom.json().meetingInfo.bufferAfter, 10, 'unsent fields keep the template');
  const listed = (await api.get('/v4/meeting-type')).json().map((x: { id: string }) => x.id);
  assert.ok(listed.includes(plain.json().id) && listed.includes(custom.json().id));
  const slots = await client(t.app, acme.apiKey).get(
    `/v4/booking-availability?meetingTypeId=${custom.json().id}&start=2031-03-03&end=2031-03-03`,
  );
  assert.equal(slots.statusCode, 200, slots.body);
  const unknown = await api.post('/v4/meeting-type-template/00000000-0000-4000-8000-000000000000/meeting-type');
  assert.equal(unknown.statusCode, 404);
  assert.equal(unknown.json().message, 'Meeting type template not found');
});
