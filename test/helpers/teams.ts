// Team meeting types for tests: hosts created through the API, a round-robin type created by the
// first of them (its queue comes with it) and the others added with the documented userId toggle.
import assert from 'node:assert/strict';
import type { TestApp, TestCompany, client } from './app.ts';
import { type TestHost, newHost } from './bookings.ts';

export interface TestTeam {
  queueId: string;
  meetingTypeId: string;
  members: TestHost[];
  api: ReturnType<typeof client>;
}

export async function newTeam(
  t: TestApp,
  company: TestCompany,
  size: number,
  settings: Record<string, unknown> = {},
  meetingType: Record<string, unknown> = {},
): Promise<TestTeam> {
  const members: TestHost[] = [];
  for (let i = 0; i < size; i++) members.push(await newHost(t, company));
  const api = members[0]!.api;
  const created = await api.post('/v4/meeting-type', {
    meetingInfo: { name: 'Team call', description: '', duration: 30, channel: 'google_meet' },
    queueType: 'simpleRoundRobin',
    ...meetingType,
  });
  assert.equal(created.statusCode, 201, created.body);
  const { id: meetingTypeId, queueId } = created.json() as { id: string; queueId: string };
  assert.ok(queueId);
  for (const member of members.slice(1)) {
    const res = await api.patch(`/v4/queue/meeting-type/${meetingTypeId}`, { userId: member.userId });
    assert.equal(res.statusCode, 200, res.body);
  }
  if (Object.keys(settings).length > 0) {
    const res = await api.patch(`/v4/queue/meeting-type/${meetingTypeId}`, settings);
    assert.equal(res.statusCode, 200, res.body);
  }
  return { queueId, meetingTypeId, members, api };
}
