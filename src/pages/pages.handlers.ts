// The public pages' request handling between the routes and the pure views: reads the query
// (zone, language, month, day, start, duration, one-time link, seed 000's reschedule link), asks
// the pages service, and picks the page. No Fastify here; the routes pass plain values in.
import { AppError } from '../lib/app-error.ts';
import { isValidEmail } from '../lib/text.ts';
import { isValidTimeZone } from '../lib/time.ts';
import { type BookingPageView, bookingPage, withZone } from './pages.booking-view.ts';
import type { PagesService, PageTarget } from './pages.service.ts';
import { MAX_MONTHS_AHEAD, pageHostName } from './pages.service.ts';
import { type PageLanguage, stringsFor } from './pages.strings.ts';
import { type Page, type PageContext, notFoundPage, personalPage, usedLinkPage } from './pages.view.ts';
import { personalPageSettings } from './page-settings.service.ts';

export type Query = Record<string, string | undefined>;

/** The appointment a page moves, and how the visitor proved it is theirs. */
export interface Moving {
  id: string;
  email: string;
  secret?: string;
  start: number;
}

export interface PageRequest {
  query: Query;
  language: PageLanguage;
  address: string;
  base: string;
}

/** A page, or a redirect after booking (meetingInfo.enableRedirect). */
export type Answer = { page: Page; ctx: PageContext } | { redirect: string };

const ZONES = [...new Set(['UTC', ...Intl.supportedValuesOf('timeZone')])];

function context(req: PageRequest, hostZone: string): PageContext & { detectZone: boolean } {
  const lang = req.query.lang === 'de' || req.query.lang === 'en' ? req.query.lang : req.language;
  const asked = req.query.tz && isValidTimeZone(req.query.tz) ? req.query.tz : undefined;
  const zone = asked ?? hostZone;
  // A zone travels on links only once chosen (or detected by the script): a first visit renders
  // the host's zone and lets the script swap in the visitor's.
  const keep: Record<string, string> = asked ? { tz: zone } : {};
  if (req.query.lang === lang) keep.lang = lang;
  if (req.query.embed === '1') keep.embed = '1';
  if (req.query.once) keep.once = req.query.once;
  // Seed 000's reschedule link: `email` belongs to it only next to `reschedule`.
  if (req.query.reschedule) {
    keep.reschedule = req.query.reschedule;
    if (req.query.secret) keep.secret = req.query.secret;
    else keep.email = req.query.email ?? '';
  }
  return { lang, s: stringsFor(lang), base: req.base, zone, embed: keep.embed === '1', keep, detectZone: !asked };
}

const addMonths = (month: string, n: number) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
};

