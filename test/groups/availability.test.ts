import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestApp } from '../helpers/app.ts';
import { type TestHost, slot } from '../helpers/bookings.ts';
import { startGroupApp, takeSeat } from './helpers.ts';

let t: TestApp;
let host: TestHost;

before(async () => {
  ({ t, host } = await startGroupApp(2));
});
after(() => t.close());

interface SlotJson {
  start: string;
  totalSpots?: number;
  takenSpots?: number;
  spotsLeft?: number;
}
interface SpotJson {
  startTime: string;
  totalSpots?: number;
  takenSpots?: number;
  spotsLeft?: number;
  appointment?: { id: string; totalSpots: number; takenSpots: number };
}

async function tuesday(): Promise<{ slots: SlotJson[]; spots: SpotJson[] }> {
  const q = `meetingTypeId=${host.meetingTypeId}&start=2030-01-08&end=2030-01-08&timezone=Europe/Berlin`;
  const res = await host.api.get(`/v4/booking-availability?${q}`);
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json();
  return { slots: body.availableSlots, spots: body.dates.flatMap((d: { spots: SpotJson[] }) => d.spots) };
}

describe('availability of a group meeting type', () => {
  test('a session start stays offered while seats remain, with totalSpots/takenSpots/spotsLeft in both shapes; a full one disappears', async () => {
    const start = slot(1, '10:00');
    const before = await tuesday();
    const free = before.slots.find((s) => s.start === start);
    assert.deepEqual({ ...free }, { start, end: free!.start.replace('10:00', '10:30'), totalSpots: 2, takenSpots: 0, spotsLeft: 2 });

    const first = await takeSeat(host, start, 'ann@example.com');
    const half = await tuesday();
    const slotted = half.slots.find((s) => s.start === start);
    assert.equal(slotted?.takenSpots, 1);
    assert.equal(slotted?.spotsLeft, 1);
    assert.equal(slotted?.totalSpots, 2);
    const spot = half.spots.find((s) => s.startTime === start);
    assert.deepEqual(spot?.appointment, { id: first.appointmentId, totalSpots: 2, takenSpots: 1 });
    assert.equal(spot?.spotsLeft, 1);
    assert.equal(half.slots.filter((s) => s.start === start).length, 1, 'the session start is listed once');
    assert.equal(half.slots.find((s) => s.start === slot(1, '11:00'))?.takenSpots, 0, 'other starts are new sessions');

    await takeSeat(host, start, 'bob@example.com');
    const full = await tuesday();
    assert.equal(full.slots.find((s) => s.start === start), undefined);
    assert.equal(full.spots.find((s) => s.startTime === start), undefined);

    const left = await host.api.post(`/v4/appointment/${first.appointmentId}/cancel`, { attendeeId: first.attendeeId });
    assert.equal(left.statusCode, 200);
    assert.equal((await tuesday()).slots.find((s) => s.start === start)?.spotsLeft, 1, 'a freed seat is offered again at once');
  });
});
