// An attendee's own invitation to a group session: the session's iCalendar text with every
// ATTENDEE but theirs (and their guests) left out. Derived from the one rendered invitation by
// plain line edits, because rendering a 100-seat session's invitation once per seat costs
// seconds. Lines are unfolded to edit and folded again at 75 octets (RFC 5545 §3.1). Pure.

const FOLD_OCTETS = 75;

/**
 * Each seat's invitation: for every list of emails (a seat's attendee and guests, any case), the
 * invitation with only those among its ATTENDEE lines. The text is unfolded and folded once.
 */
export function invitationsFor(ics: string, seats: readonly (readonly string[])[]): string[] {
  const lines = ics
    .replace(/\r\n[ \t]/g, '')
    .split('\r\n')
    .map((line) => ({ text: fold(line), attendee: /^ATTENDEE[;:]/i.test(line) ? attendeeEmail(line) : undefined }));
  return seats.map((emails) => {
    const keep = new Set(emails.map((email) => email.trim().toLowerCase()));
    return lines
      .filter((line) => line.attendee === undefined || keep.has(line.attendee))
      .map((line) => line.text)
      .join('\r\n');
  });
}

/** The address of an ATTENDEE line: its value after the last colon, without `mailto:`. */
function attendeeEmail(line: string): string {
  return line.slice(line.lastIndexOf(':') + 1).trim().toLowerCase();
}

/** Folds one content line at 75 octets without splitting a UTF-8 character. */
function fold(line: string): string {
  if (line.length * 3 <= FOLD_OCTETS || Buffer.byteLength(line) <= FOLD_OCTETS) return line;
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char);
    // Continuation lines begin with a space, which counts toward their 75 octets.
    const limit = parts.length === 0 ? FOLD_OCTETS : FOLD_OCTETS - 1;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}
