// POST /v4/booking with `recurrence { frequency, count }`: a recurring series. Every occurrence is
// planned exactly like a single booking (the same rules and the same slot oracle, so minimum
// notice, the booking window and busy time apply to each), then all are written in ONE
// transaction — each an appointment of its own under the exclusion constraint — or none. When
// some occurrences are not bookable, the 400 names their dates, so a client can offer another time.
// A race lost to a concurrent booking rolls the whole series back and is answered the same way:
// the occurrences are checked again (the winner has committed by then) and the taken ones named.
// The occurrences share one secret, the series secret: the first occurrence's secret is every
// occurrence's, so the self-service links work for any of them.
import { randomUUID } from 'node:crypto';
import type { BookingView, SlotOracle } from '../availability/slot-oracle.ts';
import type { Db, Tx } from '../db/database.ts';
import { AppError, type FieldError, notFound } from '../lib/app-error.ts';
import type { Clock } from '../lib/clock.ts';
import { isUuid } from '../lib/ids.ts';
import { type Occurrence, expandOccurrences } from '../lib/recurrence.ts';
import { zoneRules } from '../lib/time.ts';
import { RECURRING_WITH_QUEUE, requireSeriesAllowed } from '../meeting-types/recurring-options.ts';
import { type NewSecret, type SecretSealer, newSecret } from './appointment-secrets.ts';
import type { AppointmentPresenter } from './appointment.presenter.ts';
import { SLOT_UNAVAILABLE, rethrowAsSlotError } from './appointments.repo.ts';
import type { BookingPlan } from './booking.plan.ts';
import { insertBooking } from './booking.repo.ts';
import { requireFuture, requireStart } from './booking.rules.ts';
import { type CheckedBooking, planWrite } from './booking.write.ts';
import { type IdempotencyRequest, runIdempotent } from './idempotency.ts';

export interface RecurrenceInput {
  frequency: string;
  count: number;
}

export interface SeriesBody {
  appointmentId: string;
  secret: string;
  seriesId: string;
  appointmentIds: string[];
  id: string;
  start: string;
  end: string;
  meetingLink: string | null;
}

/**
 * What the single-booking service lends a series: its planning. Plans one occurrence exactly as a
 * single booking at `start` (throws `slot_unavailable` when not offered).
 */
export type PlanOccurrence = (start: string, now: Date) => Promise<CheckedBooking>;

export interface SeriesRequest {
  meetingTypeId: string;
  start: string;
  hostIds?: string[];
  queueId?: string | null;
  rescheduledFromId?: string | null;
  skipNotifications?: boolean;
  recurrence: RecurrenceInput;
}

/** Occurrences planned at once: each is one read, so PostgreSQL's pool serves several together. */
const PLANNING_WIDTH = 4;

const RECURRENCE_FIELDS = { frequency: 'recurrence.frequency', count: 'recurrence.count' };

type Planned = { occurrences: Occurrence[]; plans: CheckedBooking[] };

export type SeriesOutcome = { kind: 'series' | 'replayed'; body: SeriesBody };

