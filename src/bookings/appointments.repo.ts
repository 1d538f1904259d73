// Appointments and their hosts in the database. Every read is scoped to a company, except the
// lookup by id that secret-authorised routes need (the secret is then the proof).
import { type Selectable, sql } from 'kysely';
import type { Executor } from '../db/database.ts';
import { SQLSTATE, isRetryable, sqlState } from '../db/errors.ts';
import type { AppointmentCancel, AppointmentsTable, RoundRobinEntryRow } from '../db/schema.ts';
import { AppError } from '../lib/app-error.ts';

export type AppointmentRow = Selectable<AppointmentsTable>;

export const SLOT_UNAVAILABLE = 'The selected time slot is no longer available';

/**
 * Rows that never became appointments: a provisional booking's hold, and holds that expired or
 * were declined (issue 12). Appointment reads never show them; `bookings/provisional/` does.
 */
export const NOT_BOOKED = ['provisional', 'expired', 'declined'] as const;

/**
 * The constraint is the guarantee, this is its friendly face: an exclusion violation (or a
 * transaction that kept losing races) means the time was taken.
 */
export function asSlotError(error: unknown): unknown {
  if (sqlState(error) === SQLSTATE.exclusionViolation || isRetryable(error)) {
    return new AppError('slot_unavailable', SLOT_UNAVAILABLE);
  }
  return error;
}

export async function savepoint(tx: Executor, name: string): Promise<void> {
  await sql`SAVEPOINT ${sql.id(name)}`.execute(tx);
}

export async function releaseSavepoint(tx: Executor, name: string): Promise<void> {
  await sql`RELEASE SAVEPOINT ${sql.id(name)}`.execute(tx);
}

export async function rollbackToSavepoint(tx: Executor, name: string): Promise<void> {
  await sql`ROLLBACK TO SAVEPOINT ${sql.id(name)}`.execute(tx);
}

/** Only an exclusion violation: the statement may still be retried after a deadlock. */
export function asTakenSlot(error: unknown): unknown {
  return sqlState(error) === SQLSTATE.exclusionViolation ? new AppError('slot_unavailable', SLOT_UNAVAILABLE) : error;
}

export function rethrowAsSlotError(error: unknown): never {
  throw asSlotError(error);
}

/** The time a host gives to an appointment: the meeting widened by its buffers. */
function blockedRange(start: Date, end: Date, bufferBefore: number, bufferAfter: number) {
  const from = new Date(start.getTime() - bufferBefore * 60_000);
  const to = new Date(end.getTime() + bufferAfter * 60_000);
  return sql`tstzrange(${from}, ${to}, '[)')`;
}

export async function findAppointment(db: Executor, companyId: string, id: string): Promise<AppointmentRow | undefined> {
  return db
    .selectFrom('appointments')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .where('status', 'not in', NOT_BOOKED)
    .executeTakeFirst();
}

/** For secret-authorised routes only: the caller must check the secret before revealing anything. */
export async function findAppointmentAnyCompany(db: Executor, id: string): Promise<AppointmentRow | undefined> {
  return db.selectFrom('appointments').selectAll().where('id', '=', id).where('status', 'not in', NOT_BOOKED).executeTakeFirst();
}

/** Locks the row so concurrent cancels and reschedules of one appointment run one after another. */
export async function lockAppointment(tx: Executor, companyId: string, id: string): Promise<AppointmentRow | undefined> {
  return tx
    .selectFrom('appointments')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .where('status', 'not in', NOT_BOOKED)
    .forUpdate()
    .executeTakeFirst();
}

