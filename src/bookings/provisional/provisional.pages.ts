// The pages behind the links of a provisional booking's emails: the attendee's "confirm" page and
// the host's "approve or decline" page, and what each answers. Opening a page only reads (mail
// scanners fetch links); its buttons are plain HTML forms that POST to the page's own address, so
// no script is needed and the Content-Security-Policy allows nothing but the page's own style and
// forms to itself. Pure: views in, HTML out; every value goes through escapeHtml.
import { createHash } from 'node:crypto';
import { escapeHtml } from '../../lib/text.ts';
import { formatForPeople } from '../../lib/time-format.ts';
import { type HoldStrings, holdStrings } from './provisional.strings.ts';

export interface HoldView {
  title: string;
  start: number;
  end: number;
  expiresAt: number;
  hostNames: string[];
  attendeeName: string;
  zone: string;
  language: string;
}

export interface HoldPage {
  status: number;
  html: string;
}

const STYLE = `:root{color-scheme:light dark;font-family:system-ui,sans-serif;line-height:1.5}
body{margin:0;padding:1.5rem}main{max-width:40rem;margin:0 auto}h1{font-size:1.5rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dt{font-weight:600}dd{margin:0}
form{margin:1rem 0}label{display:block;font-weight:600;margin-bottom:.25rem}
textarea{width:100%;box-sizing:border-box;font:inherit;padding:.5rem}
button{font:inherit;padding:.6rem 1rem;border-radius:.4rem;border:2px solid #1d4ed8;background:#1d4ed8;color:#fff;cursor:pointer}
button.secondary{background:transparent;color:inherit}
button:focus-visible,textarea:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}`;

const styleHash = `'sha256-${createHash('sha256').update(STYLE, 'utf8').digest('base64')}'`;

/** No script at all; forms may post only to this origin; never framed. */
export const HOLD_PAGE_CSP = [
  "default-src 'none'",
  `style-src ${styleHash}`,
  "img-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

function page(s: HoldStrings, status: number, title: string, body: string[]): HoldPage {
  const html = [
    '<!doctype html>',
    `<html lang="${s.lang}">`,
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="robots" content="noindex, nofollow"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>`,
    `<body><main><h1>${escapeHtml(title)}</h1>`,
    ...body,
    '</main></body></html>',
  ].join('\n');
  return { status, html };
}

const p = (text: string) => `<p>${escapeHtml(text)}</p>`;

function details(view: HoldView, s: HoldStrings, host: boolean): string {
  const at = (ms: number) => formatForPeople(ms, view.zone, view.language);
  const rows: [string, string][] = [
    [s.what, view.title],
    [s.when, at(view.start)],
    host ? [s.attendee, view.attendeeName] : [s.with, view.hostNames.join(', ')],
    [s.expires, at(view.expiresAt)],
  ];
  return `<dl>${rows.map(([term, value]) => `<dt>${escapeHtml(term)}</dt><dd>${escapeHtml(value)}</dd>`).join('')}</dl>`;
}

export function confirmPage(view: HoldView): HoldPage {
  const s = holdStrings(view.language);
  return page(s, 200, s.confirmTitle, [
    p(s.greeting(view.attendeeName)),
    p(s.confirmIntro),
    details(view, s, false),
    `<form method="post"><button type="submit">${escapeHtml(s.confirmButton)}</button></form>`,
  ]);
}

export function approvePage(view: HoldView): HoldPage {
  const s = holdStrings(view.language);
  return page(s, 200, s.approveTitle, [
    p(s.approveIntro),
    details(view, s, true),
    `<form method="post"><input type="hidden" name="decision" value="approve"><button type="submit">${escapeHtml(s.approveButton)}</button></form>`,
    '<form method="post"><input type="hidden" name="decision" value="decline">',
    `<label for="reason">${escapeHtml(s.reasonLabel)}</label><textarea id="reason" name="reason" rows="3" maxlength="1000"></textarea>`,
    `<p><button type="submit" class="secondary">${escapeHtml(s.declineButton)}</button></p></form>`,
  ]);
}

export type Outcome = 'confirmed' | 'approved' | 'approvedAwaitingAttendee' | 'declinedByYou' | 'expired' | 'closed' | 'notFound';

const OUTCOME_STATUS: Record<Outcome, number> = {
  confirmed: 200,
  approved: 200,
  approvedAwaitingAttendee: 200,
  declinedByYou: 200,
  expired: 410,
  closed: 409,
  notFound: 404,
};

export function outcomePage(outcome: Outcome, language: string): HoldPage {
  const s = holdStrings(language);
  const texts: Record<Outcome, [string, string]> = {
    confirmed: [s.confirmedTitle, s.confirmed],
    approved: [s.approvedTitle, s.approved],
    approvedAwaitingAttendee: [s.approvedTitle, s.approvedAwaitingAttendee],
    declinedByYou: [s.declinedByYouTitle, s.declinedByYou],
    expired: [s.expiredTitle, s.expired],
    closed: [s.closedTitle, s.closed],
    notFound: [s.notFoundTitle, s.notFound],
  };
  const [title, text] = texts[outcome];
  return page(s, OUTCOME_STATUS[outcome], title, [p(text)]);
}