export function createSeriesBooking(deps: { db: Db; clock: Clock; slotOracle: SlotOracle; secrets: SecretSealer; presenter: AppointmentPresenter }) {
  const { db, clock, slotOracle } = deps;

  /** The occurrences of the request, in the main host's zone; refuses what can never be booked. */
  async function expand(companyId: string, input: SeriesRequest, now: Date): Promise<Occurrence[]> {
    const first = requireStart(input.start);
    requireFuture(first, now);
    if (input.queueId != null) throw invalid('recurrence', RECURRING_WITH_QUEUE);
    if (input.rescheduledFromId != null) throw invalid('recurrence', 'A series cannot be booked with rescheduledFromId; reschedule one occurrence instead');
    if (!isUuid(input.meetingTypeId)) throw notFound('Meeting type');
    const hostIds = (input.hostIds ?? []).filter(isUuid);
    const view = await slotOracle.readForBooking({ companyId, meetingTypeId: input.meetingTypeId, hostIds, start: first });
    const meetingType = view.meetingType;
    if (!meetingType) throw notFound('Meeting type');
    const frequency = requireSeriesAllowed(meetingType.meeting_options, input.recurrence, RECURRENCE_FIELDS);
    if (meetingType.queue_id) throw invalid('recurrence', RECURRING_WITH_QUEUE);
    const zone = hostZone(view, input.hostIds?.[0] ?? meetingType.user_id);
    const occurrences = expandOccurrences(first.getTime(), zoneRules(zone), frequency, input.recurrence.count);
    const missingDays = occurrences.filter((o) => 'missing' in o && o.missing === 'no_such_day');
    if (missingDays.length > 0) {
      const dates = missingDays.map((o) => o.date);
      const message = `A monthly series on day ${dates[0]!.slice(8)} cannot be booked: ${dates.join(', ')} do not exist. Choose a day of the month that every month has (1–28).`;
      throw new AppError('validation_failed', message, { errors: fieldErrors(missingDays, 'does not exist'), extra: { failedDates: dates } });
    }
    return occurrences;
  }

  /** Each occurrence planned as a single booking; the ones not bookable are named together. */
  async function planAll(companyId: string, input: SeriesRequest, plan: PlanOccurrence, now: Date): Promise<Planned> {
    const occurrences = await expand(companyId, input, now);
    const results = await inParallel(occurrences, PLANNING_WIDTH, async (occurrence): Promise<CheckedBooking | undefined> => {
      if (!('start' in occurrence)) return undefined;
      try {
        return await plan(new Date(occurrence.start).toISOString(), now);
      } catch (error) {
        if (!notBookable(error)) throw error;
        return undefined;
      }
    });
    const failed = occurrences.filter((_, i) => results[i] === undefined);
    if (failed.length > 0) throw unavailable(failed);
    return { occurrences, plans: results as CheckedBooking[] };
  }

  async function write(tx: Tx, companyId: string, input: SeriesRequest, planned: Planned, secret: NewSecret, now: Date): Promise<SeriesOutcome> {
    const seriesId = randomUUID();
    const written: BookingPlan[] = [];
    const ctx = { companyId, secret, now, notifyAttendees: input.skipNotifications !== true };
    for (const [i, p] of planned.plans.entries()) {
      const plan = planWrite(deps.presenter, { ...p, series: { id: seriesId, position: i + 1 } }, ctx);
      await insertBooking(tx, plan);
      written.push(plan);
    }
    const first = written[0]!.appointment;
    const body: SeriesBody = {
      appointmentId: first.id,
      secret: secret.secret,
      seriesId,
      appointmentIds: written.map((plan) => plan.appointment.id),
      id: first.id,
      start: first.start_at.toISOString(),
      end: first.end_at.toISOString(),
      meetingLink: first.meeting_link,
    };
    return { kind: 'series', body };
  }

  /** A series lost to a concurrent booking: name every occurrence now taken (the winner has committed). */
  async function explainLostRace(companyId: string, input: SeriesRequest, plan: PlanOccurrence, error: unknown): Promise<never> {
    if (!(error instanceof AppError) || error.code !== 'slot_unavailable' || error.details.errors) throw error;
    await planAll(companyId, input, plan, clock.now());
    throw error;
  }

  async function book(companyId: string, input: SeriesRequest, plan: PlanOccurrence, idempotency?: IdempotencyRequest): Promise<SeriesOutcome> {
    const now = clock.now();
    const secret = await newSecret(deps.secrets);
    const prepare = () => planAll(companyId, input, plan, now);
    const work = (tx: Tx, planned: Planned) => write(tx, companyId, input, planned, secret, now);
    return runIdempotent(db, now, idempotency, prepare, work, asReplay)
      .catch(rethrowAsSlotError)
      .catch((error: unknown) => explainLostRace(companyId, input, plan, error));
  }

  return { book };
}

/** `work` over `items` with at most `width` in flight; results in the items' order. */
async function inParallel<T, R>(items: readonly T[], width: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return results;
}

function hostZone(view: BookingView, mainHostId: string): string {
  const host = view.hosts.find((h) => h.user_id === mainHostId);
  if (!host) throw new AppError('not_found', `Host ${mainHostId} not found`);
  return host.user_timezone;
}

/** Errors that mean "this occurrence is not offered", as opposed to a bad request. */
function notBookable(error: unknown): boolean {
  if (!(error instanceof AppError)) return false;
  return error.code === 'slot_unavailable' || (error.code === 'validation_failed' && error.message === 'start must be in the future');
}

function fieldErrors(occurrences: Occurrence[], why: string): FieldError[] {
  return occurrences.map((o) => ({ field: `recurrence[${o.position}]`, message: `${o.date} (session ${o.position}) ${why}` }));
}

function unavailable(failed: Occurrence[]): AppError {
  const dates = failed.map((o) => o.date);
  const message = `${SLOT_UNAVAILABLE} for ${failed.length} session${failed.length === 1 ? '' : 's'} of the series: ${dates.join(', ')}`;
  return new AppError('slot_unavailable', message, { errors: fieldErrors(failed, 'is not available'), extra: { failedDates: dates } });
}

function invalid(field: string, message: string): AppError {
  return new AppError('validation_failed', message, { errors: [{ field, message }] });
}

const asReplay = (outcome: SeriesOutcome): SeriesOutcome => ({ ...outcome, kind: 'replayed' });