export async function markCancelled(tx: Executor, id: string, cancel: AppointmentCancel, now: Date): Promise<void> {
  await tx
    .updateTable('appointments')
    .set({
      status: 'cancelled',
      cancel: JSON.stringify(cancel),
      ics_sequence: sql`ics_sequence + 1`,
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
  // Inactive host rows leave the constraint: the slot is free the moment this commits.
  await tx.updateTable('appointment_hosts').set({ active: false }).where('appointment_id', '=', id).execute();
}

export async function linkRescheduledTo(tx: Executor, oldId: string, newId: string): Promise<void> {
  await tx.updateTable('appointments').set({ rescheduled_to_id: newId }).where('id', '=', oldId).execute();
}

export interface MoveInput {
  id: string;
  start: Date;
  end: Date;
  bufferBefore: number;
  bufferAfter: number;
  overbooked: boolean;
  /** A new secret, only for rows booked before secrets were sealed; otherwise the secret stays. */
  newSecret?: { hash: string; sealed: string };
  now: Date;
}

/** Moves an appointment in place; its own old time is its own row, so it never blocks the new one. */
export async function moveAppointment(tx: Executor, input: MoveInput): Promise<void> {
  await tx
    .updateTable('appointments')
    .set({
      start_at: input.start,
      end_at: input.end,
      overbooked: input.overbooked,
      ...(input.newSecret ? { secret_hash: input.newSecret.hash, secret_sealed: input.newSecret.sealed } : {}),
      ics_sequence: sql`ics_sequence + 1`,
      rescheduled_at: input.now,
      updated_at: input.now,
    })
    .where('id', '=', input.id)
    .execute();
  await tx
    .updateTable('appointment_hosts')
    .set({
      blocked: blockedRange(input.start, input.end, input.bufferBefore, input.bufferAfter),
      overbooked: input.overbooked,
    })
    .where('appointment_id', '=', input.id)
    .execute();
}

/**
 * Moves under the constraint; with `allowOverbooking` a refused move is retried as an
 * overbooking. Only a real overlap is marked overbooked, so every other appointment stays guarded.
 */
export async function moveUnderConstraint(tx: Executor, move: Omit<MoveInput, 'overbooked'>, allowOverbooking: boolean) {
  if (!allowOverbooking) return moveAppointment(tx, { ...move, overbooked: false });
  await sql`SAVEPOINT reschedule_move`.execute(tx);
  try {
    await moveAppointment(tx, { ...move, overbooked: false });
  } catch (error) {
    if (sqlState(error) !== SQLSTATE.exclusionViolation) throw error;
    await sql`ROLLBACK TO SAVEPOINT reschedule_move`.execute(tx);
    await moveAppointment(tx, { ...move, overbooked: true });
  }
}

/**
 * Gives the appointment new hosts (a round-robin reschedule): new host rows under the constraint,
 * the new main host and pick, and one more selection entry. A taken host is `slot_unavailable`.
 */
export async function reassignHosts(
  tx: Executor,
  input: { id: string; companyId: string; hostIds: readonly string[]; blocked: { from: Date; to: Date }; pick: string | null; entry: RoundRobinEntryRow },
): Promise<void> {
  await tx.deleteFrom('appointment_hosts').where('appointment_id', '=', input.id).execute();
  try {
    await tx
      .insertInto('appointment_hosts')
      .values(
        input.hostIds.map((userId) => ({
          appointment_id: input.id,
          user_id: userId,
          company_id: input.companyId,
          blocked: sql`tstzrange(${input.blocked.from}, ${input.blocked.to}, '[)')`,
        })),
      )
      .execute();
  } catch (error) {
    throw asTakenSlot(error);
  }
  await tx
    .updateTable('appointments')
    .set({
      main_host_id: input.hostIds[0]!,
      queue_pick: input.pick,
      round_robin_entries: sql`round_robin_entries || ${JSON.stringify([input.entry])}::jsonb`,
    })
    .where('id', '=', input.id)
    .execute();
}

export async function updateNote(tx: Executor, id: string, note: string | null, now: Date): Promise<void> {
  await tx.updateTable('appointments').set({ note, updated_at: now }).where('id', '=', id).execute();
}

export async function touchAppointment(tx: Executor, id: string, now: Date): Promise<void> {
  await tx.updateTable('appointments').set({ updated_at: now }).where('id', '=', id).execute();
}

export interface HostRow {
  appointment_id: string;
  id: string;
  email: string;
  given_name: string;
  family_name: string;
  slug: string;
}

export async function findHosts(db: Executor, appointmentIds: string[]): Promise<HostRow[]> {
  if (appointmentIds.length === 0) return [];
  return db
    .selectFrom('appointment_hosts as h')
    .innerJoin('users as u', 'u.id', 'h.user_id')
    .select(['h.appointment_id', 'u.id', 'u.email', 'u.given_name', 'u.family_name', 'u.slug'])
    .where('h.appointment_id', 'in', appointmentIds)
    .orderBy('u.given_name')
    .execute();
}
