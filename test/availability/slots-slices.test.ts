// Slot search in slices (what GET /v4/booking-availability runs) gives exactly the answer of the
// one-go computation, and lets other work run between its slices.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findSlots, findSlotsInSlices } from '../../src/availability/slots.ts';
import { engineHosts, engineQuery } from '../../bench/fixtures/slot-fixture.ts';

test('20 hosts with 200 appointments each: the sliced answer equals the one-go answer, for anyone, everyone and troubleshoot', async () => {
  const hosts = engineHosts(20);
  for (const query of [engineQuery, { ...engineQuery, method: 'everyone' as const }, { ...engineQuery, troubleshoot: true }]) {
    assert.deepEqual(await findSlotsInSlices(hosts, query, 0), findSlots(hosts, query));
  }
});

test('between slices the event loop runs other work', async () => {
  // A slice of 0 ms yields after every host: 20 hosts give other callbacks at least 20 turns.
  let turns = 0;
  const counting = setImmediate(function again() {
    turns++;
    if (turns < 1000) setImmediate(again);
  });
  await findSlotsInSlices(engineHosts(20), engineQuery, 0);
  clearImmediate(counting);
  assert.ok(turns >= 20, `other work ran ${turns} times during the search`);
});
