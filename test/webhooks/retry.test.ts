import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { parseRetryAfter, retryDelayMs } from '../../src/webhooks/retry.ts';

const schedule = [5_000, 300_000, 1_800_000];

describe('retryDelayMs', () => {
  test('follows the schedule within ±20 % jitter and ends after the last entry', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (attemptsMade, random) => {
        const delay = retryDelayMs({ attemptsMade, scheduleMs: schedule, random })!;
        const base = schedule[attemptsMade - 1]!;
        assert.ok(delay >= base * 0.8 - 1 && delay <= base * 1.2 + 1, `${delay} for ${base}`);
      }),
    );
    assert.equal(retryDelayMs({ attemptsMade: 4, scheduleMs: schedule, random: 0.5 }), undefined);
    assert.equal(retryDelayMs({ attemptsMade: 1, scheduleMs: [], random: 0.5 }), undefined);
  });

  test('never retries earlier than Retry-After, never later than a day', () => {
    assert.equal(retryDelayMs({ attemptsMade: 1, scheduleMs: schedule, retryAfterMs: 60_000, random: 0.5 }), 60_000);
    assert.equal(retryDelayMs({ attemptsMade: 1, scheduleMs: schedule, retryAfterMs: 1_000, random: 0.5 }), 5_000);
    assert.equal(retryDelayMs({ attemptsMade: 1, scheduleMs: schedule, retryAfterMs: 10 * 86_400_000, random: 0.5 }), 86_400_000);
  });
});

describe('parseRetryAfter', () => {
  test('reads seconds and HTTP dates, ignores garbage', () => {
    const now = Date.parse('2025-03-01T12:00:00Z');
    assert.equal(parseRetryAfter('120', now), 120_000);
    assert.equal(parseRetryAfter('Sat, 01 Mar 2025 12:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('Sat, 01 Mar 2025 11:00:00 GMT', now), 0);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter(undefined, now), undefined);
  });
});
