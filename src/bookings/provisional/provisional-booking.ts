// A booking that waits for the host's approval or the attendee's confirmation (issue 12) is written
// by the strategy that would write it directly — the plan carries status `provisional` and no
// events (booking.write.ts `planWrite`) — and then held: the hold records what it waits for, in
// the same transaction. A group session's held seat is named by the hold (migrations/0020).
import type { WriteStrategy } from '../booking.write.ts';
import type { ProvisionalService } from './provisional.service.ts';
import type { ProvisionalMode } from './provisional.rules.ts';

export function holdingStrategy(direct: WriteStrategy, mode: ProvisionalMode, provisional: Pick<ProvisionalService, 'hold'>): WriteStrategy {
  return {
    transactional: true,
    async write(tx, booking, ctx) {
      const written = await direct.write(tx, booking, ctx);
      const seat = written.attendeeId ? { attendeeId: written.attendeeId } : {};
      const held = { appointment: written.appointment, mode, dto: ctx.request, notifyAttendees: ctx.notifyAttendees, now: ctx.now, ...seat };
      const body = await provisional.hold(tx, held);
      return { ...written, outcome: { kind: 'provisional', body } };
    },
  };
}
