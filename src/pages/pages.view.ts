// Pure renderers of the public pages that are not the calendar: the personal page, the
// confirmation, and the pages for an unknown address, a used one-time link and too many requests.
// Every interpolated value goes through escapeHtml (or `esc`).
import { escapeHtml as esc } from '../lib/text.ts';
import { formatForPeople } from '../lib/time-format.ts';
import type { PageLanguage, Strings } from './pages.strings.ts';
import { stringsFor } from './pages.strings.ts';

/** What every page knows about its request: language, zone, and the query to keep on links. */
export interface PageContext {
  lang: PageLanguage;
  s: Strings;
  /** The public path prefix (from PUBLIC_URL), '' at the root. */
  base: string;
  zone: string;
  embed: boolean;
  /** Query parameters that travel with every link of the page (tz, lang, embed, once, reschedule…). */
  keep: Record<string, string>;
}

export interface Page {
  status: number;
  title: string;
  body: string;
  style?: string;
  data?: Record<string, string>;
  formTargets?: string[];
}

/** A link to `path` under the prefix with the kept query plus `extra` (undefined removes a key). */
export function link(ctx: PageContext, path: string, extra: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...ctx.keep, ...extra })) if (value !== undefined && value !== '') params.set(key, value);
  const query = params.toString();
  return `${ctx.base}${path}${query ? `?${query}` : ''}`;
}

export function languageSwitch(ctx: PageContext, path: string, extra: Record<string, string | undefined> = {}): string {
  const other: PageLanguage = ctx.lang === 'de' ? 'en' : 'de';
  const label = other === 'de' ? 'Deutsch' : 'English';
  return `<a href="${esc(link(ctx, path, { ...extra, lang: other }))}" hreflang="${other}" lang="${other}">${label}</a>`;
}

export interface PersonalPageView {
  hostName: string;
  description: string;
  headerImage: string | null;
  types: { name: string; description: string; durations: number[]; path: string }[];
}

export function personalPage(ctx: PageContext, view: PersonalPageView, path: string): Page {
  const s = ctx.s;
  const items = view.types.map(
    (t) =>
      `<li><a href="${esc(link(ctx, t.path))}"><strong>${esc(t.name)}</strong>` +
      `<span class="muted">${esc(t.durations.map(s.minutes).join(' / '))}</span>` +
      (t.description ? `<span>${esc(t.description)}</span>` : '') +
      '</a></li>',
  );
  const body = [
    `<div class="top"><span class="muted">${esc(view.hostName)}</span>${languageSwitch(ctx, path)}</div>`,
    view.headerImage ? `<img class="header-image" src="${esc(view.headerImage)}" alt="">` : '',
    `<h1>${esc(s.bookWith(view.hostName))}</h1>`,
    view.description ? `<p>${esc(view.description)}</p>` : '',
    items.length > 0 ? `<ul class="types">${items.join('')}</ul>` : `<p>${esc(s.noTypes)}</p>`,
  ].join('\n');
  return { status: 200, title: s.bookWith(view.hostName), body };
}

export interface ConfirmationView {
  moved: boolean;
  title: string;
  start: number;
  end: number;
  hostName: string;
  attendeeEmail: string;
  icsUrl: string;
  cancelUrl: string;
  rescheduleUrl: string;
  /** What an embed posts to its parent (spec §3.6). */
  message: Record<string, unknown>;
}

export function confirmationPage(ctx: PageContext, view: ConfirmationView): Page {
  const s = ctx.s;
  const heading = view.moved ? s.moved : s.booked;
  const rows: [string, string][] = [
    [s.what, view.title],
    [s.when, formatForPeople(view.start, ctx.zone, ctx.lang)],
    [s.duration, s.minutes(Math.round((view.end - view.start) / 60_000))],
    [s.host, view.hostName],
    [s.email, view.attendeeEmail],
  ];
  const body = [
    `<h1 id="done" tabindex="-1">${esc(heading)}</h1>`,
    `<dl>${rows.map(([t, d]) => `<dt>${esc(t)}</dt><dd>${esc(d)}</dd>`).join('')}</dl>`,
    `<p>${esc(s.emailSent)}</p>`,
    '<div class="actions">',
    `<a class="button" href="${esc(view.icsUrl)}" download="appointment.ics">${esc(s.addToCalendar)}</a>`,
    // The self-service pages refuse framing: from an embed they open in a new tab.
    `<a class="button secondary" href="${esc(view.rescheduleUrl)}"${ctx.embed ? ' target="_blank"' : ''}>${esc(s.reschedule)}</a>`,
    `<a class="button secondary" href="${esc(view.cancelUrl)}"${ctx.embed ? ' target="_blank"' : ''}>${esc(s.cancel)}</a>`,
    '</div>',
  ].join('\n');
  return { status: 200, title: heading, body, data: { booked: JSON.stringify(view.message) } };
}

export function messagePage(lang: PageLanguage, status: number, pick: (s: Strings) => [string, string]): Page {
  const [title, text] = pick(stringsFor(lang));
  return { status, title, body: `<h1>${esc(title)}</h1>\n<p>${esc(text)}</p>` };
}

export const notFoundPage = (lang: PageLanguage) => messagePage(lang, 404, (s) => [s.notFoundTitle, s.notFound]);
export const usedLinkPage = (lang: PageLanguage) => messagePage(lang, 410, (s) => [s.usedTitle, s.used]);
export const tooManyPage = (lang: PageLanguage) => messagePage(lang, 429, (s) => [s.tooManyTitle, s.tooMany]);
