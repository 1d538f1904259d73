// When a host's calendar busy time cannot be trusted as current, and how an availability answer
// says so (cal.com#10039: a failing calendar must never silently change a host's availability).
// A stale calendar is still used with its last good busy time. Pure.

export interface CalendarFreshness {
  id: string;
  name: string;
  /** Last successful read (epoch ms), or null when never read. */
  synced_at: number | null;
  /** The last read's error, or null when it succeeded. */
  error: string | null;
}

export interface CalendarWarning {
  code: 'calendar_stale';
  hostId: string;
  calendarId: string;
  calendarName: string;
  lastSyncedAt: string | null;
  lastError: string | null;
  message: string;
}

export function isStaleAt(calendar: Pick<CalendarFreshness, 'synced_at' | 'error'>, now: number, staleAfterMs: number): boolean {
  return calendar.synced_at === null || calendar.error !== null || now - calendar.synced_at > staleAfterMs;
}

export function calendarWarnings(
  hosts: readonly { hostId: string; calendars: readonly CalendarFreshness[] }[],
  now: number,
  staleAfterMs: number,
): CalendarWarning[] {
  const warnings: CalendarWarning[] = [];
  for (const host of hosts) {
    for (const calendar of host.calendars) {
      if (!isStaleAt(calendar, now, staleAfterMs)) continue;
      const lastSyncedAt = calendar.synced_at === null ? null : new Date(calendar.synced_at).toISOString();
      const since = lastSyncedAt ? `busy time as last read at ${lastSyncedAt} is used` : 'it has never been read, so none of its busy time is known';
      const why = calendar.error ? ` (last read failed: ${calendar.error})` : '';
      warnings.push({
        code: 'calendar_stale',
        hostId: host.hostId,
        calendarId: calendar.id,
        calendarName: calendar.name,
        lastSyncedAt,
        lastError: calendar.error,
        message: `Calendar "${calendar.name}" of host ${host.hostId} is out of date: ${since}${why}`,
      });
    }
  }
  return warnings;
}
