// The words of the provisional-booking pages and emails, in English and German (others: English).

export interface HoldStrings {
  lang: 'en' | 'de';
  confirmTitle: string;
  confirmIntro: string;
  confirmButton: string;
  confirmedTitle: string;
  confirmed: string;
  approveTitle: string;
  approveIntro: string;
  approveButton: string;
  declineButton: string;
  reasonLabel: string;
  approvedTitle: string;
  approved: string;
  approvedAwaitingAttendee: string;
  declinedByYouTitle: string;
  declinedByYou: string;
  expiredTitle: string;
  expired: string;
  closedTitle: string;
  closed: string;
  notFoundTitle: string;
  notFound: string;
  what: string;
  when: string;
  with: string;
  attendee: string;
  expires: string;
  reason: string;
  greeting: (name: string) => string;
  /** Email subjects; {title} and {when} are filled in. */
  subject: Record<'confirm' | 'approve' | 'declined' | 'expired', string>;
  mailIntro: Record<'confirm' | 'approve' | 'declined' | 'expired', string>;
  mailLink: Record<'confirm' | 'approve', string>;
  footer: string;
}

const en: HoldStrings = {
  lang: 'en',
  confirmTitle: 'Confirm your booking',
  confirmIntro: 'Your time is held. Confirm the booking to make it final.',
  confirmButton: 'Confirm my booking',
  confirmedTitle: 'Booking confirmed',
  confirmed: 'Thank you, your booking is confirmed. The invitation is on its way to your inbox.',
  approveTitle: 'Booking request',
  approveIntro: 'Someone asked to book this time with you. The time is held until you decide.',
  approveButton: 'Approve',
  declineButton: 'Decline',
  reasonLabel: 'Reason (optional, sent to the attendee)',
  approvedTitle: 'Request approved',
  approved: 'The booking is confirmed; everyone gets the invitation.',
  approvedAwaitingAttendee: 'Approved. The attendee now confirms by email.',
  declinedByYouTitle: 'Request declined',
  declinedByYou: 'The request was declined and the attendee has been told.',
  expiredTitle: 'This request has expired',
  expired: 'It was not confirmed in time, so the time has been released. Please book again.',
  closedTitle: 'This request is closed',
  closed: 'This booking request was declined or has already been settled.',
  notFoundTitle: 'Link not valid',
  notFound: 'This link is not valid or has already been used.',
  what: 'What',
  when: 'When',
  with: 'With',
  attendee: 'Attendee',
  expires: 'Held until',
  reason: 'Reason',
  greeting: (name) => (name ? `Hello ${name},` : 'Hello,'),
  subject: {
    confirm: 'Please confirm: {title} on {when}',
    approve: 'Approval needed: {title} on {when}',
    declined: 'Declined: {title} on {when}',
    expired: 'Expired: {title} on {when}',
  },
  mailIntro: {
    confirm: 'please confirm your booking with the link below. Until you do, the time is held for you.',
    approve: 'a booking request awaits your approval. The time is held until you decide.',
    declined: 'unfortunately your booking request was declined.',
    expired: 'your booking request was not confirmed in time, so the time has been released.',
  },
  mailLink: { confirm: 'Confirm the booking', approve: 'Approve or decline' },
  footer: 'Sent by Termin.',
};

const de: HoldStrings = {
  lang: 'de',
  confirmTitle: 'Buchung bestätigen',
  confirmIntro: 'Ihre Zeit ist reserviert. Bestätigen Sie die Buchung, damit sie gilt.',
  confirmButton: 'Buchung bestätigen',
  confirmedTitle: 'Buchung bestätigt',
  confirmed: 'Vielen Dank, Ihre Buchung ist bestätigt. Die Einladung ist unterwegs.',
  approveTitle: 'Buchungsanfrage',
  approveIntro: 'Jemand möchte diese Zeit bei Ihnen buchen. Sie bleibt reserviert, bis Sie entscheiden.',
  approveButton: 'Annehmen',
  declineButton: 'Ablehnen',
  reasonLabel: 'Grund (optional, geht an die teilnehmende Person)',
  approvedTitle: 'Anfrage angenommen',
  approved: 'Die Buchung ist bestätigt; alle erhalten die Einladung.',
  approvedAwaitingAttendee: 'Angenommen. Die teilnehmende Person bestätigt jetzt per E-Mail.',
  declinedByYouTitle: 'Anfrage abgelehnt',
  declinedByYou: 'Die Anfrage wurde abgelehnt und die teilnehmende Person informiert.',
  expiredTitle: 'Diese Anfrage ist abgelaufen',
  expired: 'Sie wurde nicht rechtzeitig bestätigt, die Zeit ist wieder frei. Bitte buchen Sie erneut.',
  closedTitle: 'Diese Anfrage ist abgeschlossen',
  closed: 'Diese Buchungsanfrage wurde abgelehnt oder ist bereits erledigt.',
  notFoundTitle: 'Link ungültig',
  notFound: 'Dieser Link ist ungültig oder wurde bereits verwendet.',
  what: 'Was',
  when: 'Wann',
  with: 'Mit',
  attendee: 'Teilnehmende Person',
  expires: 'Reserviert bis',
  reason: 'Grund',
  greeting: (name) => (name ? `Hallo ${name},` : 'Hallo,'),
  subject: {
    confirm: 'Bitte bestätigen: {title} am {when}',
    approve: 'Freigabe nötig: {title} am {when}',
    declined: 'Abgelehnt: {title} am {when}',
    expired: 'Abgelaufen: {title} am {when}',
  },
  mailIntro: {
    confirm: 'bitte bestätigen Sie Ihre Buchung über den Link unten. Bis dahin ist die Zeit für Sie reserviert.',
    approve: 'eine Buchungsanfrage wartet auf Ihre Freigabe. Die Zeit bleibt reserviert, bis Sie entscheiden.',
    declined: 'leider wurde Ihre Buchungsanfrage abgelehnt.',
    expired: 'Ihre Buchungsanfrage wurde nicht rechtzeitig bestätigt, die Zeit ist wieder frei.',
  },
  mailLink: { confirm: 'Buchung bestätigen', approve: 'Annehmen oder ablehnen' },
  footer: 'Gesendet von Termin.',
};

export function holdStrings(language: string | null | undefined): HoldStrings {
  return (language ?? '').toLowerCase().startsWith('de') ? de : en;
}
