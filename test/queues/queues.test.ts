// Queues over HTTP (spec §2.10) and booking with queueId (seed 001): the endpoints, their errors,
// and host selection as a client sees it in the appointments it gets.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type TestApp, type TestCompany, startTestApp } from '../helpers/app.ts';
import { newHost, slot, testClock } from '../helpers/bookings.ts';
import { newTeam, type TestTeam } from '../helpers/teams.ts';

let t: TestApp;
let acme: TestCompany;
let globex: TestCompany;

before(async () => {
  t = await startTestApp({ clock: testClock() });
  acme = await t.newCompany('Acme');
  globex = await t.newCompany('Globex');
});
after(() => t.close());

const attendee = { email: 'jane@example.com' };

async function book(team: TestTeam, start: string, extra: Record<string, unknown> = {}) {
  return team.api.post('/v4/booking', { meetingTypeId: team.meetingTypeId, start, queueId: team.queueId, attendee, ...extra });
}

async function appointment(team: TestTeam, id: string) {
  const res = await team.api.get(`/v4/appointment/${id}`);
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
}

describe('queue endpoints', () => {
  let team: TestTeam;
  before(async () => {
    team = await newTeam(t, acme, 3);
  });

  test('creating a team meeting type creates its queue with the creator as member; the others join by userId', async () => {
    const res = await team.api.get(`/v4/queue/${team.queueId}`);
    assert.equal(res.statusCode, 200);
    const queue = res.json();
    assert.equal(queue.meetingTypeId, team.meetingTypeId);
    assert.equal(queue.type, 'simpleRoundRobin');
    assert.deepEqual(new Set(queue.userIds), new Set(team.members.map((m) => m.userId)));
    assert.equal(queue.users[0].capacity, 1);
    assert.equal(queue.users[0].priority, null);
    const type = await team.api.get(`/v4/meeting-type/${team.meetingTypeId}`);
    assert.equal(type.json().queueId, team.queueId);
  });

  test('PATCH sets capacities, priorities, links and the documented settings; userId toggles a member out and in', async () => {
    const [a, b, c] = team.members;
    const res = await team.api.patch(`/v4/queue/meeting-type/${team.meetingTypeId}`, {
      userCapacities: [{ userId: a!.userId, capacity: 3 }],
      userPriorities: [{ userId: b!.userId, priority: 2 }],
      userCustomLinks: [{ userId: c!.userId, link: 'https://meet.example.com/c' }],
      type: 'equalDistribution',
      maxLeadThreshold: 2,
      distributionPeriod: 'week',
      prioritizeNearTermAvailability: true,
    });
    assert.equal(res.statusCode, 200, res.body);
    const queue = res.json();
    const user = (id: string) => queue.users.find((u: { userId: string }) => u.userId === id);
    assert.equal(user(a!.userId).capacity, 3);
    assert.equal(user(b!.userId).priority, 2);
    assert.equal(user(c!.userId).customLink, 'https://meet.example.com/c');
    assert.equal(user(c!.userId).user.id, c!.userId);
    assert.deepEqual(
      [queue.type, queue.maxLeadThreshold, queue.distributionPeriod, queue.prioritizeNearTermAvailability],
      ['equalDistribution', 2, 'week', true],
    );
    const out = await team.api.patch(`/v4/queue/meeting-type/${team.meetingTypeId}`, { userId: c!.userId });
    assert.ok(!out.json().userIds.includes(c!.userId));
    const back = await team.api.patch(`/v4/queue/meeting-type/${team.meetingTypeId}`, { userId: c!.userId });
    assert.ok(back.json().userIds.includes(c!.userId));
    await team.api.patch(`/v4/queue/meeting-type/${team.meetingTypeId}`, { type: 'simpleRoundRobin', userPriorities: [{ userId: b!.userId, priority: null }] });
  });

  test('GET /v4/queue/workspace/{companyId} lists the company’s queues; another workspace is 404', async () => {
    const res = await team.api.get(`/v4/queue/workspace/${acme.companyId}`);
    assert.equal(res.statusCode, 200);
    assert.ok(res.json().some((q: { id: string }) => q.id === team.queueId));
    assert.equal((await team.api.get('/v4/queue/workspace/default')).statusCode, 200);
    assert.equal((await team.api.get(`/v4/queue/workspace/${globex.companyId}`)).statusCode, 404);
  });

  test('GET /v4/queue/{id}/next lists every member in booking order with the deciding rule', async () => {
    const res = await team.api.get(`/v4/queue/${team.queueId}/next`);
    assert.equal(res.statusCode, 200);
    const { nextHosts } = res.json();
    assert.equal(nextHosts.length, 3);
    const ids = team.members.map((m) => m.userId).sort();
    assert.deepEqual(nextHosts.map((h: { userId: string }) => h.userId), ids);
    assert.equal(nextHosts[0].selectionReason, 'tieBreak');
  });

  test('unknown, malformed and another company’s queue answer 404; a member from another company is 400', async () => {
    const outsider = await newHost(t, globex);
    const other = await newTeam(t, globex, 1);
    assert.equal((await team.api.get('/v4/queue/00000000-0000-4000-8000-000000000000')).statusCode, 404);
    assert.equal((await team.api.get('/v4/queue/not-a-uuid')).statusCode, 404);
    assert.equal((await team.api.get(`/v4/queue/${other.queueId}`)).statusCode, 404);
    assert.equal((await team.api.get(`/v4/queue/${other.queueId}/next`)).statusCode, 404);
    assert.equal((await team.api.patch(`/v4/queue/meeting-type/${other.meetingTypeId}`, { type: 'equalDistribution' })).statusCode, 404);
    const foreign = await team.api.patch(`/v4/queue/meeting-type/${team.meetingTypeId}`, { userId: outsider.userId });
    assert.equal(foreign.statusCode, 400);
    assert.match(foreign.json().message, /not a user of this company/);
    const notMember = await team.api.patch(`/v4/queue/meeting-type/${team.meetingTypeId}`, { userCapacities: [{ userId: outsider.userId, capacity: 2 }] });
    assert.equal(notMember.statusCode, 400);
    const bad = await team.api.patch(`/v4/queue/meeting-type/${team.meetingTypeId}`, { type: 'lottery' });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().code, 'validation_failed');
  });

  test('user groups: create, toggle members, main host; errors for unknown groups, foreign users and a main host outside the group', async () => {
    const [a, b] = team.members;
    const created = await team.api.post('/v4/queue-user-group', { queueId: team.queueId, name: 'Pair' });
    assert.equal(created.statusCode, 201, created.body);
    const group = created.json();
    assert.deepEqual([group.name, group.capacity, group.queueId, group.userIds, group.mainGroupHostId], ['Pair', 1, team.queueId, [], null]);
    for (const member of [a!, b!]) assert.equal((await team.api.patch(`/v4/queue-user-group/${group.id}`, { userId: member.userId })).statusCode, 200);
    const main = await team.api.patch(`/v4/queue-user-group/${group.id}`, { mainGroupHostId: b!.userId, capacity: 2, name: 'Duo' });
    assert.equal(main.statusCode, 200, main.body);
    assert.deepEqual([main.json().mainGroupHost.id, main.json().capacity, main.json().name, main.json().users.length], [b!.userId, 2, 'Duo', 2]);
    const queue = (await team.api.get(`/v4/queue/${team.queueId}`)).json();
    assert.equal(queue.userGroups[0].id, group.id);
    const outsider = await newHost(t, globex);
    assert.equal((await team.api.patch(`/v4/queue-user-group/${group.id}`, { userId: outsider.userId })).statusCode, 400);
    assert.equal((await team.api.patch(`/v4/queue-user-group/${group.id}`, { mainGroupHostId: team.members[2]!.userId })).statusCode, 400);
    assert.equal((await team.api.patch('/v4/queue-user-group/00000000-0000-4000-8000-000000000000', { name: 'x' })).statusCode, 404);
    assert.equal((await team.api.post('/v4/queue-user-group', { queueId: '00000000-0000-4000-8000-000000000000', name: 'x' })).statusCode, 404);
    const globexApi = (await newTeam(t, globex, 1)).api;
    assert.equal((await globexApi.patch(`/v4/queue-user-group/${group.id}`, { name: 'mine' })).statusCode, 404);
    // Toggling b out clears the main host; the group leaves the team's candidates again when empty.
    const out = await team.api.patch(`/v4/queue-user-group/${group.id}`, { userId: b!.userId });
    assert.equal(out.json().mainGroupHostId, null);
    await team.api.patch(`/v4/queue-user-group/${group.id}`, { userId: a!.userId });
  });
});

