// Provisional bookings (issue 12): the hold written with a booking, the host's and attendee's
// steps, decline, expiry, the listing and the company defaults. Every step runs in one
// transaction with the hold's row locked (see provisional.transitions.ts); a hold found overdue
// is expired right there (and the caller told 410), so no step ever acts on an expired hold even
// when the expiry worker has not come round yet.
import { randomUUID } from 'node:crypto';
import type { Db, Executor } from '../../db/database.ts';
import { inTransaction } from '../../db/transaction.ts';
import { AppError, notFound } from '../../lib/app-error.ts';
import type { Clock } from '../../lib/clock.ts';
import { isUuid } from '../../lib/ids.ts';
import { listedHost, type Viewer } from '../../lib/viewer.ts';
import { hashSecret, randomToken, secretMatches } from '../../lib/secrets.ts';
import type { AppointmentRow } from '../appointments.repo.ts';
import { createExpiryWorker } from './provisional.expiry.ts';
import { toProvisionalJson } from './provisional.json.ts';
import * as repo from './provisional.repo.ts';
import { type CompanyConfirmationSettings, type ProvisionalMode, addMinutes, alwaysDirect, bookingTypeOf, modeOf } from './provisional.rules.ts';
import type { ProvisionalBookingJson, ProvisionalCreatedJson } from './provisional.schemas.ts';
import * as step from './provisional.transitions.ts';

export type ProvisionalService = ReturnType<typeof createProvisionalService>;

/** Who acts on a hold: the company (API), or the bearer of an emailed link's token. */
export type Caller = { companyId: string } | { token: string; role: 'host' | 'attendee' };

export interface HoldInput {
  appointment: AppointmentRow;
  /** A group session's held seat (migrations/0020): the hold names it; absent for a whole appointment. */
  attendeeId?: string;
  mode: ProvisionalMode;
  /** The booking request as sent (the listing's `dto`). */
  dto: Record<string, unknown>;
  notifyAttendees: boolean;
  now: Date;
}

export interface ListQuery {
  page?: number;
  pageSize?: number;
  limit?: number;
  status?: ProvisionalBookingJson['status'];
  meetingTypeId?: string;
  userId?: string;
  all?: boolean;
}

/** What a link's page shows of its hold. */
export interface LinkView {
  hold: ProvisionalBookingJson;
  /** Past its expiry though the worker has not come round: shown as expired. */
  overdue: boolean;
  title: string;
  /** The main host's zone and language (the approval page is theirs). */
  host: { zone: string; language: string };
}