export function createPageHandlers(deps: { pages: PagesService; publicUrl: string }) {
  const { pages } = deps;

  async function personal(req: PageRequest, slug: string): Promise<Answer> {
    const host = await pages.host(slug);
    const ctx = context(req, host.timezone);
    const settings = personalPageSettings(await pages.personalPage(host.id));
    const order = settings.meetingTypeOrder;
    const types = (await pages.enabledTypes(host)).sort((a, b) => rank(order, a.id) - rank(order, b.id));
    // The host's team types link to their team page, where the queue picks the host.
    const paths = await pages.teamPaths(types);
    const page = personalPage(
      ctx,
      {
        hostName: `${host.given_name} ${host.family_name}`.trim(),
        description: settings.description,
        headerImage: settings.headerImage,
        types: types.map((t) => ({
          name: (t.meeting_info as { name?: string }).name ?? t.name,
          description: t.description,
          durations: pages.durationsOf(t),
          path: paths.get(t.id) ?? `/${host.slug}/${t.slug}`,
        })),
      },
      `/${host.slug}`,
    );
    const brand = settings.useCustomColors && settings.primaryColor ? `:root{--brand:${settings.primaryColor}}` : '';
    return { page: { ...page, style: brand }, ctx };
  }

  /** The one-time link and the appointment being moved, both checked; or the page that says why not. */
  async function access(req: PageRequest, t: PageTarget, ctx: PageContext) {
    let oneTimeLinkId: string | undefined;
    if (req.query.once) {
      const found = await pages.oneTimeLink(req.query.once);
      if (!found || found.meeting_type_id !== t.type.id) return { stop: notFoundPage(ctx.lang) };
      if (found.used_at) return { stop: usedLinkPage(ctx.lang) };
      oneTimeLinkId = found.id;
    }
    let moving: Moving | null = null;
    if (req.query.reschedule) {
      const { reschedule: id, secret } = req.query;
      const email = req.query.email ?? '';
      // With the secret of the confirmation or an email; else seed 000's id + attendee email.
      const found = secret ? pages.appointmentBySecret(t, id, secret, req.address) : pages.appointmentByEmail(t, id, email, req.address);
      const appointment = await found.catch((error: unknown) => {
        if (error instanceof AppError && error.code === 'not_found') return undefined;
        throw error;
      });
      if (!appointment) return { notice: ctx.s.badReschedule, oneTimeLinkId };
      moving = { id: appointment.id, email: appointment.attendees[0]?.email ?? email, secret, start: Date.parse(appointment.start) };
    }
    return { oneTimeLinkId, moving };
  }

  async function calendarView(req: PageRequest, t: PageTarget, ctx: PageContext, moving: { id: string } | null) {
    const durations = pages.durationsOf(t.type);
    const asked = Number(req.query.duration);
    const duration = durations.includes(asked) ? asked : t.type.duration;
    const first = pages.thisMonth(ctx.zone);
    const last = addMonths(first, MAX_MONTHS_AHEAD);
    const wanted = req.query.month && /^\d{4}-\d{2}$/.test(req.query.month) ? req.query.month : undefined;
    let month = wanted && wanted >= first && wanted <= last ? wanted : first;
    const search = (m: string) => pages.month(t, { month: m, zone: ctx.zone, duration, excludeId: moving?.id });
    let days = await search(month);
    // Late in a month with nothing left, open on the next one rather than an empty calendar.
    if (!wanted && days.length === 0) {
      month = addMonths(first, 1);
      days = await search(month);
    }
    const date = req.query.date?.startsWith(`${month}-`) ? req.query.date : (days[0]?.date ?? null);
    const start = req.query.start ? (days.find((d) => d.date === date)?.starts.find((s) => s.value === req.query.start) ?? null) : null;
    if (duration !== t.type.duration) ctx.keep.duration = String(duration);
    return { durations, duration, month, prevMonth: month > first ? addMonths(month, -1) : null, nextMonth: month < last ? addMonths(month, 1) : null, days, date, start };
  }

  function view(t: PageTarget, path: string, cal: Awaited<ReturnType<typeof calendarView>>): BookingPageView {
    const info = t.type.meeting_info as { name?: string };
    const options = t.type.meeting_options as { allowAddingGuests?: boolean };
    return {
      path,
      hostName: pageHostName(t),
      title: info.name ?? t.type.name,
      description: t.type.description,
      ...cal,
      askPhone: t.type.channel === 'phone',
      allowGuests: options.allowAddingGuests === true,
      moving: null,
      notice: null,
      errors: [],
      values: {},
      zones: ZONES,
    };
  }

  /** A meeting type's page, single-host or team: `resolve` finds the target from the address. */
  async function meetingType(req: PageRequest, resolve: () => Promise<PageTarget>): Promise<Answer> {
    const t = await resolve();
    const ctx = context(req, t.host.timezone);
    const checked = await access(req, t, ctx);
    if (checked.stop) return { page: checked.stop, ctx };
    const cal = await calendarView(req, t, ctx, checked.moving ?? null);
    const v = { ...view(t, t.path, cal), moving: checked.moving ?? null, notice: checked.notice ?? null };
    const page = bookingPage(ctx, withZone(v, ctx.zone));
    const data = { zone: ctx.zone, ...(ctx.detectZone && !v.start ? { 'detect-zone': '' } : {}) };
    return { page: { ...page, status: 200, data, formTargets: redirectOrigins(t) }, ctx };
  }

  const usedAnswer = (ctx: PageContext): Answer => ({ page: usedLinkPage(ctx.lang), ctx });

  return { personal, meetingType, access, calendarView, view, context, usedAnswer };
}

/** A form whose answer redirects (meetingInfo.redirect) must be allowed to go there (CSP form-action). */
export function redirectOrigins(t: PageTarget): string[] {
  const info = t.type.meeting_info as { enableRedirect?: unknown; redirect?: unknown };
  if (info.enableRedirect !== true || typeof info.redirect !== 'string') return [];
  try {
    const url = new URL(info.redirect);
    return url.protocol === 'https:' || url.protocol === 'http:' ? [url.origin] : [];
  } catch {
    return [];
  }
}

function rank(order: string[], id: string): number {
  const index = order.indexOf(id);
  return index === -1 ? order.length : index;
}

export function validEmails(raw: string): string[] | undefined {
  const list = raw.split(/[,;\s]+/).map((e) => e.trim()).filter(Boolean);
  return list.length <= 10 && list.every(isValidEmail) ? list : undefined;
}

