// What the public pages do, through the same services the API uses: slot search for the
// calendar, the booking service to book, the lifecycle service to move. A slug resolves to one
// host; everything after that is scoped to the host's company, and an unknown slug, a disabled
// or deleted meeting type and another company's appointment all end in the same `not_found`.
import type { SlotSearchService } from '../availability/slot-search.service.ts';
import { allowedDurations } from '../availability/slot-search.input.ts';
import type { AppointmentsService } from '../bookings/appointments.service.ts';
import type { BookingResult } from '../bookings/booking.outcome.ts';
import type { BookingService } from '../bookings/booking.service.ts';
import type { LifecycleService } from '../bookings/lifecycle.service.ts';
import type { SecretGuard } from '../bookings/secret-guard.ts';
import type { Db } from '../db/database.ts';
import { AppError, notFound } from '../lib/app-error.ts';
import type { Clock } from '../lib/clock.ts';
import { isUuid } from '../lib/ids.ts';
import { hashSecret } from '../lib/secrets.ts';
import { normalizeEmail } from '../lib/text.ts';
import { dateInZone } from '../lib/time.ts';
import type { MeetingTypeRow } from '../meeting-types/meeting-types.repo.ts';
import type { DayStarts } from './pages.booking-view.ts';
import { type TeamTypeRow, findTeamType, teamPagePath } from '../queues/team-url.ts';
import { type ProvisionalAnswer, provisionalAnswer, startOfSpot } from './pages.answers.ts';
import * as repo from './pages.repo.ts';
import { seatView } from '../bookings/group/seat-view.ts';

export type PagesService = ReturnType<typeof createPagesService>;

export interface PageTarget {
  /** The single host; for a team type its owner (the company, and the zone a first visit shows). */
  host: repo.PageHost;
  type: MeetingTypeRow;
  /** The page's own path (no base): `/{user}/{type}` or `/team/{team}/{type}`. */
  path: string;
  /** A team type: its queue picks the host(s) server-side, the page shows the team's name. */
  team: { queueId: string; name: string; collective: boolean } | null;
}

/** Whom the page says the meeting is with: the team for team types, else the host. */
export const pageHostName = (t: PageTarget) => t.team?.name ?? `${t.host.given_name} ${t.host.family_name}`.trim();

export interface PageBookingInput {
  start: string;
  duration: number;
  zone: string;
  language: string;
  name: string;
  email: string;
  phone?: string;
  guests: string[];
  notes?: string;
  /** A one-time link's id, already checked to belong to this meeting type. */
  oneTimeLinkId?: string;
}

/**
 * The outcome decides the confirmation screen. Today every page booking is `booked`; provisional
 * (double opt-in, host approval) bookings will add `{ kind: 'pending', provisionalBookingId }`.
 */
export type PageOutcome = { kind: 'booked'; result: BookingResult } | { kind: 'pending'; pending: ProvisionalAnswer };

/** Months ahead the calendar pages to at most. */
export const MAX_MONTHS_AHEAD = 12;

