// A page's form, posted: book (or, from seed 000's link, move) the chosen start through the same
// services as the API, then the confirmation, a redirect (meetingInfo.enableRedirect), or the
// page again — with the errors, or with the calendar and a friendly word when the start was taken.
import { AppError } from '../lib/app-error.ts';
import { isValidEmail } from '../lib/text.ts';
import { bookingPage, withZone } from './pages.booking-view.ts';
import type { Answer, PageRequest, Query, createPageHandlers } from './pages.handlers.ts';
import { redirectOrigins, validEmails } from './pages.handlers.ts';
import type { PageTarget, PagesService } from './pages.service.ts';
import { pageHostName } from './pages.service.ts';
import { pendingAnswer } from './pages.pending.ts';
import { type PageContext, confirmationPage } from './pages.view.ts';

const FIELDS = ['start', 'duration', 'tz', 'lang', 'embed', 'once', 'reschedule', 'secret', 'email', 'name', 'phone', 'guests', 'notes'];

export function createPageSubmit(deps: { pages: PagesService; handlers: ReturnType<typeof createPageHandlers> }) {
  const { pages, handlers } = deps;

  async function submit(req: PageRequest, body: Query, resolve: () => Promise<PageTarget>): Promise<Answer & { companyId?: string }> {
    const t = await resolve();
    const form: Query = {};
    for (const key of FIELDS) if (typeof body[key] === 'string') form[key] = body[key];
    // The form repeats the page's query in hidden fields; the day and month follow from the start.
    const start = form.start ?? '';
    const { name: _n, email: _e, phone: _p, guests: _g, notes: _x, ...choices } = form;
    const query: Query = { ...req.query, ...choices, date: start.slice(0, 10), month: start.slice(0, 7) };
    if (choices.reschedule) query.email = form.email;
    const ctx = handlers.context({ ...req, query }, t.host.timezone);
    const checked = await handlers.access({ ...req, query }, t, ctx);
    if (checked.stop) return { page: checked.stop, ctx };
    const cal = await handlers.calendarView({ ...req, query }, t, ctx, checked.moving ?? null);
    const base = { ...handlers.view(t, t.path, cal), moving: checked.moving ?? null, values: form };
    const again = (notice: string | null, errors: string[], status: number): Answer => {
      const v = errors.length > 0 ? { ...base, errors } : { ...base, start: null, notice };
      return { page: { ...bookingPage(ctx, withZone(v, ctx.zone)), status, data: { zone: ctx.zone }, formTargets: redirectOrigins(t) }, ctx };
    };
    if (checked.notice) return again(checked.notice, [], 404);
    if (!cal.start) return again(ctx.s.slotTaken, [], 409);

    const errors = checked.moving ? [] : problems(form, base.askPhone, base.allowGuests, ctx);
    if (errors.length > 0) return again(null, errors, 400);
    try {
      if (checked.moving) {
        const { id, secret, email } = checked.moving;
        const moved = secret
          ? await pages.moveBySecret(id, secret, req.address, cal.start.value)
          : await pages.moveByEmail(t, id, email, req.address, cal.start.value);
        const a = moved.appointment;
        const answer = confirm(ctx, t, { appointmentId: a.id, secret: moved.secret, start: a.start, end: a.end, email: checked.moving.email }, true);
        return { ...answer, companyId: t.host.company_id };
      }
      const outcome = await pages.book(t, {
        start: cal.start.value,
        duration: cal.duration,
        zone: ctx.zone,
        language: ctx.lang,
        name: form.name!.trim(),
        email: form.email!.trim(),
        phone: form.phone?.trim() || undefined,
        guests: validEmails(form.guests ?? '') ?? [],
        notes: form.notes?.trim() || undefined,
        oneTimeLinkId: checked.oneTimeLinkId,
      });
      if (outcome.kind === 'pending') {
        const pending = { ...outcome.pending, start: cal.start.value, duration: cal.duration, email: form.email!.trim() };
        return { ...pendingAnswer(ctx, t, pending), companyId: t.host.company_id };
      }
      const r = outcome.result;
      const info = t.type.meeting_info as { enableRedirect?: unknown; redirect?: unknown; passEventDetailsToRedirect?: unknown };
      const redirect = redirectTarget(info, { appointmentId: r.appointmentId, start: r.start, end: r.end, email: form.email!.trim(), name: form.name!.trim() });
      if (redirect) return { redirect, companyId: t.host.company_id };
      const answer = confirm(ctx, t, { appointmentId: r.appointmentId, secret: r.secret, start: r.start, end: r.end, email: form.email!.trim() }, false);
      return { ...answer, companyId: t.host.company_id };
    } catch (error) {
      if (error instanceof AppError && error.code === 'slot_unavailable') return { ...again(ctx.s.slotTaken, [], 409), companyId: t.host.company_id };
      if (error instanceof AppError && error.code === 'conflict' && checked.oneTimeLinkId) return handlers.usedAnswer(ctx);
      if (error instanceof AppError && error.code === 'validation_failed') return again(null, [error.message], 400);
      throw error;
    }
  }

  function confirm(ctx: PageContext, t: PageTarget, b: { appointmentId: string; secret: string; start: string; end: string; email: string }, moved: boolean): Answer {
    const id = encodeURIComponent(b.appointmentId);
    const secret = encodeURIComponent(b.secret);
    const info = t.type.meeting_info as { name?: string };
    const page = confirmationPage(ctx, {
      moved,
      title: info.name ?? t.type.name,
      start: Date.parse(b.start),
      end: Date.parse(b.end),
      hostName: pageHostName(t),
      attendeeEmail: b.email,
      icsUrl: `${ctx.base}/booking/confirm/ics/${id}/${secret}`,
      cancelUrl: `${ctx.base}/booking/confirm/cancel/${id}/${secret}`,
      // Moving happens on this same calendar, with the old time shown.
      rescheduleUrl: `${ctx.base}${t.path}?reschedule=${id}&secret=${secret}${ctx.lang !== 'en' ? `&lang=${ctx.lang}` : ''}${ctx.embed ? '&embed=1' : ''}`,
      message: { appointmentId: b.appointmentId, secret: b.secret, attendeeEmail: b.email, startTime: b.start, endTime: b.end },
    });
    return { page, ctx };
  }

  return { submit };
}

function problems(form: Query, askPhone: boolean, allowGuests: boolean, ctx: PageContext): string[] {
  const s = ctx.s;
  const list: string[] = [];
  if (!form.name?.trim()) list.push(s.name);
  if (!form.email || !isValidEmail(form.email.trim())) list.push(s.email);
  if (askPhone && !form.phone?.trim()) list.push(s.phone);
  if (allowGuests && form.guests?.trim() && !validEmails(form.guests)) list.push(s.guests);
  return list;
}

/** meetingInfo.redirect when enabled and http(s); with passEventDetailsToRedirect the booking rides along. */
export function redirectTarget(
  info: { enableRedirect?: unknown; redirect?: unknown; passEventDetailsToRedirect?: unknown },
  b: { appointmentId: string; start: string; end: string; email: string; name: string },
): string | undefined {
  if (info.enableRedirect !== true || typeof info.redirect !== 'string') return undefined;
  let url: URL;
  try {
    url = new URL(info.redirect);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (info.passEventDetailsToRedirect === true) {
    url.searchParams.set('appointmentId', b.appointmentId);
    url.searchParams.set('start', b.start);
    url.searchParams.set('end', b.end);
    url.searchParams.set('attendeeEmail', b.email);
    url.searchParams.set('attendeeName', b.name);
  }
  return url.toString();
}
