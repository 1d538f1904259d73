// Renders one email — subject, plain text, HTML and the invitation to attach — from a planned
// payload. Pure: times are shown in the recipient's zone and language; links carry the secret
// only when given one.
import { escapeHtml } from '../lib/text.ts';
import { formatForPeople } from '../lib/time-format.ts';
import type { AppointmentData } from '../outbox/event-payload.ts';
import type { EmailPayload } from './email.plan.ts';
import { type Strings, stringsFor, subjectTemplate } from './email.strings.ts';

export interface RenderedEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  ics?: { method: string; content: string };
}

export interface RenderContext {
  publicUrl: string;
  /** The self-service secret, when the email should carry cancel/reschedule links. */
  secret?: string;
}

interface Line {
  label: string;
  value: string;
  href?: string;
}

export function titleOf(appointment: AppointmentData): string {
  return appointment.meetingInfo?.name ?? appointment.meetingType?.name ?? 'Appointment';
}

function attendeeNames(appointment: AppointmentData): string {
  return (appointment.attendees ?? []).map((a) => (a.fullname ? `${a.fullname} <${a.email}>` : a.email)).join(', ');
}

/** Every host by name: a team booking can have several (collective, a group's turn). */
function hostNames(appointment: AppointmentData): string {
  return (appointment.hosts ?? []).map((h) => (h.fullName ?? [h.givenName, h.familyName].filter(Boolean).join(' ')) || h.email).join(', ');
}

function detailLines(payload: EmailPayload, s: Strings, ctx: RenderContext): Line[] {
  const { appointment: a, timezone, language } = payload;
  const lines: Line[] = [{ label: s.when, value: formatForPeople(Date.parse(a.start), timezone, language) }];
  if (payload.oldStart) lines.push({ label: s.previously, value: formatForPeople(Date.parse(payload.oldStart), timezone, language) });
  const minutes = a.meetingInfo?.duration ?? a.meetingType?.duration ?? Math.round((Date.parse(a.end) - Date.parse(a.start)) / 60_000);
  lines.push({ label: '', value: s.duration(minutes) });
  if (a.location) lines.push({ label: s.where, value: a.location });
  const link = a.hostingInfo?.meetingLink;
  if (link && payload.kind !== 'cancelled') lines.push({ label: s.link, value: link, href: link });
  if ((a.hosts ?? []).length > 0) lines.push({ label: s.hosts, value: hostNames(a) });
  if (payload.role === 'host') lines.push({ label: s.attendees, value: attendeeNames(a) });
  if (payload.kind === 'cancelled' && a.cancel?.reason) lines.push({ label: s.reason, value: a.cancel.reason });
  if (payload.withLinks && ctx.secret && payload.kind !== 'cancelled') {
    const id = encodeURIComponent(a.id);
    const secret = encodeURIComponent(ctx.secret);
    const reschedule = `${ctx.publicUrl}/booking/confirm/reschedule/${id}/${secret}`;
    const cancel = `${ctx.publicUrl}/booking/confirm/cancel/${id}/${secret}`;
    lines.push({ label: s.rescheduleLink, value: reschedule, href: reschedule });
    lines.push({ label: s.cancelLink, value: cancel, href: cancel });
  }
  return lines;
}

function invitation(appointment: AppointmentData, kind: EmailPayload['kind']): RenderedEmail['ics'] {
  if (kind === 'reminder' || !appointment.ics) return undefined;
  const method = /^METHOD:(\w+)/m.exec(appointment.ics)?.[1] ?? (kind === 'cancelled' ? 'CANCEL' : 'REQUEST');
  return { method, content: appointment.ics };
}

export function renderEmail(payload: EmailPayload, ctx: RenderContext): RenderedEmail {
  const s = stringsFor(payload.language);
  const a = payload.appointment;
  const title = titleOf(a);
  const when = formatForPeople(Date.parse(a.start), payload.timezone, payload.language);
  const who = (a.attendees ?? []).map((x) => x.fullname || x.email).join(', ');
  const subject = subjectTemplate(s, payload.kind, payload.role)
    .replace('{title}', title)
    .replace('{when}', when)
    .replace('{who}', who);
  const intro = payload.role === 'host' ? s.hostIntro[payload.kind] : s.intro[payload.kind];
  const lines = detailLines(payload, s, ctx);
  const ics = invitation(a, payload.kind);
  const textLines = lines.map((line) => (line.label ? `${line.label}: ${line.value}` : line.value));
  const text = [s.greeting(payload.name), '', intro, '', title, ...textLines, '', ...(ics ? [s.invitation, ''] : []), s.footer].join('\n');
  const htmlLine = (line: Line) => {
    const value = line.href ? `<a href="${escapeHtml(line.href)}">${escapeHtml(line.value)}</a>` : escapeHtml(line.value);
    return `<tr><td style="padding:2px 12px 2px 0;color:#555">${escapeHtml(line.label)}</td><td>${value}</td></tr>`;
  };
  const html = [
    `<!doctype html><html lang="${s.lang}"><body style="font-family:sans-serif">`,
    `<p>${escapeHtml(s.greeting(payload.name))}</p>`,
    `<p>${escapeHtml(intro)}</p>`,
    `<h2>${escapeHtml(title)}</h2>`,
    `<table>${lines.map(htmlLine).join('')}</table>`,
    ics ? `<p>${escapeHtml(s.invitation)}</p>` : '',
    `<p style="color:#888">${escapeHtml(s.footer)}</p></body></html>`,
  ].join('\n');
  return { to: payload.to, subject, text, html, ...(ics ? { ics } : {}) };
}