export function createProvisionalService(deps: step.TransitionDeps & { db: Db; clock: Clock }) {
  const { db, clock } = deps;

  /** Whether this meeting type's bookings wait; the company's defaults are read only when they matter. */
  async function modeFor(executor: Executor, companyId: string, meetingOptions: Record<string, unknown>): Promise<ProvisionalMode | null> {
    if (alwaysDirect(meetingOptions)) return null;
    return modeOf(meetingOptions, await repo.readSettings(executor, companyId));
  }

  /** Called by the booking service in its transaction, after the held appointment is written. */
  async function hold(tx: Executor, input: HoldInput): Promise<ProvisionalCreatedJson> {
    const { appointment, mode, now } = input;
    const token = randomToken(32);
    const row: repo.ProvisionalRow = {
      id: randomUUID(),
      company_id: appointment.company_id,
      appointment_id: appointment.id,
      meeting_type_id: appointment.meeting_type_id,
      type: mode.type,
      status: 'pending',
      awaiting: mode.awaiting,
      needs_attendee: mode.needsAttendee,
      attendee_token_hash: mode.awaiting === 'attendee' ? hashSecret(token) : null,
      host_token_hash: mode.awaiting === 'host' ? hashSecret(token) : null,
      expires_at: addMinutes(now, mode.expiresInMinutes),
      dto: input.dto,
      notify_attendees: input.notifyAttendees,
      decline_reason: null,
      created_at: now,
      updated_at: now,
      settled_at: null,
      attendee_id: input.attendeeId ?? null,
    };
    await repo.insertProvisional(tx, { ...row, dto: JSON.stringify(row.dto) });
    await step.announce(tx, row, 'provisional_booking_created', token);
    return { bookingType: bookingTypeOf(mode.type), provisionalBookingId: row.id };
  }

  /** Locks the hold, checks the caller, expires it if overdue (→ 410 after commit), else runs `work`. */
  async function act<T>(caller: Caller, id: string, work: (tx: Executor, row: repo.ProvisionalRow, now: Date) => Promise<T>): Promise<T> {
    const now = clock.now();
    const outcome = await inTransaction(db, async (tx) => {
      const row = isUuid(id) ? await repo.lockProvisional(tx, 'companyId' in caller ? caller.companyId : null, id) : undefined;
      if (!row || !mayAct(caller, row)) throw new AppError('not_found', step.NOT_FOUND);
      if (step.isOverdue(row, now)) {
        await step.expire(tx, row, now);
        return { expired: true as const };
      }
      step.requirePending(row);
      return { value: await work(tx, row, now) };
    });
    if ('expired' in outcome) throw new AppError('gone', step.EXPIRED);
    return outcome.value;
  }

  /** The host's yes: by the API (any step the host owns) or by the approval link. */
  const approve = (caller: Caller, id: string) => act(caller, id, (tx, row, now) => step.approve(deps, tx, row, now));

  /** The attendee's yes: only their link confirms their step. */
  const confirmAsAttendee = (token: string, id: string) =>
    act({ token, role: 'attendee' }, id, (tx, row, now) => {
      if (row.awaiting !== 'attendee') throw new AppError('not_found', step.NOT_FOUND);
      return step.finalize(deps, tx, row, now);
    });

  const decline = (caller: Caller, id: string, reason: string | null) =>
    act(caller, id, (tx, row, now) => step.decline(tx, row, reason?.trim() || null, now));

  /** What a link's page shows; reading changes nothing (mail scanners fetch links). */
  async function view(caller: Caller, id: string): Promise<LinkView> {
    const row = !isUuid(id)
      ? undefined
      : 'companyId' in caller
        ? await repo.findProvisional(db, caller.companyId, id)
        : await repo.findProvisionalById(db, id);
    if (!row || !mayAct(caller, row)) throw new AppError('not_found', step.NOT_FOUND);
    const held = await repo.loadHeld(db, [row.appointment_id]);
    const appointment = held.appointments.get(row.appointment_id);
    const hosts = held.hosts.get(row.appointment_id) ?? [];
    const hold = toProvisionalJson(row, appointment, hosts);
    const host = hosts[0] ? { zone: hosts[0].timezone, language: hosts[0].language } : { zone: 'UTC', language: 'en' };
    return { hold, overdue: step.isOverdue(row, clock.now()), title: String(appointment?.meeting_info.name ?? ''), host };
  }

  /** Expires due holds now (the worker loop runs the same; tests call it with their clock). */
  const expireDue = createExpiryWorker({ db, clock }).runOnce;

  async function list(companyId: string, viewer: Viewer, q: ListQuery) {
    if (q.userId !== undefined && !isUuid(q.userId)) throw notFound('User');
    if (q.meetingTypeId !== undefined && !isUuid(q.meetingTypeId)) throw notFound('Meeting type');
    // With `limit` pages count from 1 (seed 001's form); with `pageSize` from 0, as the live API.
    const size = q.limit ?? q.pageSize ?? 20;
    const page = q.page ?? (q.limit !== undefined ? 1 : 0);
    const offset = (q.limit !== undefined ? Math.max(page - 1, 0) : page) * size;
    const userId = listedHost(viewer, q);
    const { rows, total } = await repo.listProvisional(db, {
      companyId,
      offset,
      limit: size,
      ...(q.status ? { status: q.status } : {}),
      ...(q.meetingTypeId ? { meetingTypeId: q.meetingTypeId } : {}),
      ...(userId ? { userId } : {}),
    });
    const held = await repo.loadHeld(db, rows.map((row) => row.appointment_id));
    const provisionalBookings = rows.map((row) =>
      toProvisionalJson(row, held.appointments.get(row.appointment_id), held.hosts.get(row.appointment_id) ?? []),
    );
    return { provisionalBookings, total };
  }

  const settings = (companyId: string) => repo.readSettings(db, companyId);

  async function updateSettings(companyId: string, patch: Partial<CompanyConfirmationSettings>): Promise<CompanyConfirmationSettings> {
    return inTransaction(db, async (tx) => {
      const next = { ...(await repo.readSettings(tx, companyId)), ...patch };
      await repo.writeSettings(tx, companyId, next, clock.now());
      return next;
    });
  }

  return { modeFor, hold, approve, confirmAsAttendee, decline, view, expireDue, list, settings, updateSettings };
}

/** The company owns its holds; a link's token opens only its own step (a used token is cleared). */
function mayAct(caller: Caller, row: repo.ProvisionalRow): boolean {
  if ('companyId' in caller) return row.company_id === caller.companyId;
  const hash = caller.role === 'host' ? row.host_token_hash : row.attendee_token_hash;
  return hash !== null && secretMatches(caller.token, hash);
}
