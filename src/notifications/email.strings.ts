// The words of every email, in English and German. Other languages fall back to English.
import type { EmailKind, Role } from './email.plan.ts';

export interface Strings {
  lang: string;
  subject: Record<EmailKind, string>;
  hostSubject: Record<EmailKind, string>;
  greeting: (name: string) => string;
  intro: Record<EmailKind, string>;
  hostIntro: Record<EmailKind, string>;
  when: string;
  previously: string;
  duration: (minutes: number) => string;
  where: string;
  link: string;
  attendees: string;
  hosts: string;
  reason: string;
  cancelLink: string;
  rescheduleLink: string;
  invitation: string;
  footer: string;
}

const en: Strings = {
  lang: 'en',
  subject: {
    booked: 'Confirmed: {title} on {when}',
    rescheduled: 'Rescheduled: {title} on {when}',
    cancelled: 'Cancelled: {title} on {when}',
    reminder: 'Reminder: {title} on {when}',
  },
  hostSubject: {
    booked: 'New booking: {title} with {who} on {when}',
    rescheduled: 'Rescheduled: {title} with {who} on {when}',
    cancelled: 'Cancelled: {title} with {who} on {when}',
    reminder: 'Reminder: {title} on {when}',
  },
  greeting: (name) => (name ? `Hello ${name},` : 'Hello,'),
  intro: {
    booked: 'your appointment is confirmed.',
    rescheduled: 'your appointment has been moved to a new time.',
    cancelled: 'your appointment has been cancelled.',
    reminder: 'this is a reminder of your upcoming appointment.',
  },
  hostIntro: {
    booked: 'a new appointment has been booked with you.',
    rescheduled: 'an appointment with you has been moved to a new time.',
    cancelled: 'an appointment with you has been cancelled.',
    reminder: 'this is a reminder of your upcoming appointment.',
  },
  when: 'When',
  previously: 'Previously',
  duration: (minutes) => `${minutes} minutes`,
  where: 'Where',
  link: 'Meeting link',
  attendees: 'Attendees',
  hosts: 'Hosts',
  reason: 'Reason',
  cancelLink: 'Cancel the appointment',
  rescheduleLink: 'Reschedule the appointment',
  invitation: 'The calendar invitation is attached.',
  footer: 'Sent by Termin.',
};

const de: Strings = {
  lang: 'de',
  subject: {
    booked: 'Bestätigt: {title} am {when}',
    rescheduled: 'Verschoben: {title} am {when}',
    cancelled: 'Abgesagt: {title} am {when}',
    reminder: 'Erinnerung: {title} am {when}',
  },
  hostSubject: {
    booked: 'Neue Buchung: {title} mit {who} am {when}',
    rescheduled: 'Verschoben: {title} mit {who} am {when}',
    cancelled: 'Abgesagt: {title} mit {who} am {when}',
    reminder: 'Erinnerung: {title} am {when}',
  },
  greeting: (name) => (name ? `Hallo ${name},` : 'Hallo,'),
  intro: {
    booked: 'Ihr Termin ist bestätigt.',
    rescheduled: 'Ihr Termin wurde auf eine neue Zeit verschoben.',
    cancelled: 'Ihr Termin wurde abgesagt.',
    reminder: 'wir erinnern Sie an Ihren bevorstehenden Termin.',
  },
  hostIntro: {
    booked: 'bei Ihnen wurde ein neuer Termin gebucht.',
    rescheduled: 'ein Termin bei Ihnen wurde auf eine neue Zeit verschoben.',
    cancelled: 'ein Termin bei Ihnen wurde abgesagt.',
    reminder: 'wir erinnern Sie an Ihren bevorstehenden Termin.',
  },
  when: 'Wann',
  previously: 'Bisher',
  duration: (minutes) => `${minutes} Minuten`,
  where: 'Wo',
  link: 'Meeting-Link',
  attendees: 'Teilnehmende',
  hosts: 'Gastgebende',
  reason: 'Grund',
  cancelLink: 'Termin absagen',
  rescheduleLink: 'Termin verschieben',
  invitation: 'Die Kalendereinladung ist angehängt.',
  footer: 'Gesendet von Termin.',
};

export function stringsFor(language: string): Strings {
  return language.toLowerCase().startsWith('de') ? de : en;
}

export function subjectTemplate(strings: Strings, kind: EmailKind, role: Role): string {
  return role === 'host' ? strings.hostSubject[kind] : strings.subject[kind];
}
