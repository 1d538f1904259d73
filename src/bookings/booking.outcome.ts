// What a booking request came to; the route maps each kind to an answer. Each way of writing a
// booking (booking.write.ts and the feature folders beside it) answers with one of these kinds.
import type { Static } from '@fastify/type-provider-typebox';
import { AppError } from '../lib/app-error.ts';
import type { AppointmentRow } from './appointments.repo.ts';
import type { BookingCreated } from './bookings.schemas.ts';
import type { ProvisionalCreatedJson } from './provisional/provisional.schemas.ts';

export type BookingResult = Static<typeof BookingCreated>;

export type BookingOutcome =
  | { kind: 'booked'; body: BookingResult }
  | { kind: 'replayed'; body: BookingResult | ProvisionalCreatedJson }
  | { kind: 'series'; body: BookingResult }
  /** A seat in an existing group session: the same appointment, this attendee's own secret. */
  | { kind: 'joined'; body: BookingResult }
  /** Double opt-in or host approval: the slot is held, no appointment exists yet (issue 12). */
  | { kind: 'provisional'; body: ProvisionalCreatedJson };

export function bookedBody(row: AppointmentRow, secret: string): BookingResult {
  return { appointmentId: row.id, secret, id: row.id, start: row.start_at.toISOString(), end: row.end_at.toISOString(), meetingLink: row.meeting_link };
}

/** The appointment a booking made; a held (provisional) answer has none, which callers needing one refuse. */
export function appointmentOf(outcome: BookingOutcome): BookingResult {
  if ('appointmentId' in outcome.body) return outcome.body;
  throw new AppError('validation_failed', 'This booking waits for confirmation and has no appointment yet');
}

/** A stored answer given again for a repeated Idempotency-Key. */
export const asReplay = (outcome: BookingOutcome): BookingOutcome => ({ ...outcome, kind: 'replayed' });
