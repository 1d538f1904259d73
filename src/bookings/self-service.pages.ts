// The attendee's self-service pages behind the links in their emails: cancel, reschedule, and the
// pages for a link that is not (or no longer) valid. Pure: views in, HTML out. Every interpolated
// value goes through escapeHtml; times are shown in the attendee's zone and language.
import { escapeHtml } from '../lib/text.ts';
import { formatDayForPeople, formatForPeople, formatTimeForPeople } from '../lib/time-format.ts';
import { layout } from './self-service.layout.ts';
import { type PageLanguage, type PageStrings, pageStrings } from './self-service.strings.ts';

export interface AppointmentView {
  title: string;
  /** Epoch milliseconds. */
  start: number;
  end: number;
  hostNames: string[];
  attendeeName: string;
  zone: string;
  language: PageLanguage;
  cancelled: boolean;
}

/** The starts of one local day; `value` is what the reschedule POST sends (ISO 8601 with offset). */
export interface DayStarts {
  date: string;
  starts: { value: string; at: number }[];
}

export interface RenderedPage {
  status: number;
  html: string;
  /** Seconds, for Retry-After. */
  retryAfter?: number;
}

function details(view: AppointmentView, s: PageStrings): string {
  const rows: [string, string][] = [
    [s.what, view.title || s.appointment],
    [s.when, formatForPeople(view.start, view.zone, view.language)],
    [s.durationLabel, s.duration(Math.round((view.end - view.start) / 60_000))],
  ];
  if (view.hostNames.length > 0) rows.push([s.with, view.hostNames.join(', ')]);
  const row = ([term, value]: [string, string]) => `<dt>${escapeHtml(term)}</dt><dd>${escapeHtml(value)}</dd>`;
  return `${paragraph(s.greeting(view.attendeeName))}\n<dl>${rows.map(row).join('')}</dl>`;
}

const heading = (text: string) => `<h1>${escapeHtml(text)}</h1>`;
const paragraph = (text: string) => `<p>${escapeHtml(text)}</p>`;
const noscript = (s: PageStrings) => `<noscript><p>${escapeHtml(s.needsScript)}</p></noscript>`;

const messages = (s: PageStrings, done: string) => ({ done, gone: s.gone, busy: s.busy, failed: s.failed });

export function cancelPage(view: AppointmentView): RenderedPage {
  const s = pageStrings(view.language);
  if (view.cancelled) {
    const body = [heading(s.alreadyCancelledTitle), details(view, s), paragraph(s.alreadyCancelled)].join('\n');
    return { status: 200, html: layout({ lang: view.language, title: s.alreadyCancelledTitle, body }) };
  }
  const form = [
    '<form id="cancel-form">',
    `<label for="reason">${escapeHtml(s.reasonLabel)}</label>`,
    '<textarea id="reason" name="reason" rows="3" maxlength="500" aria-describedby="reason-hint"></textarea>',
    `<p class="hint" id="reason-hint">${escapeHtml(s.reasonHint)}</p>`,
    `<button type="submit">${escapeHtml(s.cancelButton)}</button>`,
    '</form>',
  ].join('\n');
  const body = [heading(s.cancelTitle), details(view, s), paragraph(s.cancelIntro), noscript(s), form].join('\n');
  return { status: 200, html: layout({ lang: view.language, title: s.cancelTitle, body, messages: messages(s, s.cancelDone) }) };
}

function dayList(days: DayStarts[], view: AppointmentView): string {
  const { zone, language } = view;
  const sections = days.map((day, index) => {
    const buttons = day.starts.map((start) => {
      // The accessible name is the full date and time; it contains the visible time, as it should.
      const when = escapeHtml(formatForPeople(start.at, zone, language));
      const time = escapeHtml(formatTimeForPeople(start.at, zone, language));
      return `<li><button type="button" class="time" data-start="${escapeHtml(start.value)}" data-when="${when}" aria-label="${when}">${time}</button></li>`;
    });
    const title = escapeHtml(formatDayForPeople(day.starts[0]!.at, zone, language));
    return `<section aria-labelledby="day-${index}"><h2 id="day-${index}">${title}</h2><ul class="times">${buttons.join('')}</ul></section>`;
  });
  return `<div id="starts">${sections.join('\n')}</div>`;
}

export function reschedulePage(view: AppointmentView, days: DayStarts[], windowDays: number): RenderedPage {
  const s = pageStrings(view.language);
  if (view.cancelled) {
    const body = [heading(s.cannotMoveTitle), details(view, s), paragraph(s.cannotMove)].join('\n');
    return { status: 200, html: layout({ lang: view.language, title: s.cannotMoveTitle, body }) };
  }
  const offered = days.filter((day) => day.starts.length > 0);
  if (offered.length === 0) {
    const body = [heading(s.rescheduleTitle), details(view, s), paragraph(s.noStarts(windowDays))].join('\n');
    return { status: 200, html: layout({ lang: view.language, title: s.rescheduleTitle, body }) };
  }
  const body = [
    heading(s.rescheduleTitle),
    details(view, s),
    paragraph(s.rescheduleIntro(windowDays, view.zone)),
    noscript(s),
    dayList(offered, view),
  ].join('\n');
  const html = layout({
    lang: view.language,
    title: s.rescheduleTitle,
    body,
    messages: { ...messages(s, s.rescheduleDone), taken: s.slotTaken },
  });
  return { status: 200, html };
}

/** One page for an unknown appointment and a wrong secret alike, so the two cannot be told apart. */
export function notFoundPage(language: PageLanguage): RenderedPage {
  const s = pageStrings(language);
  const body = [heading(s.notFoundTitle), paragraph(s.notFound)].join('\n');
  return { status: 404, html: layout({ lang: language, title: s.notFoundTitle, body }) };
}

export function tooManyPage(language: PageLanguage, retryAfterSeconds: number): RenderedPage {
  const s = pageStrings(language);
  const body = [heading(s.tooManyTitle), paragraph(s.tooMany(Math.max(1, Math.ceil(retryAfterSeconds / 60))))].join('\n');
  return { status: 429, html: layout({ lang: language, title: s.tooManyTitle, body }), retryAfter: retryAfterSeconds };
}
