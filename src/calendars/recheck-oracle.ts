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
      // Inside a caller's transaction (a team booking under its queue lock) there is no re-read: it
      // would hold the lock for a network round trip, and on PGlite's one connection its cache write
      // would wait for that very transaction. The synced cache decides there.
      if (!question.executor) await recheck(question);
      return inner.readForBooking(question);
    },
  };
}