describe('booking with queueId', () => {
  test('seed 001: { meetingTypeId, start, queueId, attendee } books one member and records why', async () => {
    const team = await newTeam(t, acme, 3);
    const res = await book(team, slot(1, '10:00'));
    assert.equal(res.statusCode, 201, res.body);
    const { appointmentId, secret } = res.json();
    assert.ok(appointmentId && secret);
    const a = await appointment(team, appointmentId);
    assert.equal(a.hostIds.length, 1);
    assert.ok(team.members.some((m) => m.userId === a.hostIds[0]));
    assert.equal(a.hostingInfo.mainHost, a.hostIds[0]);
    assert.equal(a.roundRobinEntries.length, 1);
    const entry = a.roundRobinEntries[0];
    assert.deepEqual([entry.userId, entry.groupId, entry.queueId, entry.appointmentId], [a.hostIds[0], null, team.queueId, appointmentId]);
    assert.equal(entry.selectionReason, 'tieBreak');
  });

  test('the meeting type alone books through its queue; turns rotate; a cancelled booking gives the turn back', async () => {
    const team = await newTeam(t, acme, 3);
    const hosts: string[] = [];
    for (const time of ['09:00', '10:00', '11:00']) {
      const res = await team.api.post('/v4/booking', { meetingTypeId: team.meetingTypeId, start: slot(2, time), attendee });
      assert.equal(res.statusCode, 201, res.body);
      hosts.push((await appointment(team, res.json().appointmentId)).hostIds[0]);
    }
    assert.equal(new Set(hosts).size, 3, 'each member got one turn');
    const first = await team.api.post('/v4/booking', { meetingTypeId: team.meetingTypeId, start: slot(2, '12:00'), attendee });
    const firstAppointment = await appointment(team, first.json().appointmentId);
    // The test clock stands still: all three were booked at the same instant, so the id decides.
    assert.equal(firstAppointment.roundRobinEntries[0].selectionReason, 'tieBreak');
    assert.equal(firstAppointment.hostIds[0], hosts[0]);
    const cancelled = await team.api.post(`/v4/appointment/${first.json().appointmentId}/cancel`, { reason: 'x' });
    assert.equal(cancelled.statusCode, 200);
    const again = await book(team, slot(2, '13:00'));
    assert.equal((await appointment(team, again.json().appointmentId)).hostIds[0], hosts[0], 'the cancelled turn came back');
  });

  test('one start: each member once, then "The selected time slot is no longer available"', async () => {
    const team = await newTeam(t, acme, 3);
    const hosts = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const res = await book(team, slot(3, '10:00'));
      assert.equal(res.statusCode, 201, res.body);
      hosts.add((await appointment(team, res.json().appointmentId)).hostIds[0]);
    }
    assert.equal(hosts.size, 3);
    const full = await book(team, slot(3, '10:00'));
    assert.equal(full.statusCode, 400);
    assert.equal(full.json().message, 'The selected time slot is no longer available');
  });

  test('priority first, then capacity-weighted counts; a member busy elsewhere is skipped', async () => {
    const team = await newTeam(t, acme, 2);
    const [a, b] = team.members;
    await team.api.patch(`/v4/queue/meeting-type/${team.meetingTypeId}`, { userPriorities: [{ userId: b!.userId, priority: 5 }] });
    const first = await book(team, slot(4, '09:00'));
    const got = await appointment(team, first.json().appointmentId);
    assert.deepEqual([got.hostIds[0], got.roundRobinEntries[0].selectionReason], [b!.userId, 'priority']);
    // b is busy at 11:00 with their own meeting type: the queue books a.
    const own = await b!.api.post('/v4/booking', { meetingTypeId: b!.meetingTypeId, start: slot(4, '11:00'), attendee });
    assert.equal(own.statusCode, 201);
    const second = await book(team, slot(4, '11:00'));
    assert.equal((await appointment(team, second.json().appointmentId)).hostIds[0], a!.userId);
  });

  test('hostIds with a queue pins hosts; a non-member is 400; another company’s queue is 404; unknown queue 404', async () => {
    const team = await newTeam(t, acme, 2);
    const [, b] = team.members;
    const pinned = await book(team, slot(8, '10:00'), { hostIds: [b!.userId] });
    assert.equal(pinned.statusCode, 201, pinned.body);
    const a = await appointment(team, pinned.json().appointmentId);
    assert.deepEqual([a.hostIds, a.roundRobinEntries[0].selectionReason], [[b!.userId], 'pinned']);
    const stranger = await newHost(t, acme);
    assert.equal((await book(team, slot(8, '11:00'), { hostIds: [stranger.userId] })).statusCode, 400);
    const other = await newTeam(t, globex, 1);
    assert.equal((await book(team, slot(8, '11:00'), { queueId: other.queueId })).statusCode, 404);
    const unknown = await book(team, slot(8, '11:00'), { queueId: 'q-1' });
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json().message, 'Queue not found');
  });

  test('collective: every member becomes a host, only when all are free', async () => {
    const team = await newTeam(t, acme, 3, { collective: true });
    const res = await book(team, slot(9, '10:00'));
    assert.equal(res.statusCode, 201, res.body);
    const a = await appointment(team, res.json().appointmentId);
    assert.equal(a.hostIds.length, 3);
    assert.equal(a.hosts.length, 3);
    assert.equal(a.roundRobinEntries[0].selectionReason, 'collective');
    const one = team.members[2]!;
    assert.equal((await one.api.post('/v4/booking', { meetingTypeId: one.meetingTypeId, start: slot(9, '12:00'), attendee })).statusCode, 201);
    assert.equal((await book(team, slot(9, '12:00'))).statusCode, 400);
  });

  test('a group next in line makes all its members hosts, the main group host first', async () => {
    const team = await newTeam(t, acme, 2);
    const [a, b] = team.members;
    const group = (await team.api.post('/v4/queue-user-group', { queueId: team.queueId, name: 'Pair' })).json();
    await team.api.patch(`/v4/queue-user-group/${group.id}`, { userId: a!.userId });
    await team.api.patch(`/v4/queue-user-group/${group.id}`, { userId: b!.userId });
    await team.api.patch(`/v4/queue-user-group/${group.id}`, { mainGroupHostId: b!.userId });
    // Only the group stays in the queue as a candidate.
    await team.api.patch(`/v4/queue/meeting-type/${team.meetingTypeId}`, { userId: a!.userId });
    await team.api.patch(`/v4/queue/meeting-type/${team.meetingTypeId}`, { userId: b!.userId });
    const res = await book(team, slot(10, '10:00'));
    assert.equal(res.statusCode, 201, res.body);
    const got = await appointment(team, res.json().appointmentId);
    assert.deepEqual(got.hostIds, [b!.userId, a!.userId]);
    assert.equal(got.hostingInfo.mainHost, b!.userId);
    assert.deepEqual([got.roundRobinEntries[0].groupId, got.roundRobinEntries[0].userId], [group.id, null]);
  });
});

