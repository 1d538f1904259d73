// Round-robin fairness with held bookings (host approval / double opt-in): a live hold holds its
// host's turn as a booking does, so pending holds spread over the members; a declined hold, or
// one past its expiry (even before the expiry worker ran), gives the turn back.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fixedClock } from '../../src/lib/clock.ts';
import { type TestApp, type TestCompany, startTestApp } from '../helpers/app.ts';
import { NOW, slot } from '../helpers/bookings.ts';
import { newTeam, type TestTeam } from '../helpers/teams.ts';

const clock = fixedClock(NOW);
let t: TestApp;
let acme: TestCompany;
let n = 0;

before(async () => {
  t = await startTestApp({ clock });
  acme = await t.newCompany('Acme');
});
after(() => t.close());

/** Books through the queue; the answer is a hold: its id and the member it holds. */
async function hold(team: TestTeam, start: string): Promise<{ id: string; host: string }> {
  const res = await team.api.post('/v4/booking', { meetingTypeId: team.meetingTypeId, queueId: team.queueId, start, attendee: { email: `held${++n}@example.com` } });
  assert.equal(res.statusCode, 201, res.body);
  const id = res.json().provisionalBookingId as string;
  assert.ok(id, res.body);
  const list = await team.api.get('/v4/provisional-booking/paginated?all=true&pageSize=100');
  const item = list.json().provisionalBookings.find((p: { id: string }) => p.id === id);
  return { id, host: item.hosts[0].id };
}

/** What the queue counts per member (GET /v4/queue/{id}/next), in member order. */
async function counted(team: TestTeam): Promise<number[]> {
  const res = await team.api.get(`/v4/queue/${team.queueId}/next`);
  assert.equal(res.statusCode, 200, res.body);
  const next = res.json().nextHosts as { userId: string; bookings: number }[];
  return team.members.map((m) => next.find((h) => h.userId === m.userId)!.bookings);
}

describe('round robin with held bookings', () => {
  test('pending holds count toward a turn; a declined hold and an expired one give it back', async () => {
    const team = await newTeam(t, acme, 2, {}, { meetingOptions: { requireHostConfirmation: 'enabled' } });
    const [x, y] = team.members.map((m) => m.userId);

    // Four holds at distinct starts: two per member, not all four with the first in id order.
    const holds: { id: string; host: string }[] = [];
    for (const time of ['09:00', '10:00', '11:00', '12:00']) holds.push(await hold(team, slot(1, time)));
    const per = (who: string) => holds.filter((h) => h.host === who);
    assert.deepEqual([per(x!).length, per(y!).length], [2, 2], `hosts: ${holds.map((h) => h.host).join(', ')}`);
    assert.deepEqual(await counted(team), [2, 2]);

    // Declined: that member's turn comes back and the next hold is theirs.
    const [first, second] = per(x!);
    assert.equal((await team.api.post(`/v4/provisional-booking/${first!.id}/decline`, { reason: 'no' })).statusCode, 200);
    assert.deepEqual(await counted(team), [1, 2]);
    const again = await hold(team, slot(1, '13:00'));
    assert.equal(again.host, x);

    // x: one approved (a booking) and the rest declined; y: two pending holds.
    assert.equal((await team.api.post(`/v4/provisional-booking/${second!.id}/confirm`)).statusCode, 200);
    assert.equal((await team.api.post(`/v4/provisional-booking/${again.id}/decline`, {})).statusCode, 200);
    assert.deepEqual(await counted(team), [1, 2]);

    // Past the holds' expiry (host approval: 1440 minutes) they no longer count, though the expiry
    // worker has not run: y has none left, x keeps the approved booking.
    clock.advance(1440 * 60_000 + 1000);
    try {
      assert.deepEqual(await counted(team), [1, 0]);
      assert.equal((await hold(team, slot(3, '09:00'))).host, y);
    } finally {
      clock.set(NOW);
    }
  });
});
