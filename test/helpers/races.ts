// Helpers of the PostgreSQL race tests: a bounded pool of concurrent tasks, a tally of answers,
// and the database's own answer to "does any host have two overlapping active appointments?".
import { sql } from 'kysely';
import type { TestApp } from './app.ts';

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

/** Pairs of active, constrained host rows of one host that overlap: the exclusion constraint makes this 0. */
export async function overlaps(t: TestApp): Promise<number> {
  const { rows } = await sql<{ n: string }>`
    SELECT count(*) AS n FROM appointment_hosts a
    JOIN appointment_hosts b ON a.user_id = b.user_id AND a.appointment_id < b.appointment_id
    WHERE a.active AND b.active AND NOT a.overbooked AND NOT b.overbooked AND a.blocked && b.blocked`.execute(t.handle.db);
  return Number(rows[0]!.n);
}
