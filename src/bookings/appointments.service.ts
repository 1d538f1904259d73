// Reading appointments (one, its ICS, pages, today) and the small edits that do not move them:
// host note, guests, attendee no-show. Everything is scoped to the caller's company.
import type { Db, Tx } from '../db/database.ts';
import { inTransaction } from '../db/transaction.ts';
import { AppError, invalidField, notFound } from '../lib/app-error.ts';
import type { Clock } from '../lib/clock.ts';
import { isUuid } from '../lib/ids.ts';
import { normalizeEmail } from '../lib/text.ts';
import { listedHost, type Viewer } from '../lib/viewer.ts';
import { DAY_MS, isValidTimeZone, parseInstant, wallOfDate, zoneRules } from '../lib/time.ts';
import type { AppointmentJson, AppointmentPresenter } from './appointment.presenter.ts';
import { type AppointmentFilter, listAppointments } from './appointments.list.repo.ts';
import * as appointments from './appointments.repo.ts';
import * as attendees from './attendees.repo.ts';
import { MAX_GUESTS, guestList } from './booking.rules.ts';

export interface ListQuery {
  page?: number;
  pageSize?: number;
  limit?: number;
  userId?: string;
  startDate?: string;
  endDate?: string;
  start?: string;
  end?: string;
  meetingTypeId?: string;
  seriesId?: string;
  status?: 'upcoming' | 'past' | 'cancelled' | 'confirmed';
  timezone?: string;
  search?: string;
  sortBy?: 'appointment.start' | 'appointment.createdAt';
  sortDirection?: 'asc' | 'desc' | 'ASC' | 'DESC';
}

export const DEFAULT_PAGE_SIZE = 20;

export type AppointmentsService = ReturnType<typeof createAppointmentsService>;

export function createAppointmentsService(deps: { db: Db; clock: Clock; presenter: AppointmentPresenter }) {
  const { db, clock, presenter } = deps;

  async function requireRow(executor: Db | Tx, companyId: string, id: string) {
    const row = isUuid(id) ? await appointments.findAppointment(executor, companyId, id) : undefined;
    if (!row) throw notFound('Appointment');
    return row;
  }

  async function get(companyId: string, id: string): Promise<AppointmentJson> {
    return presenter.presentOne(db, await requireRow(db, companyId, id));
  }

  /**
   * Whose appointments: `lib/viewer.ts` (the provisional-booking listing's rule too). `zone` reads
   * dates in the list filters: the query's, else the acting user's, else UTC.
   */
  async function list(companyId: string, query: ListQuery, viewer: Viewer & { timezone?: string }) {
    const zone = requireZone(query.timezone ?? viewer.timezone ?? 'UTC');
    const pageSize = query.pageSize ?? query.limit ?? DEFAULT_PAGE_SIZE;
    optionalUuid('userId', query.userId);
    const filter: AppointmentFilter = {
      companyId,
      now: clock.now(),
      ...optionalUuid('userId', listedHost(viewer, { userId: query.userId })),
      ...optionalUuid('meetingTypeId', query.meetingTypeId),
      ...optionalUuid('seriesId', query.seriesId),
      ...(query.status ? { status: query.status === 'confirmed' ? 'active' : query.status } : {}),
      ...(query.search ? { search: query.search } : {}),
    };
    const from = boundary(query.startDate ?? query.start, zone, 0, 'startDate');
    const to = boundary(query.endDate ?? query.end, zone, 1, 'endDate');
    if (from) filter.from = from;
    if (to) filter.to = to;
    const { page, index } = pageOf(query);
    const { rows, total } = await listAppointments(db, filter, {
      limit: pageSize,
      offset: index * pageSize,
      sortBy: query.sortBy === 'appointment.createdAt' ? 'createdAt' : 'start',
      descending: query.sortDirection?.toLowerCase() === 'desc',
    });
    return { appointments: await presenter.present(db, rows), total, page, pageSize };
  }

  /** The acting user's (else the company's) active appointments starting today in their zone. */
  async function today(companyId: string, query: { timezone?: string }, actingUser?: { id: string; timezone: string }) {
    const zone = requireZone(query.timezone ?? actingUser?.timezone ?? 'UTC');
    const now = clock.now();
    const date = zoneRules(zone).dateOf(now.getTime());
    const filter: AppointmentFilter = {
      companyId,
      now,
      status: 'active',
      from: new Date(startOfDayInZone(date, zone, 0)!),
      to: new Date(startOfDayInZone(date, zone, 1)!),
      ...(actingUser ? { userId: actingUser.id } : {}),
    };
    const { rows } = await listAppointments(db, filter, { limit: 500, offset: 0 });
    return presenter.present(db, rows);
  }

  async function setNote(companyId: string, id: string, note: string | null): Promise<AppointmentJson> {
    return inTransaction(db, async (tx) => {
      await requireRow(tx, companyId, id);
      await appointments.updateNote(tx, id, note === null || note.trim() === '' ? null : note, clock.now());
      return presenter.presentOne(tx, await requireRow(tx, companyId, id));
    });
  }

  /** Adds guests to an attendee (the first one unless named); the answer is the appointment. */
  async function addGuests(companyId: string, id: string, emails: string[], attendeeId?: string): Promise<AppointmentJson> {
    const added = guestList(emails, 'guestEmails');
    return editGuests(companyId, id, attendeeId, (current) => {
      const next = [...current, ...added.filter((email) => !current.includes(email))];
      if (next.length > MAX_GUESTS) throw invalidField('guestEmails', `An appointment can have at most ${MAX_GUESTS} guests`);
      return next;
    });
  }

  async function removeGuest(companyId: string, id: string, email: string): Promise<AppointmentJson> {
    const target = normalizeEmail(email);
    return editGuests(companyId, id, undefined, (current, all) => {
      if (!all.some((attendee) => attendee.bringalong_emails.includes(target))) throw notFound('Guest');
      return current.filter((guest) => guest !== target);
    }, target);
  }

  async function editGuests(
    companyId: string,
    id: string,
    attendeeId: string | undefined,
    change: (current: string[], all: attendees.AttendeeRow[]) => string[],
    removing?: string,
  ): Promise<AppointmentJson> {
    return inTransaction(db, async (tx) => {
      const row = await appointments.lockAppointment(tx, companyId, isUuid(id) ? id : '00000000-0000-0000-0000-000000000000');
      if (!row) throw notFound('Appointment');
      if (row.status === 'cancelled') throw new AppError('validation_failed', 'A cancelled appointment cannot be changed');
      const all = await attendees.findAttendees(tx, [id]);
      // Removing works on whichever attendee brought the guest; adding on the named or first one.
      const owner = removing
        ? all.find((attendee) => attendee.bringalong_emails.includes(removing))
        : attendeeId === undefined
          ? all[0]
          : all.find((attendee) => attendee.id === attendeeId);
      if (!owner) throw notFound(removing ? 'Guest' : 'Attendee');
      const now = clock.now();
      await attendees.setGuests(tx, owner.id, change(owner.bringalong_emails, all), now);
      await appointments.touchAppointment(tx, id, now);
      return presenter.presentOne(tx, await requireRow(tx, companyId, id));
    });
  }

  async function setNoShow(companyId: string, attendeeId: string, noShow: boolean) {
    const attendee = isUuid(attendeeId) ? await attendees.findAttendee(db, companyId, attendeeId) : undefined;
    if (!attendee) throw notFound('Attendee');
    await attendees.setNoShow(db, attendee.id, noShow, clock.now());
    return { id: attendee.id, appointmentId: attendee.appointment_id, email: attendee.email, noShow };
  }

  async function ics(companyId: string, id: string): Promise<string> {
    return (await get(companyId, id)).ics;
  }

  return { get, ics, list, today, setNote, addGuests, removeGuest, setNoShow };
}

