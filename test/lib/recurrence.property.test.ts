// Occurrence expansion of recurring series (src/lib/recurrence.ts) held against Temporal: the
// first start's wall-clock time repeated on the calendar in the host's zone, across offset changes.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { type Frequency, FREQUENCIES, expandOccurrences } from '../../src/lib/recurrence.ts';
import { Temporal, zoneRules } from '../../src/lib/time.ts';

// Zones with unusual rules: half-hour DST (Lord Howe), +12:45/+13:45 (Chatham), DST in the southern
// hemisphere (Santiago, Sydney, Auckland), negative DST (Dublin's winter time), DST at midnight
// (Havana), Ramadan suspensions (Casablanca), :30 offsets (St John's, Tehran), and none (Kolkata).
const ZONES = [
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'America/Santiago',
  'Europe/Dublin',
  'Europe/Berlin',
  'America/New_York',
  'America/St_Johns',
  'America/Havana',
  'Australia/Sydney',
  'Pacific/Auckland',
  'Africa/Casablanca',
  'Asia/Tehran',
  'Asia/Kolkata',
];

type Expected = { date: string; start?: number; missing?: 'no_such_day' | 'no_such_time' };

/** Temporal's answer: the wall time carried on the calendar, resolved in the zone. */
function oracle(first: number, zone: string, frequency: Frequency, count: number): Expected[] {
  const wall = Temporal.Instant.fromEpochMilliseconds(first).toZonedDateTimeISO(zone).toPlainDateTime();
  const out: Expected[] = [];
  for (let i = 0; i < count; i++) {
    if (i === 0) {
      out.push({ date: wall.toPlainDate().toString(), start: first });
      continue;
    }
    let target: Temporal.PlainDateTime;
    try {
      const step = frequency === 'monthly' ? { months: i } : { weeks: frequency === 'weekly' ? i : 2 * i };
      target = wall.add(step, { overflow: 'reject' });
    } catch {
      const month = wall.toPlainDate().toPlainYearMonth().add({ months: i });
      out.push({ date: `${month.toString()}-${String(wall.day).padStart(2, '0')}`, missing: 'no_such_day' });
      continue;
    }
    const resolved = target.toZonedDateTime(zone, { disambiguation: 'earlier' });
    const exists = Temporal.PlainDateTime.compare(target.toZonedDateTime(zone, { disambiguation: 'compatible' }).toPlainDateTime(), target) === 0;
    out.push(exists ? { date: target.toPlainDate().toString(), start: resolved.epochMilliseconds } : { date: target.toPlainDate().toString(), missing: 'no_such_time' });
  }
  return out;
}

const asExpected = (o: ReturnType<typeof expandOccurrences>[number]): Expected =>
  'start' in o ? { date: o.date, start: o.start } : { date: o.date, missing: o.missing };

/** An instant within `weeks` weeks before one of the zone's offset changes (or anywhere, for zones without). */
const seriesStart = fc
  .record({
    zone: fc.constantFrom(...ZONES),
    at: fc.integer({ min: Date.UTC(2015, 0, 1) / 60_000, max: Date.UTC(2040, 0, 1) / 60_000 }).map((m) => m * 60_000),
    before: fc.integer({ min: 0, max: 60 * 24 * 120 }),
    near: fc.boolean(),
  })
  .map(({ zone, at, before, near }) => {
    const transition = zoneRules(zone).nextTransitionAfter(at);
    return { zone, first: near && Number.isFinite(transition) ? transition - before * 60_000 : at };
  });

describe('series occurrences', () => {
  for (const frequency of FREQUENCIES) {
    test(`${frequency}: equal to Temporal for random starts near offset changes in ${ZONES.length} zones`, () => {
      fc.assert(
        fc.property(seriesStart, fc.integer({ min: 1, max: 52 }), ({ zone, first }, count) => {
          const got = expandOccurrences(first, zoneRules(zone), frequency, count).map(asExpected);
          assert.deepEqual(got, oracle(first, zone, frequency, count));
        }),
        { numRuns: 400 },
      );
    });
  }

  test('every zone, every frequency: 10:00 stays 10:00 across the first offset change of 2030', () => {
    for (const zone of ZONES) {
      const rules = zoneRules(zone);
      const change = rules.nextTransitionAfter(Date.UTC(2030, 0, 1));
      // Zones without changes (Kolkata, Tehran since 2022) still expand; the others must cross one.
      const anchor = Number.isFinite(change) ? change - 20 * 86_400_000 : Date.UTC(2030, 0, 10);
      const day = Temporal.Instant.fromEpochMilliseconds(anchor).toZonedDateTimeISO(zone).toPlainDate();
      const first = day.toPlainDateTime({ hour: 10 }).toZonedDateTime(zone).epochMilliseconds;
      for (const frequency of FREQUENCIES) {
        const occurrences = expandOccurrences(first, rules, frequency, 12);
        assert.deepEqual(occurrences.map(asExpected), oracle(first, zone, frequency, 12), `${zone} ${frequency}`);
        const starts = occurrences.flatMap((o) => ('start' in o ? [o.start] : []));
        for (const start of starts) assert.equal(rules.format(start).slice(11, 16), '10:00', `${zone} ${frequency}`);
        if (Number.isFinite(change) && day.day <= 28) {
          const offsets = new Set(starts.map((s) => rules.offsetAt(s)));
          assert.ok(offsets.size > 1, `${zone} ${frequency}: the series crosses an offset change`);
        }
      }
    }
  });

  test('a wall time skipped by spring forward is named, not moved; monthly on the 31st names the missing days', () => {
    const berlin = zoneRules('Europe/Berlin');
    // 02:30 on Sundays: 2030-03-31 has no 02:30 in Berlin.
    const first = Date.parse('2030-03-17T02:30:00+01:00');
    const weekly = expandOccurrences(first, berlin, 'weekly', 4);
    assert.deepEqual(weekly.map((o) => ('missing' in o ? o.missing : 'ok')), ['ok', 'ok', 'no_such_time', 'ok']);
    const monthly = expandOccurrences(Date.parse('2030-01-31T10:00:00+01:00'), berlin, 'monthly', 5);
    assert.deepEqual(monthly.filter((o) => 'missing' in o).map((o) => o.date), ['2030-02-31', '2030-04-31']);
  });
});
