// How the pages read answers whose richer shapes other issues add, in one pure place:
// - a start's spots of a group type (issue 11): `totalSpots`/`takenSpots`/`spotsLeft` on the spot,
//   or spec §5.5's `appointment.{totalSpots,takenSpots}` beside it;
// - a provisional booking (issue 12, spec §5.6/§5.7): `{ bookingType, provisionalBookingId }`
//   instead of an appointment, for double opt-in and host approval.
// Both are read defensively: an answer without them reads as a plain start or a plain booking.

export interface PageStart {
  /** ISO 8601 with offset: what the form posts. */
  value: string;
  /** Epoch milliseconds. */
  at: number;
  /** Places still free at this start (group types only). */
  spotsLeft?: number;
}

const count = (value: unknown): number | undefined => (typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined);

function spotsLeftOf(spot: Record<string, unknown>): number | undefined {
  const direct = count(spot.spotsLeft);
  if (direct !== undefined) return direct;
  for (const source of [spot, spot.appointment]) {
    if (!source || typeof source !== 'object') continue;
    const { totalSpots, takenSpots } = source as Record<string, unknown>;
    const total = count(totalSpots);
    const taken = count(takenSpots) ?? 0;
    if (total !== undefined) return Math.max(0, total - taken);
  }
  return undefined;
}

/** One start of a slot-search answer as the calendar shows it. */
export function startOfSpot(spot: { startTime: string }): PageStart {
  const left = spotsLeftOf(spot as unknown as Record<string, unknown>);
  const start: PageStart = { value: spot.startTime, at: Date.parse(spot.startTime) };
  if (left !== undefined) start.spotsLeft = left;
  return start;
}

export type ProvisionalType = 'doubleOptIn' | 'requireHostConfirmation';

export interface ProvisionalAnswer {
  /** As the booking answered it (the spec writes `doubleOptIn`, some clients `DoubleOptIn`). */
  bookingType: string;
  kind: ProvisionalType;
  provisionalBookingId: string;
}

/** The provisional answer of POST /v4/booking, or undefined for a booked appointment. */
export function provisionalAnswer(body: unknown): ProvisionalAnswer | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const { bookingType, provisionalBookingId } = body as Record<string, unknown>;
  if (typeof bookingType !== 'string' || typeof provisionalBookingId !== 'string' || !provisionalBookingId) return undefined;
  const kind: ProvisionalType = bookingType.toLowerCase() === 'requirehostconfirmation' ? 'requireHostConfirmation' : 'doubleOptIn';
  return { bookingType, kind, provisionalBookingId };
}
