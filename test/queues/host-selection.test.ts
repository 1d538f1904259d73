// Host selection, rule by rule: each table row reads "given these candidates, this one is booked
// first, and this rule decided".
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type Candidate, freeCandidates, periodStart, rankCandidates, withinLeadThreshold } from '../../src/queues/host-selection.ts';

const c = (id: string, over: Partial<Candidate> = {}): Candidate => ({
  id,
  groupId: null,
  userIds: [id],
  priority: null,
  capacity: 1,
  bookings: 0,
  lastBookedAt: null,
  ...over,
});

describe('rankCandidates', () => {
  const cases: { rule: string; candidates: Candidate[]; first: string; reason: string }[] = [
    { rule: 'one candidate', candidates: [c('a')], first: 'a', reason: 'onlyCandidate' },
    { rule: 'higher priority first', candidates: [c('a', { priority: 1 }), c('b', { priority: 5 })], first: 'b', reason: 'priority' },
    { rule: 'any priority before none', candidates: [c('a'), c('b', { priority: 0 })], first: 'b', reason: 'priority' },
    { rule: 'priority beats fewer bookings', candidates: [c('a', { bookings: 0 }), c('b', { priority: 2, bookings: 9 })], first: 'b', reason: 'priority' },
    { rule: 'same priority: fewest bookings', candidates: [c('a', { bookings: 3 }), c('b', { bookings: 1 })], first: 'b', reason: 'fewestBookings' },
    {
      rule: 'bookings weighted by capacity (4/2 < 3/1)',
      candidates: [c('a', { bookings: 3, capacity: 1 }), c('b', { bookings: 4, capacity: 2 })],
      first: 'b',
      reason: 'fewestBookings',
    },
    {
      rule: 'equal load: never booked before booked',
      candidates: [c('a', { bookings: 1, lastBookedAt: 1000 }), c('b', { bookings: 1, capacity: 1, lastBookedAt: null })],
      first: 'b',
      reason: 'longestSinceLastBooked',
    },
    {
      rule: 'equal load: the oldest last booking first',
      candidates: [c('a', { bookings: 2, lastBookedAt: 5000 }), c('b', { bookings: 2, lastBookedAt: 4000 })],
      first: 'b',
      reason: 'longestSinceLastBooked',
    },
    { rule: 'all equal: the id decides', candidates: [c('b'), c('a')], first: 'a', reason: 'tieBreak' },
  ];
  for (const row of cases) {
    test(`${row.rule} → ${row.first} (${row.reason})`, () => {
      const ranked = rankCandidates(row.candidates);
      assert.equal(ranked[0]!.candidate.id, row.first);
      assert.equal(ranked[0]!.reason, row.reason);
    });
  }

  test('the order is the same whatever order the candidates come in', () => {
    const list = [c('d', { bookings: 1 }), c('a', { priority: 1 }), c('c', { bookings: 1, lastBookedAt: 1 }), c('b')];
    const expected = ['a', 'b', 'd', 'c'];
    for (const order of [list, [...list].reverse(), [list[2]!, list[0]!, list[3]!, list[1]!]]) {
      assert.deepEqual(rankCandidates(order).map((r) => r.candidate.id), expected);
    }
  });
});

describe('withinLeadThreshold and freeCandidates', () => {
  test('equal distribution hides members maxLeadThreshold bookings ahead of the least booked', () => {
    const list = [c('a', { bookings: 2 }), c('b', { bookings: 3 }), c('c', { bookings: 4 })];
    assert.deepEqual(withinLeadThreshold(list, 2).map((x) => x.id), ['a', 'b']);
    assert.deepEqual(withinLeadThreshold(list, 1).map((x) => x.id), ['a']);
    assert.deepEqual(withinLeadThreshold(list, null).map((x) => x.id), ['a', 'b', 'c']);
  });

  test('a group is free only when all its members are', () => {
    const group = c('g', { groupId: 'g', userIds: ['u1', 'u2'] });
    assert.deepEqual(freeCandidates([group, c('u3')], new Set(['u1', 'u3'])).map((x) => x.id), ['u3']);
    assert.deepEqual(freeCandidates([group], new Set(['u1', 'u2'])).map((x) => x.id), ['g']);
  });
});

describe('periodStart', () => {
  const now = new Date('2030-01-09T15:30:00Z'); // a Wednesday
  test('day, week (from Monday) and month, in UTC', () => {
    assert.equal(periodStart(now, 'day').toISOString(), '2030-01-09T00:00:00.000Z');
    assert.equal(periodStart(now, 'week').toISOString(), '2030-01-07T00:00:00.000Z');
    assert.equal(periodStart(now, 'month').toISOString(), '2030-01-01T00:00:00.000Z');
    assert.equal(periodStart(new Date('2030-01-13T23:00:00Z'), 'week').toISOString(), '2030-01-07T00:00:00.000Z');
  });
});
