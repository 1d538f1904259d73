// The emails of a provisional booking (issue 12): the attendee's "please confirm" with its link,
// the host's "approval needed" with its link, and the attendee's notice that the request was
// declined or expired. Pure: the link's token comes from the event while it is held (as the
// self-service secret does for booking emails) and is never stored in the job.
import { escapeHtml } from '../lib/text.ts';
import { formatForPeople } from '../lib/time-format.ts';
import { holdStrings } from '../bookings/provisional/provisional.strings.ts';
import type { RenderedEmail, RenderContext } from './email.templates.ts';

export type HoldMailStep = 'confirm' | 'approve' | 'declined' | 'expired';

export interface HoldMailPayload {
  kind: 'provisional_booking';
  step: HoldMailStep;
  role: 'attendee' | 'host';
  to: string;
  name: string;
  language: string;
  timezone: string;
  provisionalBookingId: string;
  title: string;
  start: string;
  expiresAt: string;
  /** The attendee's name, for the host's email. */
  attendeeName: string;
  reason: string | null;
  /** Confirm and approve emails carry a link with the event's token. */
  withLinks: boolean;
}

export function isHoldMail(payload: { kind: string }): payload is HoldMailPayload {
  return payload.kind === 'provisional_booking';
}

/** Where each link leads (provisional-links.routes.ts serves these pages). */
export const HOLD_LINK_PATHS = { confirm: '/booking/confirm/double-opt-in', approve: '/booking/host-approval' } as const;

export function renderHoldMail(payload: HoldMailPayload, ctx: RenderContext): RenderedEmail {
  const s = holdStrings(payload.language);
  const at = (iso: string) => formatForPeople(Date.parse(iso), payload.timezone, payload.language);
  const title = payload.title || 'Appointment';
  const subject = s.subject[payload.step].replace('{title}', title).replace('{when}', at(payload.start)).replace(/[\r\n]+/g, ' ');
  const lines: [string, string][] = [[s.when, at(payload.start)]];
  if (payload.role === 'host') lines.push([s.attendee, payload.attendeeName]);
  if (payload.step === 'confirm' || payload.step === 'approve') lines.push([s.expires, at(payload.expiresAt)]);
  if (payload.step === 'declined' && payload.reason) lines.push([s.reason, payload.reason]);
  const step = payload.step;
  const link =
    (step === 'confirm' || step === 'approve') && ctx.secret
      ? { label: s.mailLink[step], href: `${ctx.publicUrl}${HOLD_LINK_PATHS[step]}/${encodeURIComponent(payload.provisionalBookingId)}/${encodeURIComponent(ctx.secret)}` }
      : undefined;
  const text = [
    s.greeting(payload.name),
    '',
    s.mailIntro[payload.step],
    '',
    title,
    ...lines.map(([label, value]) => `${label}: ${value}`),
    ...(link ? ['', `${link.label}: ${link.href}`] : []),
    '',
    s.footer,
  ].join('\n');
  const html = [
    `<!doctype html><html lang="${s.lang}"><body style="font-family:sans-serif">`,
    `<p>${escapeHtml(s.greeting(payload.name))}</p>`,
    `<p>${escapeHtml(s.mailIntro[payload.step])}</p>`,
    `<h2>${escapeHtml(title)}</h2>`,
    `<table>${lines.map(([label, value]) => `<tr><td style="padding:2px 12px 2px 0;color:#555">${escapeHtml(label)}</td><td>${escapeHtml(value)}</td></tr>`).join('')}</table>`,
    link ? `<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p>` : '',
    `<p style="color:#888">${escapeHtml(s.footer)}</p></body></html>`,
  ].join('\n');
  return { to: payload.to, subject, text, html };
}
