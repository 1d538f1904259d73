// Availabilities (a user's weekly schedules) and their exceptions: vacations that block time and
// extra hours that open it. Always the acting user's own; anything else is 404.
import type { Db, Executor } from '../db/database.ts';
import { inTransaction } from '../db/transaction.ts';
import { AppError, invalidField, notFound } from '../lib/app-error.ts';
import { isValidTimeZone } from '../lib/time.ts';
import * as repo from './availability.repo.ts';
import { rangeBound } from './booking-window.ts';
import { emptySchedule, mergeSchedule, normalizeSchedule } from './schedule.ts';

export interface AvailabilityJson {
  id: string;
  name: string;
  timezone: string;
  isDefault: boolean;
  userId: string;
  companyId: string;
  schedule: unknown;
  availabilityExceptions: ExceptionJson[];
  createdAt: string;
  updatedAt: string;
}

export interface ExceptionJson {
  id: number;
  availabilityId: string;
  available: boolean;
  start: string;
  end: string;
  title: string | null;
  note: string | null;
  createdAt: string;
}

export interface AvailabilityInput {
  name?: string;
  timezone?: string;
  schedule?: unknown;
  isDefault?: boolean;
}

export interface ExceptionInput {
  start: string;
  end: string;
  available: boolean;
  title?: string;
  note?: string;
}

type Scope = { companyId: string; userId: string };

const MAX_EXCEPTION_DAYS = 366;

export type AvailabilityService = ReturnType<typeof createAvailabilityService>;

