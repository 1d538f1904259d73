// Two clients book overlapping 52-week series at once, on PostgreSQL (real concurrent
// transactions; PGlite serialises everything). One series is booked whole, the other not at all,
// and its answer names exactly the dates it shares with the winner.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type TestApp, type TestCompany, client } from '../helpers/app.ts';
import { type TestHost, startHostApp } from '../helpers/bookings.ts';
import { needsPostgres as skip, overlaps } from '../helpers/races.ts';
import { newSeriesHost, seriesBody } from '../helpers/series.ts';

let t: TestApp;
let acme: TestCompany;
let host: TestHost;

before(async () => {
  if (!skip) ({ t, acme, host } = await startHostApp(newSeriesHost));
});
after(() => t?.close());

/** The Berlin dates of a weekly series of `count` from `first` (YYYY-MM-DD, UTC dates of 09:00 UTC starts). */
function weeklyDates(first: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => new Date(Date.parse(`${first}T12:00:00Z`) + i * 7 * 86_400_000).toISOString().slice(0, 10));
}

describe('overlapping series booked at once', () => {
  for (const [round, hour] of [[1, '10'], [2, '13'], [3, '15']] as const) {
    test(`round ${round}: one 52-week series succeeds whole, the other fails whole with its conflicts named`, { skip }, async () => {
      // A: 52 Tuesdays from 2030-01-15; B: 52 Tuesdays from 2030-07-16 (its first 26 are A's last 26).
      const a = seriesBody(host, `2030-01-15T${hour}:00:00+01:00`, 'weekly', 52, { attendee: { email: `a${round}@example.com` } });
      const b = seriesBody(host, `2030-07-16T${hour}:00:00+02:00`, 'weekly', 52, { attendee: { email: `b${round}@example.com` } });
      const second = client(t.app, acme.apiKey, host.userId);
      const [ra, rb] = await Promise.all([host.api.post('/v4/booking', a), second.post('/v4/booking', b)]);
      const statuses = [ra.statusCode, rb.statusCode].sort();
      assert.deepEqual(statuses, [201, 400], `${ra.body}\n${rb.body}`);
      const [winner, loser, loserFirst] = ra.statusCode === 201 ? [ra, rb, '2030-07-16'] : [rb, ra, '2030-01-15'];
      assert.equal(winner.json().appointmentIds.length, 52);
      const shared = new Set(weeklyDates('2030-07-16', 26));
      const expected = weeklyDates(loserFirst, 52).filter((d) => shared.has(d));
      assert.equal(expected.length, 26);
      assert.equal(loser.json().code, 'slot_unavailable');
      assert.deepEqual(loser.json().failedDates, expected);
      assert.equal(loser.json().errors.length, 26);
      const loserEmail = ra.statusCode === 201 ? `b${round}@example.com` : `a${round}@example.com`;
      const written = await t.handle.db.selectFrom('appointment_attendees').select('id').where('email', '=', loserEmail).execute();
      assert.equal(written.length, 0, 'nothing of the losing series was written');
      assert.equal(await overlaps(t, { countOverbooked: true }), 0);
    });
  }
});