export function createPagesService(deps: {
  db: Db;
  clock: Clock;
  slotSearch: Pick<SlotSearchService, 'search'>;
  booking: Pick<BookingService, 'book'>;
  lifecycle: Pick<LifecycleService, 'reschedule' | 'bySecret' | 'rescheduleWithSecret' | 'cancelWithSecret'>;
  appointments: Pick<AppointmentsService, 'get'>;
  secretGuard: SecretGuard;
}) {
  const { db, clock, slotSearch, booking, lifecycle, appointments, secretGuard } = deps;

  async function host(slug: string): Promise<repo.PageHost> {
    const found = await repo.findHostBySlug(db, slug);
    if (!found) throw notFound('Page');
    return found;
  }

  async function enabledTypes(found: repo.PageHost): Promise<MeetingTypeRow[]> {
    return (await repo.hostMeetingTypes(db, found)).filter((t) => t.enabled);
  }

  /** A team type reached through its owner's slug is still booked through its queue. */
  async function target(userSlug: string, typeSlug: string): Promise<PageTarget> {
    const found = await host(userSlug);
    const type = (await repo.hostMeetingTypes(db, found, typeSlug))[0];
    if (!type?.enabled) throw notFound('Page');
    const teamType = await findTeamType(db, { companyId: type.company_id, id: type.id });
    return teamType ? teamTargetOf(teamType, found) : { host: found, type, path: `/${found.slug}/${type.slug}`, team: null };
  }

  /** `/team/{teamSlug}/{segment}`: the segment is the type's slug, or its id when the slug is shared. */
  async function teamTarget(teamSlug: string, segment: string): Promise<PageTarget> {
    const found = await findTeamType(db, isUuid(segment) ? { teamSlug, id: segment } : { teamSlug, slug: segment });
    if (!found?.meetingType.enabled) throw notFound('Page');
    const owner = await repo.findHostById(db, found.meetingType.company_id, found.meetingType.user_id);
    if (!owner) throw notFound('Page');
    return teamTargetOf(found, owner);
  }

  async function teamTargetOf(found: TeamTypeRow, owner: repo.PageHost): Promise<PageTarget> {
    const type = found.meetingType;
    const path = (await teamPagePath(db, type.company_id, type)) ?? `/team/${found.teamSlug}/${type.id}`;
    return { host: owner, type, path, team: { queueId: found.queueId, name: found.teamName, collective: found.collective } };
  }

  const thisMonth = (zone: string) => dateInZone(clock.now().getTime(), zone).slice(0, 7);

  /** The free starts of one month in `zone`, grouped by local day. */
  async function month(t: PageTarget, input: { month: string; zone: string; duration: number; excludeId?: string }): Promise<DayStarts[]> {
    const [year, m] = input.month.split('-').map(Number) as [number, number];
    const last = new Date(Date.UTC(year, m, 0)).getUTCDate();
    const found = await slotSearch.search(t.host.company_id, {
      meetingTypeId: t.type.id,
      // A team type: no hosts named, so the search takes the queue's members (union or intersection).
      hostIds: t.team ? [] : [t.host.id],
      ...(t.team ? { queueId: t.team.queueId } : {}),
      start: `${input.month}-01`,
      end: `${input.month}-${String(last).padStart(2, '0')}`,
      timezone: input.zone,
      ...(input.duration === t.type.duration ? {} : { meetingDuration: input.duration }),
      ...(input.excludeId ? { existingAppointmentId: input.excludeId } : {}),
    });
    return found.dates.map(({ date, spots }) => ({ date, starts: spots.map(startOfSpot) }));
  }

  async function book(t: PageTarget, input: PageBookingInput): Promise<PageOutcome> {
    const [firstname, ...rest] = input.name.trim().split(/\s+/);
    const request = {
      meetingTypeId: t.type.id,
      start: input.start,
      // A team type: the queue picks the host(s) under its lock, as for POST /v4/booking without hostIds.
      hostIds: t.team ? [] : [t.host.id],
      duration: input.duration,
      attendee: {
        email: input.email,
        fullname: input.name.trim(),
        firstname: firstname ?? null,
        lastname: rest.join(' ') || null,
        phone: input.phone ?? null,
        timezone: input.zone,
        language: input.language,
        bringalongEmails: input.guests,
        notes: input.notes ? { message: input.notes } : null,
      },
    };
    if (!input.oneTimeLinkId) return outcomeOf((await booking.book(t.host.company_id, request)).body);
    // Claim first: the conditional update lets exactly one booking through; a failed booking gives
    // the link back. (A crash between the two leaves the link used, never used twice.)
    const claimedAt = clock.now();
    if (!(await repo.claimOneTimeLink(db, input.oneTimeLinkId, claimedAt))) throw new AppError('conflict', 'This one-time link has been used');
    try {
      const outcome = outcomeOf((await booking.book(t.host.company_id, request)).body);
      // A provisional booking has no appointment yet: the link stays used without one.
      if (outcome.kind === 'booked') await repo.recordOneTimeBooking(db, input.oneTimeLinkId, outcome.result.appointmentId);
      return outcome;
    } catch (error) {
      await repo.releaseOneTimeLink(db, input.oneTimeLinkId, claimedAt);
      throw error;
    }
  }

  /**
   * Seed 000's reschedule link carries only the appointment id and the attendee's email. Both must
   * match an active appointment of this very meeting type; every miss counts against the address
   * like a wrong self-service secret (10 misses → 15 minutes of 429), so ids cannot be probed.
   */
  async function appointmentByEmail(t: PageTarget, id: string, email: string, address: string) {
    secretGuard.check(address);
    const appointment = isUuid(id) ? await appointments.get(t.host.company_id, id).catch(() => undefined) : undefined;
    const matches =
      appointment !== undefined &&
      !appointment.isCancelled &&
      appointment.meetingTypeId === t.type.id &&
      appointment.attendees.some((a) => a.email === normalizeEmail(email));
    if (!matches) {
      secretGuard.recordFailure(address);
      throw notFound('Appointment');
    }
    return appointment;
  }

  async function moveByEmail(t: PageTarget, id: string, email: string, address: string, start: string) {
    await appointmentByEmail(t, id, email, address);
    return lifecycle.reschedule(t.host.company_id, id, { start }, { source: 'attendee' });
  }

  /** The confirmation's and emails' secret, as the self-service pages take it, on this page's calendar. */
  async function appointmentBySecret(t: PageTarget, id: string, secret: string, address: string) {
    const { companyId, actor } = await lifecycle.bySecret(id, secret, address);
    const appointment = companyId === t.host.company_id ? seatView(await appointments.get(companyId, id), actor.seat) : undefined;
    if (!appointment || appointment.isCancelled || appointment.meetingTypeId !== t.type.id) throw notFound('Appointment');
    return appointment;
  }

  const moveBySecret = (id: string, secret: string, address: string, start: string) => lifecycle.rescheduleWithSecret(id, secret, address, { start });

  const oneTimeLink = (token: string) => repo.findOneTimeLink(db, hashSecret(token));

  /** The appointment behind an email link's secret (a wrong one counts against the address). Reads only. */
  async function bySecret(id: string, secret: string, address: string) {
    const { companyId } = await lifecycle.bySecret(id, secret, address);
    return appointments.get(companyId, id);
  }

  /** The page a meeting type is booked on, or undefined when it is disabled or gone. */
  async function pagePathOf(companyId: string, meetingTypeId: string): Promise<string | undefined> {
    const type = await repo.liveMeetingType(db, companyId, meetingTypeId);
    if (!type?.enabled) return undefined;
    return (await teamPagePath(db, companyId, type)) ?? `/${type.owner_slug}/${type.slug}`;
  }

  const cancelBySecret = (id: string, secret: string, address: string, reason: string | undefined) =>
    lifecycle.cancelWithSecret(id, secret, address, { reason: reason || null });

  return {
    host,
    enabledTypes,
    target,
    teamTarget,
    thisMonth,
    month,
    book,
    appointmentByEmail,
    moveByEmail,
    appointmentBySecret,
    moveBySecret,
    bySecret,
    pagePathOf,
    cancelBySecret,
    oneTimeLink,
    durationsOf: (type: MeetingTypeRow) => [...new Set(allowedDurations(type))].sort((a, b) => a - b),
    personalPage: (userId: string) => repo.readPersonalPage(db, userId),
    /** The page paths of those of `types` that are team types. */
    teamPaths: async (types: MeetingTypeRow[]) => {
      const paths = await Promise.all(types.map(async (t) => [t.id, await teamPagePath(db, t.company_id, t)] as const));
      return new Map(paths.filter((p): p is readonly [string, string] => p[1] !== undefined));
    },
  };
}

/** A plain booking, or (double opt-in / host approval, issue 12) the provisional answer. */
// `unknown`: issue 12 widens the booking outcome's body; whatever it becomes, this reads it.
function outcomeOf(body: unknown): PageOutcome {
  const pending = provisionalAnswer(body);
  return pending ? { kind: 'pending', pending } : { kind: 'booked', result: body as BookingResult };
}
