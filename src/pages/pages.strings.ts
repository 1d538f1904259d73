// The words of the public booking pages, in English and German. The language comes from `?lang=`
// (the switch on every page), else Accept-Language; anything else reads English.
export type PageLanguage = 'en' | 'de';

/** Any German tag (de, de-DE, de-CH) reads German; everything else English. */
export function pageLanguage(tag: string | null | undefined): PageLanguage {
  return tag?.trim().toLowerCase().startsWith('de') ? 'de' : 'en';
}

/** The first language of an Accept-Language header we have words for. */
export function languageOfHeader(header: string | undefined): PageLanguage {
  for (const part of (header ?? '').split(',')) {
    const tag = part.split(';')[0]!.trim().toLowerCase();
    if (tag.startsWith('de')) return 'de';
    if (tag.startsWith('en')) return 'en';
  }
  return 'en';
}

const en = {
  bookWith: (name: string) => `Book a time with ${name}`,
  noTypes: 'There is nothing to book here at the moment.',
  minutes: (m: number) => `${m} min`,
  chooseDay: 'Choose a day',
  chooseTime: 'Choose a time',
  previousMonth: 'Previous month',
  nextMonth: 'Next month',
  noDays: 'No free times this month.',
  noTimes: 'No free times on this day. Please choose another day.',
  timesIn: 'Times are shown in',
  zoneLabel: 'Time zone',
  apply: 'Apply',
  duration: 'Duration',
  language: 'Language',
  yourDetails: 'Your details',
  name: 'Name',
  email: 'Email',
  phone: 'Phone',
  guests: 'Guests (emails, comma separated)',
  notes: 'Anything that helps prepare the meeting?',
  optional: '(optional)',
  book: 'Book',
  move: 'Move the appointment here',
  change: 'Choose another time',
  booked: 'You are booked',
  moved: 'Your appointment has been moved',
  emailSent: 'A confirmation email with these details is on its way.',
  addToCalendar: 'Add to calendar (.ics)',
  reschedule: 'Move this appointment',
  cancel: 'Cancel this appointment',
  slotTaken: 'Sorry, that time was just taken. Please choose another one.',
  invalid: 'Please check your details:',
  notFoundTitle: 'Page not found',
  notFound: 'There is no booking page at this address.',
  usedTitle: 'This link has been used',
  used: 'This one-time booking link has already been used to book an appointment.',
  movingFrom: (when: string) => `You are moving your appointment of ${when}. Choose a new time.`,
  badReschedule: 'This reschedule link is not valid. Use the link in the email about your appointment.',
  tooManyTitle: 'Too many requests',
  tooMany: 'Too many requests from your network. Please try again in a minute.',
  calendar: 'Calendar',
  what: 'What',
  when: 'When',
  host: 'With',
  available: 'has free times',
  selected: 'selected',
  weekdays: ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'],
  spotsLeft: (n: number) => (n === 1 ? '1 spot left' : `${n} spots left`),
  team: 'Team',
  checkEmailTitle: 'Please check your email',
  checkEmail: (email: string) => `We sent a message to ${email}. Your booking is complete once you confirm it with the link in that email.`,
  awaitingHostTitle: 'Your request has been sent',
  awaitingHost: (email: string) => `The host will confirm your request; we will write to ${email} once they have.`,
  requested: 'Requested time',
  cancelTitle: 'Cancel your appointment',
  cancelIntro: 'If you cancel, the host is told and the time becomes free again.',
  reasonLabel: 'Reason (optional)',
  cancelButton: 'Cancel the appointment',
  cancelledTitle: 'Your appointment has been cancelled',
  cancelledText: 'The host has been told. You can book a new time at any moment.',
  alreadyCancelled: 'This appointment has already been cancelled.',
  bookAgain: 'Book a new time',
};

export type Strings = typeof en;

