// Provisional bookings and the company defaults they are decided by. Every read of a company's
// rows filters by company; the lookups for the emailed links read by id and leave the token check
// to the caller (the token is then the proof). Transitions lock the row, so one of many
// simultaneous confirmations wins and the others see what it did.
import { type Insertable, type Selectable, sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { HostRow } from '../appointments.repo.ts';
import type { AppointmentStatus, RoundRobinEntryRow } from '../../db/schema.ts';
import type { ProvisionalBookingsTable, ProvisionalStatus } from '../../db/schema.provisional.ts';
import { type CompanyConfirmationSettings, DEFAULT_SETTINGS } from './provisional.rules.ts';

export type ProvisionalRow = Selectable<ProvisionalBookingsTable>;

export async function readSettings(db: Executor, companyId: string): Promise<CompanyConfirmationSettings> {
  const row = await db.selectFrom('company_booking_settings').selectAll().where('company_id', '=', companyId).executeTakeFirst();
  if (!row) return { ...DEFAULT_SETTINGS };
  return {
    doubleOptIn: row.double_opt_in,
    requireHostConfirmation: row.require_host_confirmation,
    doubleOptInExpiryMinutes: row.double_opt_in_expiry_minutes,
    hostConfirmationExpiryMinutes: row.host_confirmation_expiry_minutes,
  };
}

export async function writeSettings(db: Executor, companyId: string, s: CompanyConfirmationSettings, now: Date): Promise<void> {
  const values = {
    double_opt_in: s.doubleOptIn,
    require_host_confirmation: s.requireHostConfirmation,
    double_opt_in_expiry_minutes: s.doubleOptInExpiryMinutes,
    host_confirmation_expiry_minutes: s.hostConfirmationExpiryMinutes,
    updated_at: now,
  };
  await db
    .insertInto('company_booking_settings')
    .values({ company_id: companyId, ...values })
    .onConflict((oc) => oc.column('company_id').doUpdateSet(values))
    .execute();
}

export async function insertProvisional(tx: Executor, row: Insertable<ProvisionalBookingsTable>): Promise<void> {
  await tx.insertInto('provisional_bookings').values(row).execute();
}

export async function findProvisional(db: Executor, companyId: string, id: string): Promise<ProvisionalRow | undefined> {
  return db.selectFrom('provisional_bookings').selectAll().where('company_id', '=', companyId).where('id', '=', id).executeTakeFirst();
}

/** For the emailed links only: the caller checks the token before showing anything. */
export async function findProvisionalById(db: Executor, id: string): Promise<ProvisionalRow | undefined> {
  return db.selectFrom('provisional_bookings').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Locks the row: transitions of one hold run one after another. Company-scoped unless null (link routes). */
export async function lockProvisional(tx: Executor, companyId: string | null, id: string): Promise<ProvisionalRow | undefined> {
  return tx
    .selectFrom('provisional_bookings')
    .selectAll()
    .where('id', '=', id)
    .$if(companyId !== null, (q) => q.where('company_id', '=', companyId!))
    .forUpdate()
    .executeTakeFirst();
}

export async function updateProvisional(
  tx: Executor,
  id: string,
  set: Partial<Pick<ProvisionalRow, 'status' | 'awaiting' | 'attendee_token_hash' | 'host_token_hash' | 'expires_at' | 'decline_reason' | 'settled_at'>>,
  now: Date,
): Promise<void> {
  await tx.updateTable('provisional_bookings').set({ ...set, updated_at: now }).where('id', '=', id).execute();
}

/**
 * The held appointment's new status. A status that no longer holds time makes its host rows
 * inactive: they leave the exclusion constraint and the slot is free when this commits.
 */
export async function setAppointmentStatus(tx: Executor, appointmentId: string, status: AppointmentStatus, holds: boolean, now: Date) {
  await tx.updateTable('appointments').set({ status, updated_at: now }).where('id', '=', appointmentId).execute();
  if (!holds) await tx.updateTable('appointment_hosts').set({ active: false }).where('appointment_id', '=', appointmentId).execute();
}

/** Due holds, oldest first, skipping those another instance is working on. */
export async function claimDue(tx: Executor, now: Date, limit: number): Promise<ProvisionalRow[]> {
  const { rows } = await sql<ProvisionalRow>`
    SELECT * FROM provisional_bookings WHERE status = 'pending' AND expires_at <= ${now}
    ORDER BY expires_at LIMIT ${limit} FOR UPDATE SKIP LOCKED`.execute(tx);
  return rows;
}

export async function nextExpiry(db: Executor): Promise<Date | undefined> {
  const row = await db
    .selectFrom('provisional_bookings')
    .select((eb) => eb.fn.min('expires_at').as('due'))
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return row?.due ? new Date(row.due as Date) : undefined;
}

export interface ListFilter {
  companyId: string;
  status?: ProvisionalStatus;
  meetingTypeId?: string;
  /** Only holds this user hosts. */
  userId?: string;
  offset: number;
  limit: number;
}

export async function listProvisional(db: Executor, f: ListFilter): Promise<{ rows: ProvisionalRow[]; total: number }> {
  const base = db
    .selectFrom('provisional_bookings as p')
    .where('p.company_id', '=', f.companyId)
    .$if(f.status !== undefined, (q) => q.where('p.status', '=', f.status!))
    .$if(f.meetingTypeId !== undefined, (q) => q.where('p.meeting_type_id', '=', f.meetingTypeId!))
    .$if(f.userId !== undefined, (q) =>
      q.where((eb) =>
        eb.exists(
          eb.selectFrom('appointment_hosts as h').select('h.user_id').whereRef('h.appointment_id', '=', 'p.appointment_id').where('h.user_id', '=', f.userId!),
        ),
      ),
    );
  const [rows, count] = await Promise.all([
    base.selectAll('p').orderBy('p.created_at', 'desc').orderBy('p.id').offset(f.offset).limit(f.limit).execute(),
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export interface HeldAppointment {
  id: string;
  start_at: Date;
  end_at: Date;
  meeting_info: Record<string, unknown>;
  meeting_link: string | null;
  location: string | null;
  round_robin_entries: RoundRobinEntryRow[];
}

/** An appointment's host as appointments.repo reads it, with what a hold's emails also need. */
export interface HeldHost extends HostRow {
  user_type: string;
  language: string;
  timezone: string;
}

/** What the JSON and the emails show of each hold: its appointment row and its hosts (main host first). */
export async function loadHeld(db: Executor, appointmentIds: string[]): Promise<{ appointments: Map<string, HeldAppointment>; hosts: Map<string, HeldHost[]> }> {
  if (appointmentIds.length === 0) return { appointments: new Map(), hosts: new Map() };
  const [appointments, hosts] = await Promise.all([
    db
      .selectFrom('appointments')
      .select(['id', 'start_at', 'end_at', 'meeting_info', 'meeting_link', 'location', 'round_robin_entries', 'main_host_id'])
      .where('id', 'in', appointmentIds)
      .execute(),
    db
      .selectFrom('appointment_hosts as h')
      .innerJoin('users as u', 'u.id', 'h.user_id')
      .innerJoin('appointments as a', 'a.id', 'h.appointment_id')
      .select(['h.appointment_id', 'u.id', 'u.email', 'u.given_name', 'u.family_name', 'u.slug', 'u.user_type', 'u.language', 'u.timezone'])
      .select(sql<boolean>`u.id = a.main_host_id`.as('main'))
      .where('h.appointment_id', 'in', appointmentIds)
      .orderBy('main', 'desc')
      .orderBy('u.id')
      .execute(),
  ]);
  const byAppointment = new Map<string, HeldHost[]>();
  for (const { main: _main, ...host } of hosts) byAppointment.set(host.appointment_id, [...(byAppointment.get(host.appointment_id) ?? []), host]);
  return { appointments: new Map(appointments.map((a) => [a.id, a])), hosts: byAppointment };
}
