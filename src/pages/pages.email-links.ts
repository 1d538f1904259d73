// The links in attendees' emails, on the booking pages' look and flows:
// - `GET /booking/confirm/reschedule/{id}/{secret}` sends the attendee to the meeting type's own
//   page (single host or team) with `?reschedule={id}&secret=…`: the same month calendar, the old
//   time shown, the move posted there and done by the lifecycle service (pages.submit.ts);
// - `GET /booking/confirm/cancel/{id}/{secret}` shows the appointment and a form with a reason,
//   posted to `…/{secret}/page`, which cancels through the lifecycle service.
// Opening either link only reads (a wrong secret counts against the address, as on the API).
// Times are in the attendee's zone and language, as in the emails, unless the visitor switches.
import { AppError } from '../lib/app-error.ts';
import { escapeHtml as esc } from '../lib/text.ts';
import { isValidTimeZone } from '../lib/time.ts';
import { formatForPeople } from '../lib/time-format.ts';
import type { Answer, PageRequest } from './pages.handlers.ts';
import type { PagesService } from './pages.service.ts';
import { pageLanguage, stringsFor } from './pages.strings.ts';
import { type Page, type PageContext, languageSwitch, link } from './pages.view.ts';

type Appointment = Awaited<ReturnType<PagesService['bySecret']>>;

export function createEmailLinkHandlers(deps: { pages: PagesService }) {
  const { pages } = deps;

  function contextFor(req: PageRequest, a: Appointment): PageContext {
    const attendee = a.attendees[0];
    const lang = req.query.lang === 'de' || req.query.lang === 'en' ? req.query.lang : pageLanguage(attendee?.language ?? req.language);
    const zone = attendee?.timezone && isValidTimeZone(attendee.timezone) ? attendee.timezone : 'UTC';
    return { lang, s: stringsFor(lang), base: req.base, zone, embed: false, keep: req.query.lang === lang ? { lang } : {} };
  }

  async function reschedule(req: PageRequest, id: string, secret: string): Promise<Answer> {
    const a = await pages.bySecret(id, secret, req.address);
    const ctx = contextFor(req, a);
    if (a.isCancelled) return { page: notice(ctx, ctx.s.cancelledTitle, ctx.s.alreadyCancelled, null), ctx };
    const path = await pages.pagePathOf(a.companyId, a.meetingTypeId);
    if (!path) return { page: notice(ctx, ctx.s.notFoundTitle, ctx.s.notFound, null, 404), ctx };
    const query = new URLSearchParams({ reschedule: a.id, secret, tz: ctx.zone, lang: ctx.lang });
    return { redirect: `${ctx.base}${path}?${query.toString()}` };
  }

  async function cancelForm(req: PageRequest, id: string, secret: string, path: string): Promise<Answer> {
    const a = await pages.bySecret(id, secret, req.address);
    const ctx = contextFor(req, a);
    if (a.isCancelled) return { page: notice(ctx, ctx.s.cancelledTitle, ctx.s.alreadyCancelled, await bookAgain(a, ctx)), ctx };
    const s = ctx.s;
    const body = [
      `<div class="top"><span></span>${languageSwitch(ctx, path)}</div>`,
      `<h1>${esc(s.cancelTitle)}</h1>`,
      details(ctx, a),
      `<p>${esc(s.cancelIntro)}</p>`,
      `<form method="post" action="${esc(link(ctx, `${path}/page`))}" id="cancel">`,
      `<label for="reason">${esc(s.reasonLabel)}</label>`,
      '<textarea id="reason" name="reason" rows="3" maxlength="500"></textarea>',
      `<div class="actions"><button type="submit">${esc(s.cancelButton)}</button></div>`,
      '</form>',
    ].join('\n');
    return { page: { status: 200, title: s.cancelTitle, body }, ctx };
  }

  async function cancel(req: PageRequest, id: string, secret: string, reason: string | undefined): Promise<Answer & { companyId?: string }> {
    const a = await pages.bySecret(id, secret, req.address);
    const ctx = contextFor(req, a);
    const again = await bookAgain(a, ctx);
    if (a.isCancelled) return { page: notice(ctx, ctx.s.cancelledTitle, ctx.s.alreadyCancelled, again), ctx };
    try {
      await pages.cancelBySecret(id, secret, req.address, reason?.trim().slice(0, 500));
    } catch (error) {
      // Cancelled meanwhile (another tab, the host): the outcome the attendee wanted.
      if (!(error instanceof AppError && error.code === 'conflict')) throw error;
    }
    return { page: notice(ctx, ctx.s.cancelledTitle, ctx.s.cancelledText, again), ctx, companyId: a.companyId };
  }

  async function bookAgain(a: Appointment, ctx: PageContext): Promise<string | null> {
    const path = await pages.pagePathOf(a.companyId, a.meetingTypeId);
    return path ? link(ctx, path) : null;
  }

  return { reschedule, cancelForm, cancel };
}

function details(ctx: PageContext, a: Appointment): string {
  const s = ctx.s;
  const name = (a.meetingInfo as { name?: unknown }).name;
  const rows: [string, string][] = [
    [s.what, typeof name === 'string' && name ? name : a.meetingType.name],
    [s.when, formatForPeople(Date.parse(a.start), ctx.zone, ctx.lang)],
    [s.duration, s.minutes(Math.round((Date.parse(a.end) - Date.parse(a.start)) / 60_000))],
  ];
  if (a.hosts.length > 0) rows.push([s.host, a.hosts.map((h) => h.fullName || h.email).join(', ')]);
  return `<dl>${rows.map(([t, d]) => `<dt>${esc(t)}</dt><dd>${esc(d)}</dd>`).join('')}</dl>`;
}

function notice(ctx: PageContext, title: string, text: string, again: string | null, status = 200): Page {
  const body = [
    `<h1 id="done" tabindex="-1">${esc(title)}</h1>`,
    `<p>${esc(text)}</p>`,
    again ? `<div class="actions"><a class="button" href="${esc(again)}">${esc(ctx.s.bookAgain)}</a></div>` : '',
  ].join('\n');
  return { status, title, body };
}
