// Helpers of the PostgreSQL race tests: the skip reason on PGlite, requests started all at once or
// through a bounded pool, a tally of answers, the check that refusals are the slot-taken one, and
// the database's own answer to "does any host have two overlapping active appointments?".
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { TEST_DATABASE_URL, type TestApp } from './app.ts';

/** The `skip` of every race test: PGlite is one connection and serialises everything, so a race there proves nothing. */
export const needsPostgres = !TEST_DATABASE_URL && 'needs PostgreSQL (set TEST_DATABASE_URL or run with --postgres)';

/** Starts all `count` tasks at once (the full width races) and waits for every answer. */
export function atOnce<T>(count: number, task: (i: number) => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => task(i)));
}

/** Runs `tasks` with at most `width` in flight. */
export async function pool<T>(tasks: (() => Promise<T>)[], width: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]!();
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return results;
}

export function tally(statuses: number[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

/** How many answers came with each HTTP status. */
export const statusTally = (responses: { statusCode: number }[]) => tally(responses.map((r) => r.statusCode));

export const SLOT_TAKEN = 'The selected time slot is no longer available';

/** Every 400 among `responses` is the friendly slot-taken refusal, not some other validation error. */
export function assertRefusedAsTaken(responses: { statusCode: number; json(): { message?: unknown } }[]): void {
  for (const r of responses.filter((r) => r.statusCode === 400)) assert.equal(r.json().message, SLOT_TAKEN);
}

/**
 * Pairs of active host rows of one host that overlap. The exclusion constraint makes this 0 for
 * rows that are not overbooked; `countOverbooked` includes deliberately overbooked rows too, for
 * races that create none and so may check the stricter count.
 */
export async function overlaps(t: TestApp, options: { countOverbooked?: boolean } = {}): Promise<number> {
  const constrained = options.countOverbooked ? sql`` : sql`AND NOT a.overbooked AND NOT b.overbooked`;
  const { rows } = await sql<{ n: string }>`
    SELECT count(*) AS n FROM appointment_hosts a
    JOIN appointment_hosts b ON a.user_id = b.user_id AND a.appointment_id < b.appointment_id
    WHERE a.active AND b.active ${constrained} AND a.blocked && b.blocked`.execute(t.handle.db);
  return Number(rows[0]!.n);
}
