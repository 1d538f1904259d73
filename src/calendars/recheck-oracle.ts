// The slot oracle bookings ask, with the hosts' calendars re-read first: before a booking commits,
// the busy time around its start is fetched from the hosts' calendar servers (at most
// TERMIN_CALENDAR_RECHECK_MS, default 2 s) into the cache the oracle reads. A slow or failing
// server does not hold the booking up: past the bound the cached busy time decides.
import type { SlotOracle, SlotQuestion } from '../availability/slot-oracle.ts';
import { isUuid } from '../lib/ids.ts';
import { DAY_MS } from '../lib/time.ts';
import type { CalendarSync } from './calendar-sync.ts';

export function withCalendarRecheck(inner: SlotOracle, sync: Pick<CalendarSync, 'recheck'>): SlotOracle {
  async function recheck(question: Pick<SlotQuestion, 'companyId' | 'hostIds' | 'meetingTypeId' | 'start'>): Promise<void> {
    if (!isUuid(question.meetingTypeId) || question.hostIds.some((id) => !isUuid(id))) return;
    const start = question.start.getTime();
    if (Number.isNaN(start)) return;
    // A day either side holds any meeting length and buffer the oracle compares.
    await sync.recheck(question, { from: start - DAY_MS, to: start + DAY_MS });
  }
  return {
    async isOffered(question) {
      await recheck(question);
      return inner.isOffered(question);
    },
    async readForBooking(question) {
      // Before the booking's transaction: for a team type asked about without hosts this re-reads
      // every member's calendars (busyCalendarsOf), so the choice made under the lock sees them.
      await recheck(question);
      return inner.readForBooking(question);
    },
    // Under a lock nothing waits for a calendar server: the booking's readForBooking re-read these
    // calendars just before (and on PGlite's one connection a cache write here would wait for the
    // very transaction it runs beside).
    readInTransaction: (tx, question) => inner.readInTransaction(tx, question),
  };
}