describe('availability of a team type', () => {
  const day = (n: number) => slot(n, '00:00').slice(0, 10);
  async function slots(team: TestTeam, extra: Record<string, string> = {}) {
    const params = new URLSearchParams({ meetingTypeId: team.meetingTypeId, start: day(11), end: day(11), includeHosts: 'true', ...extra });
    const res = await team.api.get(`/v4/booking-availability?${params}`);
    assert.equal(res.statusCode, 200, res.body);
    return res.json().availableSlots as { start: string; hostIds: string[] }[];
  }
  const at = (list: { start: string; hostIds: string[] }[], time: string) => list.find((s) => s.start === slot(11, time));

  test('round robin offers a start while one member is free (union) and names who is free; collective needs all', async () => {
    const team = await newTeam(t, acme, 2);
    const [a, b] = team.members;
    assert.equal((await a!.api.post('/v4/booking', { meetingTypeId: a!.meetingTypeId, start: slot(11, '10:00'), attendee })).statusCode, 201);
    const union = await slots(team, { queueId: team.queueId });
    assert.deepEqual(at(union, '10:00')?.hostIds, [b!.userId]);
    assert.equal(at(union, '11:00')?.hostIds.length, 2);
    assert.equal(at(await slots(team, { queueId: team.queueId, hostIds: a!.userId }), '10:00'), undefined, 'hostIds narrows to a');
    await team.api.patch(`/v4/queue/meeting-type/${team.meetingTypeId}`, { collective: true });
    const all = await slots(team);
    assert.equal(at(all, '10:00'), undefined);
    assert.ok(at(all, '11:00'));
  });

  test('equal distribution hides a member who is maxLeadThreshold ahead; errors name the queue', async () => {
    const team = await newTeam(t, acme, 2, { type: 'equalDistribution', maxLeadThreshold: 1 });
    const first = await book(team, slot(14, '09:00'));
    assert.equal(first.statusCode, 201, first.body);
    const ahead = (await appointment(team, first.json().appointmentId)).hostIds[0];
    const list = await slots(team, { queueId: team.queueId });
    assert.ok(list.length > 0);
    assert.ok(list.every((s) => !s.hostIds.includes(ahead)), 'the member ahead is hidden');
    const other = await newTeam(t, acme, 1);
    const wrong = await team.api.get(`/v4/booking-availability?meetingTypeId=${team.meetingTypeId}&queueId=${other.queueId}&start=${day(11)}&end=${day(11)}`);
    assert.equal(wrong.statusCode, 400);
    const unknown = await team.api.get(`/v4/booking-availability?meetingTypeId=${team.meetingTypeId}&queueId=nope&start=${day(11)}&end=${day(11)}`);
    assert.equal(unknown.statusCode, 404);
  });
});

