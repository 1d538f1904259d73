// iCalendar texts for calendar tests: events as a calendar app would store them.

export const NEW_YORK_VTIMEZONE = `BEGIN:VTIMEZONE
TZID:America/New_York
BEGIN:DAYLIGHT
TZOFFSETFROM:-0500
TZOFFSETTO:-0400
TZNAME:EDT
DTSTART:19700308T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:-0400
TZOFFSETTO:-0500
TZNAME:EST
DTSTART:19701101T020000
RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU
END:STANDARD
END:VTIMEZONE`;

export function vcalendar(...parts: string[]): string {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Termin tests//EN', ...parts, 'END:VCALENDAR', ''].join('\r\n');
}

export function vevent(uid: string, lines: string[]): string {
  return ['BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20291201T000000Z', 'SUMMARY:Busy', ...lines, 'END:VEVENT'].join('\r\n');
}

/**
 * The week of 2030-01-07 (Monday) for a host in Berlin (UTC+1). Each entry says which Berlin
 * starts of a 30-minute grid it must hide, or that it hides none.
 */
export function weekEvents(hostEmail: string): Record<string, string> {
  const parts = weekComponents(hostEmail);
  return Object.fromEntries(Object.entries(parts).map(([name, components]) => [name, vcalendar(...components)]));
}

/** The same week as one feed (one VCALENDAR), as Google or Outlook publish it. */
export function weekFeed(hostEmail: string, ...extra: string[]): string {
  return vcalendar(...Object.values(weekComponents(hostEmail)).flat(), ...extra);
}

function weekComponents(hostEmail: string): Record<string, string[]> {
  return {
    single: [vevent('single', ['DTSTART:20300108T090000Z', 'DTEND:20300108T100000Z'])],
    // 08:00–08:30 in New York (EST, −5) is 14:00–14:30 in Berlin.
    otherZone: [NEW_YORK_VTIMEZONE, vevent('ny', ['DTSTART;TZID=America/New_York:20300108T080000', 'DTEND;TZID=America/New_York:20300108T083000'])],
    // Daily 16:00 Berlin Tue–Sat; Wednesday excluded; Thursday moved to 09:00.
    recurring: [
      vevent('daily', [
        'DTSTART;TZID=Europe/Berlin:20300108T160000',
        'DTEND;TZID=Europe/Berlin:20300108T163000',
        'RRULE:FREQ=DAILY;COUNT=4',
        'EXDATE;TZID=Europe/Berlin:20300109T160000',
      ]),
      vevent('daily', ['RECURRENCE-ID;TZID=Europe/Berlin:20300110T160000', 'DTSTART;TZID=Europe/Berlin:20300110T090000', 'DTEND;TZID=Europe/Berlin:20300110T093000']),
    ],
    allDay: [vevent('allday', ['DTSTART;VALUE=DATE:20300108', 'DTEND;VALUE=DATE:20300109'])],
    transparent: [vevent('free', ['DTSTART:20300108T140000Z', 'DTEND:20300108T143000Z', 'TRANSP:TRANSPARENT'])],
    cancelled: [vevent('cancelled', ['DTSTART:20300108T120000Z', 'DTEND:20300108T123000Z', 'STATUS:CANCELLED'])],
    declined: [
      vevent('declined', ['DTSTART:20300108T123000Z', 'DTEND:20300108T130000Z', `ORGANIZER:mailto:boss@example.com`, `ATTENDEE;PARTSTAT=DECLINED:mailto:${hostEmail}`]),
    ],
  };
}

/** Berlin wall starts ("YYYY-MM-DDTHH:MM") the week's events hide. */
export const HIDDEN = [
  '2030-01-08T10:00',
  '2030-01-08T10:30',
  '2030-01-08T14:00',
  '2030-01-08T16:00',
  '2030-01-10T09:00',
  '2030-01-11T16:00',
];

/** Every 30-minute start 09:00–16:30 Tue–Fri, less the hidden ones. */
export function expectedStarts(hidden: readonly string[] = HIDDEN): string[] {
  const out: string[] = [];
  for (const day of ['08', '09', '10', '11']) {
    for (let minutes = 9 * 60; minutes < 17 * 60; minutes += 30) {
      const wall = `2030-01-${day}T${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
      if (!hidden.includes(wall)) out.push(wall);
    }
  }
  return out;
}
