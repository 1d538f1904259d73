// Hosts' busy time kept between slot searches, so a large team's search does not rebuild every
// member's month of appointments in SQL each time (the bulk of its cost: 200 rows per host).
// Exact, not eventually fresh: an entry is used only when the search's own statement finds no
// change to that host committed after the snapshot the entry was read in (busy_changes,
// migrations/0021_busy_changes.sql). So a search answers exactly what an uncached one would, on
// one instance or many.
// Rules:
// - An entry covers the range it was read for; a search outside it reads the host again.
// - An entry lives at most MAX_AGE_MS: the compactor (busy-changes.ts) deletes change rows only
//   when no entry that young can miss them.
// - Bounded by the number of intervals held (least recently used first out); 0 turns it off.
// - Only searches use it. Bookings ask the uncached slot oracle, and the exclusion constraint stays
//   the guarantee.
import type { BusyInterval } from './slots.ts';

/** How long an entry may be used (the compactor keeps change rows at least this long). */
export const BUSY_CACHE_MAX_AGE_MS = 5 * 60_000;

const MAX_OWNERS = 10_000;

export interface CachedBusy {
  /** The range read, in epoch ms: the entry answers for ranges inside it. */
  from: number;
  to: number;
  /** PostgreSQL snapshot (pg_current_snapshot() as text) the busy time was read in. */
  snapshot: string;
  /** Appointments' and calendars' busy time, sorted by start, without ids. */
  busy: readonly BusyInterval[];
  /** When it was read (this process's monotonic clock). */
  at: number;
}

/** The entries a search may use, to be confirmed by its statement. */
export interface BusyCandidates {
  userIds: string[];
  snapshots: string[];
  entries: Map<string, CachedBusy>;
}

export type BusyCache = ReturnType<typeof createBusyCache>;

export function createBusyCache(options: { maxIntervals: number; now?: () => number }) {
  const now = options.now ?? (() => performance.now());
  const entries = new Map<string, CachedBusy>();
  let held = 0;
  // A search without hostIds reads the meeting type's own user, known only once read: remembered
  // here so the next search can offer that user's entry. A stale owner costs nothing (the
  // statement marks only the hosts it reads as fresh).
  const owners = new Map<string, string>();

  function drop(userId: string): void {
    const old = entries.get(userId);
    if (!old) return;
    entries.delete(userId);
    held -= old.busy.length;
  }

  return {
    enabled: options.maxIntervals > 0,

    /** The hosts whose entries cover `range` and are young enough, with the snapshots to check. */
    candidates(userIds: readonly string[], range: { from: number; to: number }): BusyCandidates {
      const found: BusyCandidates = { userIds: [], snapshots: [], entries: new Map() };
      const oldest = now() - BUSY_CACHE_MAX_AGE_MS;
      for (const id of userIds) {
        const entry = entries.get(id);
        if (!entry) continue;
        if (entry.at < oldest) {
          drop(id);
          continue;
        }
        if (entry.from > range.from || entry.to < range.to) continue;
        found.userIds.push(id);
        found.snapshots.push(entry.snapshot);
        found.entries.set(id, entry);
      }
      return found;
    },

    /** A confirmed entry was used: it becomes the most recently used. */
    touch(userId: string, entry: CachedBusy): void {
      if (entries.get(userId) !== entry) return;
      entries.delete(userId);
      entries.set(userId, entry);
    },

    /** Busy time just read, as of `snapshot`. */
    remember(userId: string, entry: Omit<CachedBusy, 'at'>): void {
      if (options.maxIntervals <= 0 || entry.busy.length > options.maxIntervals) return;
      drop(userId);
      entries.set(userId, { ...entry, at: now() });
      held += entry.busy.length;
      for (const [id] of entries) {
        if (held <= options.maxIntervals) break;
        drop(id);
      }
    },

    /** The user a meeting type's searches without hostIds read, as last seen. */
    ownerOf(meetingTypeId: string): string | undefined {
      return owners.get(meetingTypeId);
    },

    rememberOwner(meetingTypeId: string, userId: string): void {
      if (owners.get(meetingTypeId) === userId) return;
      if (owners.size >= MAX_OWNERS) owners.delete(owners.keys().next().value!);
      owners.set(meetingTypeId, userId);
    },

    /** Entries and intervals held (metrics, tests). */
    size(): { hosts: number; intervals: number } {
      return { hosts: entries.size, intervals: held };
    },
  };
}
