// A host (user) created through POST /v4/user, with their default availability and meeting type.
import assert from 'node:assert/strict';
import { type TestApp, type TestCompany, client } from './app.ts';

export interface TestHost {
  userId: string;
  meetingTypeId: string;
  availabilityId: string;
}

export async function newHost(t: TestApp, company: TestCompany, body: Record<string, unknown> = {}): Promise<TestHost> {
  const res = await client(t.app, company.apiKey).post('/v4/user', {
    email: `h${Math.random().toString(36).slice(2)}@example.com`,
    givenName: 'Host',
    familyName: 'Person',
    timezone: 'Europe/Berlin',
    ...body,
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as TestHost;
}
