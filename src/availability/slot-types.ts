// The slot engine's question and answer (slots.ts computes them): hosts with their hours and busy
// time, the query, and the starts offered (with, when troubleshooting, why others were not).
import type { WeeklySchedule } from '../db/schema.ts';
import type { Interval } from '../lib/intervals.ts';

/** Busy time: an appointment (already widened by its buffers) or an event of a connected calendar. */
export interface BusyInterval extends Interval {
  appointmentId?: string;
  /** Set for calendar busy time (src/calendars/): the calendar whose event this is. */
  calendarId?: string;
}

export interface HostAvailability {
  hostId: string;
  timezone: string;
  schedule: WeeklySchedule;
  exceptions: readonly (Interval & { available: boolean })[];
  /** Active appointments of the host, each already widened by its own buffers, and calendar busy time. */
  busy: readonly BusyInterval[];
}

export interface SlotQuery {
  /** Candidate starts are looked for in [from, to). */
  from: number;
  to: number;
  now: number;
  /** Minutes. */
  duration: number;
  interval: number;
  bufferBefore: number;
  bufferAfter: number;
  bookingMinimum: number;
  /** The booking window: starts in [start, end). */
  window: { start: number; end: number };
  bufferWithinHours?: boolean;
  method: 'anyone' | 'everyone';
  troubleshoot?: boolean;
  /**
   * `anyone` only: a start needs one free host, not the list of all of them. Each slot then names
   * the first free host (in `hosts` order) only, and hosts after it are not checked for that
   * start: a large team's union costs about one check per start instead of one per member.
   */
  firstFree?: boolean;
}

export interface Slot {
  start: number;
  end: number;
  /** The hosts free at this start. */
  hostIds: string[];
}

export type BlockReason = 'outside_hours' | 'exception' | 'busy' | 'calendar_busy' | 'minimum_notice' | 'beyond_window';

export interface BlockedStart {
  start: number;
  hostId: string;
  reason: BlockReason;
  appointmentId?: string;
  /** For `calendar_busy`: the calendar and the busy block in the way. */
  calendarId?: string;
  busyBlock?: Interval;
}

export interface SlotResult {
  slots: Slot[];
  /** Only with `troubleshoot`: grid starts not offered, with the reason per host. */
  blocked: BlockedStart[];
}