describe('rescheduling a round-robin appointment', () => {
  test('keeps the host when free; otherwise another member takes it with a new entry; ignoreAvailability keeps the host', async () => {
    const team = await newTeam(t, acme, 2);
    const res = await book(team, slot(15, '09:00'));
    assert.equal(res.statusCode, 201, res.body);
    const id = res.json().appointmentId;
    const host = (await appointment(team, id)).hostIds[0];
    const stays = await team.api.post(`/v4/appointment/${id}/reschedule`, { start: slot(15, '10:00') });
    assert.equal(stays.statusCode, 200, stays.body);
    assert.deepEqual(stays.json().appointment.hostIds, [host]);
    // The host is busy at 12:00 with their own meeting type: the other member takes the appointment.
    const busy = team.members.find((m) => m.userId === host)!;
    assert.equal((await busy.api.post('/v4/booking', { meetingTypeId: busy.meetingTypeId, start: slot(15, '12:00'), attendee })).statusCode, 201);
    const moved = await team.api.post(`/v4/appointment/${id}/reschedule`, { start: slot(15, '12:00') });
    assert.equal(moved.statusCode, 200, moved.body);
    const after = moved.json().appointment;
    assert.notEqual(after.hostIds[0], host);
    assert.equal(after.hostingInfo.mainHost, after.hostIds[0]);
    assert.equal(after.roundRobinEntries.length, 2);
    assert.equal(after.roundRobinEntries[1].userId, after.hostIds[0]);
    // Forced onto a busy time, the host stays (an overbooking, as for any appointment).
    const other = team.members.find((m) => m.userId !== host)!;
    assert.equal((await other.api.post('/v4/booking', { meetingTypeId: other.meetingTypeId, start: slot(15, '14:00'), attendee })).statusCode, 201);
    const forced = await team.api.post(`/v4/appointment/${id}/reschedule`, { start: slot(15, '14:00'), ignoreAvailability: true });
    assert.equal(forced.statusCode, 200, forced.body);
    assert.deepEqual(forced.json().appointment.hostIds, after.hostIds);
  });

  test('collective: a move needs every member free', async () => {
    const team = await newTeam(t, acme, 2, { collective: true });
    const id = (await book(team, slot(16, '09:00'))).json().appointmentId;
    const one = team.members[1]!;
    assert.equal((await one.api.post('/v4/booking', { meetingTypeId: one.meetingTypeId, start: slot(16, '11:00'), attendee })).statusCode, 201);
    const res = await team.api.post(`/v4/appointment/${id}/reschedule`, { start: slot(16, '11:00') });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().message, 'The selected time slot is no longer available');
  });
});

describe('what events say about a team booking', () => {
  test('booking_created names every host of a collective booking; hosts each get an email', async () => {
    const team = await newTeam(t, acme, 2, { collective: true });
    const res = await book(team, slot(17, '09:00'));
    assert.equal(res.statusCode, 201, res.body);
    const rows = await t.handle.db.selectFrom('outbox_events').selectAll().where('subject_id', '=', res.json().appointmentId).execute();
    const data = (rows[0]!.payload as { data: { hostIds: string[]; hosts: { id: string }[]; roundRobinEntries: unknown[] } }).data;
    assert.deepEqual(new Set(data.hostIds), new Set(team.members.map((m) => m.userId)));
    assert.equal(data.hosts.length, 2);
    assert.equal(data.roundRobinEntries.length, 1);
  });
});
