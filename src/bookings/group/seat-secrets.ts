// Each seat of a group session has its own self-service secret (migrations/0014): the hash finds
// and checks a presented secret, the sealed copy shows it again to the company.
import type { AttendeeRow } from '../attendees.repo.ts';

/** The opened secrets of the seats that have their own; undefined when none has. */
export async function seatSecrets(
  attendees: readonly Pick<AttendeeRow, 'id' | 'secret_sealed'>[],
  open: (sealed: string) => Promise<string>,
): Promise<Map<string, string> | undefined> {
  const sealed = attendees.filter((a) => a.secret_sealed !== null);
  if (sealed.length === 0) return undefined;
  return new Map(await Promise.all(sealed.map(async (a) => [a.id, await open(a.secret_sealed!)] as const)));
}
