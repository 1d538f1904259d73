// Small builders for engine tests: one host, readable wall times out.
import { emptySchedule } from '../../src/availability/schedule.ts';
import { type HostAvailability, type SlotQuery, findSlots } from '../../src/availability/slots.ts';
import type { WeekdayName, WeeklySchedule } from '../../src/db/schema.ts';
import { zoneRules } from '../../src/lib/time.ts';

export function schedule(days: Partial<Record<WeekdayName, [string, string][]>>): WeeklySchedule {
  const out = emptySchedule();
  for (const [day, hours] of Object.entries(days) as [WeekdayName, [string, string][]][]) {
    out[day] = { enabled: true, hours: hours.map(([start, end]) => ({ start, end })) };
  }
  return out;
}

export function host(timezone: string, weekly: WeeklySchedule, extra: Partial<HostAvailability> = {}): HostAvailability {
  return { hostId: 'host-1', timezone, schedule: weekly, exceptions: [], busy: [], ...extra };
}

export const at = (iso: string) => Date.parse(iso);

export function query(from: string, to: string, extra: Partial<SlotQuery> = {}): SlotQuery {
  return {
    from: at(from),
    to: at(to),
    now: at('2000-01-01T00:00:00Z'),
    duration: 30,
    interval: 30,
    bufferBefore: 0,
    bufferAfter: 0,
    bookingMinimum: 0,
    window: { start: Number.NEGATIVE_INFINITY, end: Number.POSITIVE_INFINITY },
    method: 'anyone',
    ...extra,
  };
}

/** Offered starts rendered in `zone` with its offset. */
export function starts(hosts: HostAvailability[], q: SlotQuery, zone = hosts[0]!.timezone): string[] {
  const rules = zoneRules(zone);
  return findSlots(hosts, q).slots.map((slot) => rules.format(slot.start));
}
