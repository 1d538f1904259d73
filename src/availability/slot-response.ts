// The JSON of GET /v4/booking-availability: both documented shapes in one body (DESIGN.md §4) —
// `availableSlots: [{ start, end }]` (seeds 000, 003) and `{ timezone, timeframes, dates }` (spec
// §2.5) — with every time in ISO 8601 carrying the output zone's offset. Pure.
import { zoneRules } from '../lib/time.ts';
import type { BlockedStart, Slot } from './slots.ts';

export interface SlotResponse {
  timezone: string;
  availableSlots: { start: string; end: string; hostIds?: string[] }[];
  timeframes: { start: string; end: string }[];
  dates: { date: string; spots: { startTime: string; endTime: string }[] }[];
  earliestAvailableDate: string | null;
  troubleshoot?: { blockedTimeslots: { start: string; hostId: string; reason: string; appointmentId?: string }[] };
}

export function slotResponse(slots: readonly Slot[], zone: string, blocked?: readonly BlockedStart[], withHosts = false): SlotResponse {
  const rules = zoneRules(zone);
  const availableSlots: SlotResponse['availableSlots'] = [];
  const dates: SlotResponse['dates'] = [];
  const frames: { start: number; end: number }[] = [];
  for (const slot of slots) {
    const start = rules.format(slot.start);
    const end = rules.format(slot.end);
    availableSlots.push(withHosts ? { start, end, hostIds: slot.hostIds } : { start, end });
    const date = start.slice(0, 10);
    const day = dates[dates.length - 1];
    if (day?.date === date) day.spots.push({ startTime: start, endTime: end });
    else dates.push({ date, spots: [{ startTime: start, endTime: end }] });
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
  if (blocked) {
    body.troubleshoot = {
      blockedTimeslots: blocked.map((b) => ({
        start: rules.format(b.start),
        hostId: b.hostId,
        reason: b.reason,
        ...(b.appointmentId ? { appointmentId: b.appointmentId } : {}),
      })),
    };
  }
  return body;
}
