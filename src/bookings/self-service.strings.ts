// The words of the attendee's self-service pages, in English and German (the languages of the
// emails that link to them). Other languages fall back to English.

export type PageLanguage = 'en' | 'de';

export interface PageStrings {
  appointment: string;
  greeting: (name: string) => string;
  what: string;
  when: string;
  durationLabel: string;
  duration: (minutes: number) => string;
  with: string;
  cancelTitle: string;
  cancelIntro: string;
  reasonLabel: string;
  reasonHint: string;
  cancelButton: string;
  cancelDone: string;
  alreadyCancelledTitle: string;
  alreadyCancelled: string;
  rescheduleTitle: string;
  rescheduleIntro: (days: number, zone: string) => string;
  noStarts: (days: number) => string;
  /** `{when}` is replaced in the browser by the chosen time. */
  rescheduleDone: string;
  slotTaken: string;
  cannotMoveTitle: string;
  cannotMove: string;
  gone: string;
  busy: string;
  failed: string;
  needsScript: string;
  notFoundTitle: string;
  notFound: string;
  tooManyTitle: string;
  tooMany: (minutes: number) => string;
}

const en: PageStrings = {
  appointment: 'Appointment',
  greeting: (name) => (name ? `Hello ${name},` : 'Hello,'),
  what: 'What',
  when: 'When',
  durationLabel: 'Duration',
  duration: (minutes) => `${minutes} minutes`,
  with: 'With',
  cancelTitle: 'Cancel your appointment',
  cancelIntro: 'If you cannot make it, cancel here. Your host will be told.',
  reasonLabel: 'Reason (optional)',
  reasonHint: 'Your host will see this.',
  cancelButton: 'Cancel appointment',
  cancelDone: 'Your appointment is cancelled. A confirmation email is on its way.',
  alreadyCancelledTitle: 'This appointment is cancelled',
  alreadyCancelled: 'This appointment has already been cancelled. There is nothing more to do.',
  rescheduleTitle: 'Move your appointment',
  rescheduleIntro: (days, zone) => `Choose a new time within the next ${days} days. Times are shown in ${zone}.`,
  noStarts: (days) => `There are no free times in the next ${days} days. Please contact your host.`,
  rescheduleDone:
    'Your appointment has been moved to {when}. A confirmation email is on its way; the links in your emails keep working.',
  slotTaken: 'That time has just been taken. Please choose another one.',
  cannotMoveTitle: 'This appointment is cancelled',
  cannotMove: 'This appointment has been cancelled and can no longer be moved.',
  gone: 'This link is not valid. Please use the links in the email about your appointment.',
  busy: 'Too many attempts. Please try again in a few minutes.',
  failed: 'Something went wrong. Please try again.',
  needsScript: 'This page needs JavaScript to change your appointment.',
  notFoundTitle: 'Link not valid',
  notFound: 'This link is not valid or no longer valid. If your appointment was moved, use the links in the latest email.',
  tooManyTitle: 'Too many attempts',
  tooMany: (minutes) => `Too many invalid links were opened from your network. Please try again in ${minutes} minutes.`,
};

const de: PageStrings = {
  appointment: 'Termin',
  greeting: (name) => (name ? `Hallo ${name},` : 'Hallo,'),
  what: 'Was',
  when: 'Wann',
  durationLabel: 'Dauer',
  duration: (minutes) => `${minutes} Minuten`,
  with: 'Mit',
  cancelTitle: 'Termin absagen',
  cancelIntro: 'Wenn Sie nicht teilnehmen können, sagen Sie hier ab. Ihr Gastgeber wird informiert.',
  reasonLabel: 'Grund (optional)',
  reasonHint: 'Ihr Gastgeber sieht diesen Text.',
  cancelButton: 'Termin absagen',
  cancelDone: 'Ihr Termin ist abgesagt. Eine Bestätigung per E-Mail ist unterwegs.',
  alreadyCancelledTitle: 'Dieser Termin ist abgesagt',
  alreadyCancelled: 'Dieser Termin wurde bereits abgesagt. Es ist nichts weiter zu tun.',
  rescheduleTitle: 'Termin verschieben',
  rescheduleIntro: (days, zone) => `Wählen Sie eine neue Zeit in den nächsten ${days} Tagen. Zeiten in ${zone}.`,
  noStarts: (days) => `In den nächsten ${days} Tagen sind keine Zeiten frei. Bitte wenden Sie sich an Ihren Gastgeber.`,
  rescheduleDone:
    'Ihr Termin wurde auf {when} verschoben. Eine Bestätigung per E-Mail ist unterwegs; die Links in Ihren E-Mails gelten weiter.',
  slotTaken: 'Diese Zeit wurde gerade vergeben. Bitte wählen Sie eine andere.',
  cannotMoveTitle: 'Dieser Termin ist abgesagt',
  cannotMove: 'Dieser Termin wurde abgesagt und kann nicht mehr verschoben werden.',
  gone: 'Dieser Link ist ungültig. Bitte nutzen Sie die Links in der E-Mail zu Ihrem Termin.',
  busy: 'Zu viele Versuche. Bitte versuchen Sie es in einigen Minuten erneut.',
  failed: 'Etwas ist schiefgegangen. Bitte versuchen Sie es erneut.',
  needsScript: 'Diese Seite braucht JavaScript, um Ihren Termin zu ändern.',
  notFoundTitle: 'Link ungültig',
  notFound: 'Dieser Link ist ungültig oder nicht mehr gültig. Wurde Ihr Termin verschoben, nutzen Sie die Links der neuesten E-Mail.',
  tooManyTitle: 'Zu viele Versuche',
  tooMany: (minutes) => `Aus Ihrem Netzwerk wurden zu viele ungültige Links geöffnet. Bitte versuchen Sie es in ${minutes} Minuten erneut.`,
};

/** Any German tag (de, de-DE, de-CH) reads German; everything else English. */
export function pageLanguage(tag: string | null | undefined): PageLanguage {
  return tag?.trim().toLowerCase().startsWith('de') ? 'de' : 'en';
}

/** The first language of an Accept-Language header we have words for (for pages with no appointment). */
export function languageOfHeader(header: string | undefined): PageLanguage {
  for (const part of (header ?? '').split(',')) {
    const tag = part.split(';')[0]!.trim().toLowerCase();
    if (tag.startsWith('de')) return 'de';
    if (tag.startsWith('en')) return 'en';
  }
  return 'en';
}

export function pageStrings(language: PageLanguage): PageStrings {
  return language === 'de' ? de : en;
}
