// The JSON of GET /v4/booking-availability: both documented shapes in one body (DESIGN.md §4) —
// `availableSlots: [{ start, end }]` (seeds 000, 003) and `{ timezone, timeframes, dates }` (spec
// §2.5) — with every time in ISO 8601 carrying the output zone's offset. Pure.
import type { CalendarWarning } from '../calendars/staleness.ts';
import { zoneRules } from '../lib/time.ts';
import type { GroupSlot, Seats } from './group-sessions.ts';
import type { BlockedStart } from './slots.ts';

export interface SlotResponse {
  timezone: string;
  availableSlots: ({ start: string; end: string; hostIds?: string[] } & Partial<SeatsJson>)[];
  timeframes: { start: string; end: string }[];
  dates: { date: string; spots: ({ startTime: string; endTime: string } & Partial<SpotSeatsJson>)[] }[];
  earliestAvailableDate: string | null;
  troubleshoot?: { blockedTimeslots: BlockedJson[]; calendarBlocks: CalendarBlockJson[] };
  /** Present when some host's calendar busy time may be out of date (it is still used). */
  warnings?: CalendarWarning[];
}

/** Group types: a start's seats (spec §2.5 `totalSpots`/`takenSpots`, plus `spotsLeft`). */
interface SeatsJson {
  totalSpots: number;
  takenSpots: number;
  spotsLeft: number;
}

/** In `dates[].spots[]` also the session already at that start (spec §2.5 `appointment`). */
interface SpotSeatsJson extends SeatsJson {
  appointment: { id: string; totalSpots: number; takenSpots: number };
}

function seatsJson(seats: Seats | undefined): { slot: Partial<SeatsJson>; spot: Partial<SpotSeatsJson> } {
  if (!seats) return { slot: {}, spot: {} };
  const slot = { totalSpots: seats.totalSpots, takenSpots: seats.takenSpots, spotsLeft: seats.spotsLeft };
  const appointment = seats.appointmentId ? { appointment: { id: seats.appointmentId, totalSpots: seats.totalSpots, takenSpots: seats.takenSpots } } : {};
  return { slot, spot: { ...slot, ...appointment } };
}

interface BlockedJson {
  start: string;
  hostId: string;
  reason: string;
  appointmentId?: string;
  calendarId?: string;
  calendarName?: string;
  busyStart?: string;
  busyEnd?: string;
}

/** Per host and calendar busy block: the starts it removed. */
interface CalendarBlockJson {
  hostId: string;
  calendarId: string;
  calendarName: string;
  start: string;
  end: string;
  removedStarts: string[];
}

export interface Troubleshooting {
  blocked: readonly BlockedStart[];
  calendarNames: ReadonlyMap<string, string>;
}

export function slotResponse(
  slots: readonly GroupSlot[],
  zone: string,
  troubleshoot?: Troubleshooting,
  warnings: readonly CalendarWarning[] = [],
  withHosts = false,
): SlotResponse {
  const rules = zoneRules(zone);
  const availableSlots: SlotResponse['availableSlots'] = [];
  const dates: SlotResponse['dates'] = [];
  const frames: { start: number; end: number }[] = [];
  for (const slot of slots) {
    const start = rules.format(slot.start);
    const end = rules.format(slot.end);
    const seats = seatsJson(slot.seats);
    availableSlots.push(withHosts ? { start, end, hostIds: slot.hostIds, ...seats.slot } : { start, end, ...seats.slot });
    const date = start.slice(0, 10);
    const day = dates[dates.length - 1];
    const spot = { startTime: start, endTime: end, ...seats.spot };
    if (day?.date === date) day.spots.push(spot);
    else dates.push({ date, spots: [spot] });
    const frame = frames[frames.length - 1];
    if (frame && slot.start <= frame.end) frame.end = Math.max(frame.end, slot.end);
    else frames.push({ start: slot.start, end: slot.end });
  }
  const body: SlotResponse = {
    timezone: zone,
    availableSlots,
    timeframes: frames.map((f) => ({ start: rules.format(f.start), end: rules.format(f.end) })),
    dates,
    earliestAvailableDate: dates[0]?.date ?? null,
  };
  if (troubleshoot) body.troubleshoot = troubleshootJson(troubleshoot, rules.format);
  if (warnings.length > 0) body.warnings = [...warnings];
  return body;
}

function troubleshootJson(troubleshoot: Troubleshooting, format: (ms: number) => string): NonNullable<SlotResponse['troubleshoot']> {
  const blocks = new Map<string, CalendarBlockJson>();
  const blockedTimeslots = troubleshoot.blocked.map((b): BlockedJson => {
    const json: BlockedJson = { start: format(b.start), hostId: b.hostId, reason: b.reason };
    if (b.appointmentId) json.appointmentId = b.appointmentId;
    if (b.calendarId && b.busyBlock) {
      const calendarName = troubleshoot.calendarNames.get(b.calendarId) ?? '';
      Object.assign(json, { calendarId: b.calendarId, calendarName, busyStart: format(b.busyBlock.start), busyEnd: format(b.busyBlock.end) });
      const key = `${b.hostId} ${b.calendarId} ${b.busyBlock.start} ${b.busyBlock.end}`;
      const block = blocks.get(key) ?? {
        hostId: b.hostId,
        calendarId: b.calendarId,
        calendarName,
        start: format(b.busyBlock.start),
        end: format(b.busyBlock.end),
        removedStarts: [],
      };
      block.removedStarts.push(json.start);
      blocks.set(key, block);
    }
    return json;
  });
  return { blockedTimeslots, calendarBlocks: [...blocks.values()] };
}
