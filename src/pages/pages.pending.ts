// The screen after a provisional booking (double opt-in or host approval, issue 12): nothing is
// booked yet, so no calendar file and no cancel/move links — only what was asked for and what
// happens next. An embed still hears about it (spec §3.6), with bookingType/provisionalBookingId.
import { escapeHtml as esc } from '../lib/text.ts';
import { formatForPeople } from '../lib/time-format.ts';
import type { ProvisionalAnswer } from './pages.answers.ts';
import type { Answer } from './pages.handlers.ts';
import { type PageTarget, pageHostName } from './pages.service.ts';
import type { Page, PageContext } from './pages.view.ts';

export interface PendingView extends ProvisionalAnswer {
  /** The requested start (ISO 8601) and length in minutes. */
  start: string;
  duration: number;
  email: string;
}

export function pendingPage(ctx: PageContext, view: PendingView & { title: string; hostName: string }): Page {
  const s = ctx.s;
  const awaitingHost = view.kind === 'requireHostConfirmation';
  const heading = awaitingHost ? s.awaitingHostTitle : s.checkEmailTitle;
  const start = Date.parse(view.start);
  const rows: [string, string][] = [
    [s.what, view.title],
    [s.requested, formatForPeople(start, ctx.zone, ctx.lang)],
    [s.duration, s.minutes(view.duration)],
    [s.host, view.hostName],
    [s.email, view.email],
  ];
  const message = {
    appointmentId: null,
    attendeeEmail: view.email,
    startTime: new Date(start).toISOString(),
    endTime: new Date(start + view.duration * 60_000).toISOString(),
    bookingType: view.bookingType,
    provisionalBookingId: view.provisionalBookingId,
  };
  const body = [
    `<h1 id="done" tabindex="-1">${esc(heading)}</h1>`,
    `<p>${esc(awaitingHost ? s.awaitingHost(view.email) : s.checkEmail(view.email))}</p>`,
    `<dl>${rows.map(([t, d]) => `<dt>${esc(t)}</dt><dd>${esc(d)}</dd>`).join('')}</dl>`,
  ].join('\n');
  return { status: 200, title: heading, body, data: { booked: JSON.stringify(message), pending: view.kind } };
}

export function pendingAnswer(ctx: PageContext, t: PageTarget, view: PendingView): Answer {
  const info = t.type.meeting_info as { name?: string };
  return { page: pendingPage(ctx, { ...view, title: info.name ?? t.type.name, hostName: pageHostName(t) }), ctx };
}