export function createAvailabilityService(deps: { db: Db }) {
  const { db } = deps;

  async function toJson(row: repo.AvailabilityRow, executor: Executor = db): Promise<AvailabilityJson> {
    return withExceptions([row], await repo.listExceptions(executor, [row.id]))[0]!;
  }

  async function requireOwn(executor: Executor, scope: Scope, id: string): Promise<repo.AvailabilityRow> {
    const row = await repo.findAvailability(executor, scope, id);
    if (!row) throw notFound('Availability');
    return row;
  }

  async function list(scope: Scope): Promise<AvailabilityJson[]> {
    const rows = await repo.listAvailabilities(db, scope.companyId, scope.userId);
    return withExceptions(rows, await repo.listExceptions(db, rows.map((r) => r.id)));
  }

  const get = async (scope: Scope, id: string) => toJson(await requireOwn(db, scope, id));

  /** Creates an availability in an open transaction (meeting types create inline ones too). */
  async function createIn(tx: Executor, scope: Scope, input: AvailabilityInput, field = ''): Promise<string> {
    const name = requireName(input.name, `${field}name`);
    const timezone = requireZone(input.timezone, `${field}timezone`);
    const schedule = input.schedule === undefined ? emptySchedule() : normalizeSchedule(input.schedule, `${field}schedule`);
    await repo.lockUser(tx, scope.userId);
    const first = (await repo.listAvailabilities(tx, scope.companyId, scope.userId)).length === 0;
    const isDefault = first || input.isDefault === true;
    const id = await repo.insertAvailability(tx, { ...scope, name, timezone, schedule, isDefault });
    if (isDefault) await repo.makeDefault(tx, scope.userId, id);
    return id;
  }

  async function create(scope: Scope, input: AvailabilityInput): Promise<AvailabilityJson> {
    return inTransaction(db, async (tx) => toJson(await requireOwn(tx, scope, await createIn(tx, scope, input)), tx));
  }

  async function update(scope: Scope, id: string, input: AvailabilityInput): Promise<AvailabilityJson> {
    return inTransaction(db, async (tx) => {
      await repo.lockUser(tx, scope.userId);
      const current = await requireOwn(tx, scope, id);
      const patch: repo.AvailabilityPatch = {};
      if (input.name !== undefined) patch.name = requireName(input.name, 'name');
      if (input.timezone !== undefined) patch.timezone = requireZone(input.timezone, 'timezone');
      if (input.schedule !== undefined) patch.schedule = mergeSchedule(current.schedule, input.schedule, 'schedule');
      if (input.isDefault === false) throw invalidField('isDefault', 'isDefault can only be set: make another availability the default instead');
      await repo.updateAvailability(tx, id, patch);
      if (input.isDefault === true) await repo.makeDefault(tx, scope.userId, id);
      return toJson(await requireOwn(tx, scope, id), tx);
    });
  }

  /** Refuses to leave meeting types without hours or the user without any availability. */
  async function removeIn(tx: Executor, scope: Scope, id: string, exceptMeetingTypeId?: string): Promise<void> {
    await repo.lockUser(tx, scope.userId);
    const row = await requireOwn(tx, scope, id);
    const users = await repo.meetingTypesUsing(tx, id, exceptMeetingTypeId);
    if (users.length > 0) {
      const names = users.map((u) => u.slug).join(', ');
      throw new AppError('conflict', `Cannot delete availability - it is used by other meeting types (${names})`, {
        extra: { sharedWith: users },
      });
    }
    const all = await repo.listAvailabilities(tx, scope.companyId, scope.userId);
    if (all.length <= 1) throw new AppError('bad_request', 'One availability is required');
    await repo.softDeleteAvailability(tx, id);
    if (row.is_default) await repo.makeDefault(tx, scope.userId, all.find((a) => a.id !== id)!.id);
  }

  const remove = (scope: Scope, id: string) => inTransaction(db, (tx) => removeIn(tx, scope, id));

  /** Adds an exception to an availability already checked to be the caller's. */
  async function addExceptionIn(
    executor: Executor,
    availability: repo.AvailabilityRow,
    input: ExceptionInput,
    field = '',
  ): Promise<ExceptionJson> {
    const start = rangeBound(input.start, availability.timezone, false);
    if (start === undefined) throw invalidField(`${field}start`, `${field}start must be a date YYYY-MM-DD or an ISO 8601 instant with an offset`);
    const end = rangeBound(input.end, availability.timezone, true);
    if (end === undefined) throw invalidField(`${field}end`, `${field}end must be a date YYYY-MM-DD or an ISO 8601 instant with an offset`);
    if (end <= start) throw invalidField(`${field}end`, `${field}end must be after start`);
    if (end - start > MAX_EXCEPTION_DAYS * 86_400_000) {
      throw invalidField(`${field}end`, `An exception may span at most ${MAX_EXCEPTION_DAYS} days`);
    }
    const row = await repo.insertException(executor, {
      availabilityId: availability.id,
      start: new Date(start),
      end: new Date(end),
      available: input.available,
      title: input.title?.trim() || null,
      note: input.note?.trim() || null,
    });
    return exceptionJson(row);
  }

  async function addException(scope: Scope, id: string, input: ExceptionInput): Promise<ExceptionJson> {
    return addExceptionIn(db, await requireOwn(db, scope, id), input);
  }

  async function removeException(scope: Scope, id: string, exceptionId: string): Promise<void> {
    await requireOwn(db, scope, id);
    if (!/^\d{1,18}$/.test(exceptionId) || !(await repo.softDeleteException(db, id, exceptionId))) {
      throw notFound('Availability exception');
    }
  }

  return { list, get, create, createIn, update, remove, removeIn, addException, addExceptionIn, removeException, requireOwn };
}

function withExceptions(rows: repo.AvailabilityRow[], exceptions: repo.ExceptionRow[]): AvailabilityJson[] {
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    timezone: row.timezone,
    isDefault: row.is_default,
    userId: row.user_id,
    companyId: row.company_id,
    schedule: row.schedule,
    availabilityExceptions: exceptions.filter((e) => e.availability_id === row.id).map(exceptionJson),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  }));
}

function exceptionJson(row: repo.ExceptionRow): ExceptionJson {
  return {
    id: Number(row.id),
    availabilityId: row.availability_id,
    available: row.available,
    start: row.start_at.toISOString(),
    end: row.end_at.toISOString(),
    title: row.title,
    note: row.note,
    createdAt: row.created_at.toISOString(),
  };
}

function requireName(value: string | undefined, field: string): string {
  const name = value?.trim() ?? '';
  if (name.length === 0 || name.length > 200) throw invalidField(field, `${field} must be 1 to 200 characters`);
  return name;
}

function requireZone(value: string | undefined, field: string): string {
  if (value === undefined || !isValidTimeZone(value)) {
    throw invalidField(field, `${field} must be a valid IANA time zone (got "${value ?? ''}")`);
  }
  return value;
}