/**
 * The page as sent and its 0-based index. With `limit` (seed 001, meetergo's contact lists) pages
 * count from 1; otherwise (`pageSize`, as meetergo's own clients page the live API) from 0.
 */
export function pageOf(query: { page?: number; limit?: number }): { page: number; index: number } {
  const oneBased = query.limit !== undefined;
  const page = query.page ?? (oneBased ? 1 : 0);
  return { page, index: oneBased ? Math.max(0, page - 1) : page };
}

function requireZone(zone: string): string {
  if (!isValidTimeZone(zone)) throw invalidField('timezone', `timezone must be a valid IANA time zone (got "${zone}")`);
  return zone;
}

function optionalUuid(field: 'userId' | 'meetingTypeId' | 'seriesId', value: string | undefined) {
  if (value === undefined) return {};
  if (!isUuid(value)) throw invalidField(field, `${field} must be a UUID`);
  return { [field]: value };
}

/** A date (whole day in `zone`; an end date is inclusive) or an ISO instant with offset. */
function boundary(value: string | undefined, zone: string, dayOffset: number, field: string): Date | undefined {
  if (value === undefined || value === '') return undefined;
  const day = startOfDayInZone(value, zone, dayOffset);
  if (day !== undefined) return new Date(day);
  const instant = parseInstant(value);
  if (!instant) throw invalidField(field, `${field} must be a date (YYYY-MM-DD) or an ISO 8601 date-time with an offset`);
  // An end instant is inclusive, like an end date.
  return dayOffset > 0 ? new Date(instant.getTime() + 1) : instant;
}

/** The first instant of a calendar date (plus `addDays`) in `zone`; undefined when not a date. */
function startOfDayInZone(date: string, zone: string, addDays: number): number | undefined {
  const wall = wallOfDate(date);
  return wall === undefined ? undefined : zoneRules(zone).boundAt(wall + addDays * DAY_MS, 'earlier');
}
