// Slot search for group meeting types (spots > 1): a session's start stays offered while seats
// remain, although its hosts are busy with it, and every start shows its occupancy (spec §2.5
// `totalSpots`/`takenSpots`, plus `spotsLeft`). A full session is simply not offered. The read is
// one indexed query (appointments_group_sessions); the merge is pure.
import type { Executor } from '../db/database.ts';
import type { Slot } from './slots.ts';

export interface Seats {
  totalSpots: number;
  takenSpots: number;
  spotsLeft: number;
  /** The session already at this start, if any. */
  appointmentId?: string;
}

export type GroupSlot = Slot & { seats?: Seats };

export interface Session {
  id: string;
  start: number;
  end: number;
  spots: number;
  taken: number;
  hostId: string | null;
}

/** The open sessions (statuses that hold time) of a meeting type starting within the range. */
export async function sessionsBetween(db: Executor, q: { companyId: string; meetingTypeId: string; from: Date; to: Date }): Promise<Session[]> {
  const rows = await db
    .selectFrom('appointments')
    .select(['id', 'start_at', 'end_at', 'spots', 'taken_spots', 'main_host_id'])
    .where('company_id', '=', q.companyId)
    .where('meeting_type_id', '=', q.meetingTypeId)
    .where('spots', '>', 1)
    .where('status', 'in', ['active', 'provisional'])
    .where('start_at', '>=', q.from)
    .where('start_at', '<', q.to)
    .orderBy('start_at')
    .execute();
  return rows.map((r) => ({ id: r.id, start: r.start_at.getTime(), end: r.end_at.getTime(), spots: r.spots, taken: r.taken_spots, hostId: r.main_host_id }));
}

/**
 * The free starts (each a new session with every seat left) and the sessions with seats left among
 * the given hosts, not earlier than `earliest` (minimum notice), in start order.
 */
export function withSessions(slots: readonly Slot[], sessions: readonly Session[], spots: number, q: { earliest: number; hostIds: readonly string[] }): GroupSlot[] {
  const hosts = new Set(q.hostIds);
  const fresh: GroupSlot[] = slots.map((slot) => ({ ...slot, seats: { totalSpots: spots, takenSpots: 0, spotsLeft: spots } }));
  const open: GroupSlot[] = sessions
    .filter((s) => s.taken < s.spots && s.start >= q.earliest && s.hostId !== null && hosts.has(s.hostId))
    .map((s) => ({
      start: s.start,
      end: s.end,
      hostIds: [s.hostId!],
      seats: { totalSpots: s.spots, takenSpots: s.taken, spotsLeft: s.spots - s.taken, appointmentId: s.id },
    }));
  const byStart = new Map<number, GroupSlot>();
  // A session's start wins over a free start at the same instant (a booking there joins it).
  for (const slot of [...fresh, ...open]) byStart.set(slot.start, slot);
  return [...byStart.values()].sort((a, b) => a.start - b.start);
}
