// What the attendee's self-service pages show: the appointment behind a secret and, for moving it,
// the starts a reschedule would accept. The lifecycle service checks the secret, so a wrong one
// counts against the address exactly as on the POST routes. Nothing here writes.
import type { SlotSearchService } from '../availability/slot-search.service.ts';
import { AppError } from '../lib/app-error.ts';
import type { Clock } from '../lib/clock.ts';
import { DAY_MS, isValidTimeZone } from '../lib/time.ts';
import type { AppointmentJson } from './appointment.presenter.ts';
import type { AppointmentsService } from './appointments.service.ts';
import type { LifecycleService } from './lifecycle.service.ts';
import type { AppointmentView, DayStarts } from './self-service.pages.ts';
import { pageLanguage } from './self-service.strings.ts';
import { seatView } from './group/seat-view.ts';

/** How far ahead the reschedule page looks, and how many starts it lists at most. */
export const RESCHEDULE_WINDOW_DAYS = 14;
export const MAX_LISTED_STARTS = 300;

export type SelfServiceService = ReturnType<typeof createSelfServiceService>;

export function createSelfServiceService(deps: {
  clock: Clock;
  lifecycle: Pick<LifecycleService, 'bySecret'>;
  appointments: Pick<AppointmentsService, 'get'>;
  slotSearch: Pick<SlotSearchService, 'search'>;
}) {
  const { clock, lifecycle, appointments, slotSearch } = deps;

  async function open(id: string, secret: string, address: string) {
    const { companyId, actor } = await lifecycle.bySecret(id, secret, address);
    // A group attendee sees their own seat only.
    return { companyId, appointment: seatView(await appointments.get(companyId, id), actor.seat) };
  }

  async function forCancel(id: string, secret: string, address: string): Promise<AppointmentView> {
    return viewOf((await open(id, secret, address)).appointment);
  }

  async function forReschedule(id: string, secret: string, address: string): Promise<{ view: AppointmentView; days: DayStarts[] }> {
    const { companyId, appointment } = await open(id, secret, address);
    const view = viewOf(appointment);
    return { view, days: view.cancelled ? [] : await startsFor(companyId, appointment, view.zone) };
  }

  /** Exactly the question POST /booking/confirm/reschedule/ asks of each start, over the window. */
  async function startsFor(companyId: string, a: AppointmentJson, zone: string): Promise<DayStarts[]> {
    const now = clock.now().getTime();
    const duration = Math.round((Date.parse(a.end) - Date.parse(a.start)) / 60_000);
    try {
      const found = await slotSearch.search(companyId, {
        meetingTypeId: a.meetingTypeId,
        hostIds: a.hostIds,
        calculationMethod: 'everyone',
        existingAppointmentId: a.id,
        start: new Date(now).toISOString(),
        end: new Date(now + RESCHEDULE_WINDOW_DAYS * DAY_MS).toISOString(),
        timezone: zone,
        ...(duration === a.meetingType.duration ? {} : { meetingDuration: duration }),
      });
      return capped(found.dates);
    } catch (error) {
      // The meeting type or a host is gone, or this length is no longer offered: no start would be accepted.
      if (error instanceof AppError && (error.code === 'not_found' || error.details.errors?.[0]?.field === 'meetingDuration')) {
        return [];
      }
      throw error;
    }
  }

  return { forCancel, forReschedule };
}

function capped(dates: { date: string; spots: { startTime: string }[] }[]): DayStarts[] {
  const days: DayStarts[] = [];
  let left = MAX_LISTED_STARTS;
  for (const { date, spots } of dates) {
    if (left <= 0) break;
    const starts = spots.slice(0, left).map((spot) => ({ value: spot.startTime, at: Date.parse(spot.startTime) }));
    left -= starts.length;
    days.push({ date, starts });
  }
  return days;
}

/** As the emails do: the attendee's zone and language, else UTC and English. */
function viewOf(a: AppointmentJson): AppointmentView {
  const attendee = a.attendees[0];
  const zone = attendee?.timezone && isValidTimeZone(attendee.timezone) ? attendee.timezone : 'UTC';
  const name = (a.meetingInfo as { name?: unknown }).name;
  return {
    title: typeof name === 'string' && name ? name : a.meetingType.name,
    start: Date.parse(a.start),
    end: Date.parse(a.end),
    hostNames: a.hosts.map((host) => host.fullName || host.email),
    attendeeName: attendee?.fullname ?? '',
    zone,
    language: pageLanguage(attendee?.language),
    cancelled: a.isCancelled,
  };
}
