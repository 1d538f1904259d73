import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestApp, startTestApp } from '../helpers/app.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

test('the OpenAPI document lists the availability, meeting-type and booking-availability routes', async () => {
  const res = await t.app.inject({ method: 'GET', url: '/openapi.json' });
  assert.equal(res.statusCode, 200, res.body.slice(0, 200));
  const paths = Object.keys(res.json().paths);
  for (const path of ['/v4/availability', '/v4/availability/{id}/exception', '/v4/meeting-type/{id}', '/v4/booking-availability']) {
    assert.ok(paths.includes(path), `${path} missing`);
  }
});
