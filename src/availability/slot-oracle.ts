// The question bookings ask slot search: "would GET /v4/booking-availability offer this start right
// now?" Bookings depend on this interface, not on the slot engine's internals.
import type { Executor } from '../db/database.ts';
import type { SlotHostRow, SlotMeetingType } from './slot-search.repo.ts';

export interface SlotQuestion {
  companyId: string;
  meetingTypeId: string;
  hostIds: string[];
  start: Date;
  /** Minutes; the meeting type's duration when absent. */
  duration?: number;
  /** An appointment whose own time does not block (rescheduling it). */
  excludeAppointmentId?: string;
  calculationMethod?: 'anyone' | 'everyone';
}

export type BookingQuestion = Pick<SlotQuestion, 'companyId' | 'meetingTypeId' | 'hostIds' | 'start' | 'excludeAppointmentId'>;

/**
 * Everything a booking of one start reads, in the oracle's one statement: the meeting type (absent
 * when unknown or deleted), the company's hosts found among those asked for (the type's own host
 * when none), and which of them are free at that start for a duration.
 */
export interface BookingView {
  meetingType: SlotMeetingType | undefined;
  hosts: readonly Pick<SlotHostRow, 'user_id' | 'user_timezone' | 'email' | 'given_name' | 'family_name' | 'slug'>[];
  freeHosts(hostIds: readonly string[], duration: number | undefined, method: 'anyone' | 'everyone'): string[];
}

export interface SlotOracle {
  isOffered(question: SlotQuestion): Promise<boolean>;
  /**
   * The same answer as `isOffered`, with what was read on the way; ids must be UUIDs. Asked before
   * the booking's transaction; with no hosts named for a team type, it stands for all its members.
   */
  readForBooking(question: BookingQuestion): Promise<BookingView>;
  /**
   * The same read inside the caller's transaction (a team booking under its queue lock): only the
   * database, nothing slow — the booking's `readForBooking` came first, outside the lock.
   */
  readInTransaction(tx: Executor, question: BookingQuestion): Promise<BookingView>;
}