const de: Strings = {
  bookWith: (name) => `Termin mit ${name} buchen`,
  noTypes: 'Hier kann gerade nichts gebucht werden.',
  minutes: (m) => `${m} Min.`,
  chooseDay: 'Tag wählen',
  chooseTime: 'Uhrzeit wählen',
  previousMonth: 'Vorheriger Monat',
  nextMonth: 'Nächster Monat',
  noDays: 'In diesem Monat sind keine Zeiten frei.',
  noTimes: 'An diesem Tag sind keine Zeiten frei. Bitte wählen Sie einen anderen Tag.',
  timesIn: 'Zeiten in',
  zoneLabel: 'Zeitzone',
  apply: 'Übernehmen',
  duration: 'Dauer',
  language: 'Sprache',
  yourDetails: 'Ihre Angaben',
  name: 'Name',
  email: 'E-Mail',
  phone: 'Telefon',
  guests: 'Gäste (E-Mail-Adressen, durch Komma getrennt)',
  notes: 'Möchten Sie etwas zur Vorbereitung mitteilen?',
  optional: '(optional)',
  book: 'Buchen',
  move: 'Termin hierher verschieben',
  change: 'Andere Zeit wählen',
  booked: 'Ihr Termin ist gebucht',
  moved: 'Ihr Termin wurde verschoben',
  emailSent: 'Eine Bestätigung mit diesen Angaben ist per E-Mail unterwegs.',
  addToCalendar: 'Zum Kalender hinzufügen (.ics)',
  reschedule: 'Termin verschieben',
  cancel: 'Termin absagen',
  slotTaken: 'Diese Zeit wurde leider gerade vergeben. Bitte wählen Sie eine andere.',
  invalid: 'Bitte prüfen Sie Ihre Angaben:',
  notFoundTitle: 'Seite nicht gefunden',
  notFound: 'Unter dieser Adresse gibt es keine Buchungsseite.',
  usedTitle: 'Dieser Link wurde bereits verwendet',
  used: 'Mit diesem Einmal-Buchungslink wurde bereits ein Termin gebucht.',
  movingFrom: (when) => `Sie verschieben Ihren Termin vom ${when}. Wählen Sie eine neue Zeit.`,
  badReschedule: 'Dieser Link zum Verschieben ist ungültig. Nutzen Sie den Link aus der E-Mail zu Ihrem Termin.',
  tooManyTitle: 'Zu viele Anfragen',
  tooMany: 'Zu viele Anfragen aus Ihrem Netzwerk. Bitte versuchen Sie es in einer Minute erneut.',
  calendar: 'Kalender',
  what: 'Was',
  when: 'Wann',
  host: 'Mit',
  available: 'hat freie Zeiten',
  selected: 'ausgewählt',
  weekdays: ['Mo', 'Di', 'Mi', 'Do', 'Fr', 'Sa', 'So'],
  spotsLeft: (n) => (n === 1 ? 'Noch 1 Platz frei' : `Noch ${n} Plätze frei`),
  team: 'Team',
  checkEmailTitle: 'Bitte prüfen Sie Ihr E-Mail-Postfach',
  checkEmail: (email) => `Wir haben eine Nachricht an ${email} geschickt. Ihre Buchung ist abgeschlossen, sobald Sie sie über den Link darin bestätigen.`,
  awaitingHostTitle: 'Ihre Anfrage wurde gesendet',
  awaitingHost: (email) => `Der Gastgeber bestätigt Ihre Anfrage; wir schreiben an ${email}, sobald das geschehen ist.`,
  requested: 'Angefragte Zeit',
  cancelTitle: 'Termin absagen',
  cancelIntro: 'Wenn Sie absagen, wird der Gastgeber informiert und die Zeit wird wieder frei.',
  reasonLabel: 'Grund (optional)',
  cancelButton: 'Termin absagen',
  cancelledTitle: 'Ihr Termin wurde abgesagt',
  cancelledText: 'Der Gastgeber wurde informiert. Sie können jederzeit eine neue Zeit buchen.',
  alreadyCancelled: 'Dieser Termin wurde bereits abgesagt.',
  bookAgain: 'Neue Zeit buchen',
};

export function stringsFor(language: PageLanguage): Strings {
  return language === 'de' ? de : en;
}
