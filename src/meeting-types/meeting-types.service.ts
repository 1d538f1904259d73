// Meeting types: what can be booked with whom, for how long, on which schedule. Reads are scoped
// to the company; writes to the owner (or a company admin). Deletion is soft.
import type { AvailabilityService } from '../availability/availability.service.ts';
import { listAvailabilities } from '../availability/availability.repo.ts';
import type { Db, Executor } from '../db/database.ts';
import type { QueueType } from '../db/schema.ts';
import { inTransaction } from '../db/transaction.ts';
import { AppError, invalidField, notFound } from '../lib/app-error.ts';
import { isUuid } from '../lib/ids.ts';
import { slugify } from '../lib/text.ts';
import { findQueueOfMeetingType, insertQueue } from '../queues/queues.repo.ts';
import { teamPagePath } from '../queues/team-url.ts';
import { findUser, type UserRow } from '../users/users.repo.ts';
import { type MeetingTypeDocument, documentOf, mergeDocument, valuesOf } from './meeting-types.input.ts';
import { refuseSeriesWithQueue } from './recurring-options.ts';
import { type MeetingTypeJson, meetingTypeJson } from './meeting-types.json.ts';
import * as repo from './meeting-types.repo.ts';

export interface InlineAvailabilityInput {
  name: string;
  timezone: string;
  schedule?: unknown;
  exceptions?: { start: string; end: string; available: boolean; title?: string; note?: string }[];
}

export interface MeetingTypeInput extends MeetingTypeDocument {
  availabilityId?: string;
  availability?: InlineAvailabilityInput;
  queueType?: QueueType;
  templateType?: string;
}

/** The queue a new team type gets, or undefined for a single-host type. */
function teamOf(input: MeetingTypeInput): { type?: QueueType; collective: boolean } | undefined {
  if (input.templateType === 'collective') return { type: input.queueType, collective: true };
  if (input.queueType !== undefined || input.templateType === 'roundRobin') return { type: input.queueType, collective: false };
  return undefined;
}

type Scope = { companyId: string; userId: string };

export type MeetingTypesService = ReturnType<typeof createMeetingTypesService>;

export function createMeetingTypesService(deps: { db: Db; publicUrl: string; availability: AvailabilityService }) {
  const { db, publicUrl, availability } = deps;

  async function toJson(row: repo.MeetingTypeRow, owner?: UserRow): Promise<MeetingTypeJson> {
    const [user, queue] = await Promise.all([
      owner?.id === row.user_id ? owner : findUser(db, row.company_id, row.user_id),
      findQueueOfMeetingType(db, row.company_id, row.id),
    ]);
    // A team type's page is the team page (queues/team-url.ts); a single host's is under their slug.
    const teamPath = queue ? await teamPagePath(db, row.company_id, row) : undefined;
    return meetingTypeJson(row, `${publicUrl}${teamPath ?? `/${user?.slug ?? 'deleted-user'}/${row.slug}`}`, queue?.id ?? null);
  }

  async function requireLive(executor: Executor, companyId: string, id: string): Promise<repo.MeetingTypeRow> {
    const row = await repo.findMeetingType(executor, companyId, id);
    if (!row || row.deleted_at) throw notFound('Meeting type');
    return row;
  }

  function requireWriter(user: UserRow, row: repo.MeetingTypeRow, action: 'update' | 'delete'): Scope {
    if (row.user_id !== user.id && user.role === 'member') {
      throw new AppError('forbidden', `Not authorized to ${action} this meeting type`);
    }
    return { companyId: row.company_id, userId: row.user_id };
  }

  /** The availability a write names (id or inline), else the current one, else the user's default. */
  async function resolveAvailability(tx: Executor, scope: Scope, input: MeetingTypeInput, current?: string) {
    if (input.availabilityId !== undefined && input.availability !== undefined) {
      throw invalidField('availability', 'Send either availabilityId or availability, not both');
    }
    if (input.availabilityId !== undefined) {
      if (!isUuid(input.availabilityId)) throw invalidField('availabilityId', 'availabilityId must be a UUID');
      return availability.requireOwn(tx, scope, input.availabilityId);
    }
    if (input.availability !== undefined) {
      const inline = input.availability;
      const id = await availability.createIn(tx, scope, { ...inline, isDefault: false }, 'availability.');
      const row = await availability.requireOwn(tx, scope, id);
      for (const [i, exception] of (inline.exceptions ?? []).entries()) {
        await availability.addExceptionIn(tx, row, exception, `availability.exceptions[${i}].`);
      }
      return row;
    }
    const all = await listAvailabilities(tx, scope.companyId, scope.userId);
    const chosen = all.find((a) => a.id === current) ?? all.find((a) => a.is_default) ?? all[0];
    if (!chosen) throw invalidField('availabilityId', 'availabilityId or availability is required');
    return chosen;
  }

  async function freeSlug(tx: Executor, userId: string, base: string): Promise<string> {
    for (let n = 1; ; n++) {
      const candidate = n === 1 ? base : `${base}-${n}`;
      if (!(await repo.meetingTypeSlugTaken(tx, userId, candidate))) return candidate;
    }
  }

  async function list(user: UserRow): Promise<MeetingTypeJson[]> {
    const rows = await repo.listMeetingTypes(db, user.company_id, user.id);
    return Promise.all(rows.map((row) => toJson(row, user)));
  }

  const get = async (companyId: string, id: string) => toJson(await requireLive(db, companyId, id));

  async function create(user: UserRow, input: MeetingTypeInput): Promise<MeetingTypeJson> {
    const scope = { companyId: user.company_id, userId: user.id };
    const id = await inTransaction(db, async (tx) => {
      const target = await resolveAvailability(tx, scope, input);
      const values = valuesOf(input, target.timezone);
      let slug = values.slug;
      if (slug === undefined) slug = await freeSlug(tx, user.id, slugify(values.name) || `${values.duration}min`);
      else if (await repo.meetingTypeSlugTaken(tx, user.id, slug)) throw repo.slugConflict();
      const id = await repo.insertMeetingTypeColumns(tx, scope, { ...values, slug, availability_id: target.id });
      const team = teamOf(input);
      if (team) refuseSeriesWithQueue(values.meeting_options);
      if (team) await insertQueue(tx, { companyId: user.company_id, meetingTypeId: id, ...team, firstMemberId: user.id });
      return id;
    });
    return toJson(await requireLive(db, user.company_id, id), user);
  }

  async function update(user: UserRow, id: string, patch: MeetingTypeInput): Promise<MeetingTypeJson> {
    await inTransaction(db, async (tx) => {
      const row = await requireLive(tx, user.company_id, id);
      const scope = requireWriter(user, row, 'update');
      const target = await resolveAvailability(tx, scope, patch, row.availability_id);
      const values = valuesOf(mergeDocument(documentOf(row), patch), target.timezone);
      if (patch.meetingOptions?.recurring && (await findQueueOfMeetingType(tx, row.company_id, id))) refuseSeriesWithQueue(values.meeting_options);
      const slug = values.slug ?? row.slug;
      if (slug !== row.slug && (await repo.meetingTypeSlugTaken(tx, row.user_id, slug, id))) throw repo.slugConflict();
      await repo.updateMeetingTypeColumns(tx, id, { ...values, slug, availability_id: target.id });
    });
    return get(user.company_id, id);
  }

  async function remove(user: UserRow, id: string, deleteAvailability: boolean): Promise<void> {
    await inTransaction(db, async (tx) => {
      const row = await requireLive(tx, user.company_id, id);
      const scope = requireWriter(user, row, 'delete');
      await repo.softDeleteMeetingType(tx, id);
      if (deleteAvailability) await availability.removeIn(tx, scope, row.availability_id, id);
    });
  }

  return { list, get, create, update, remove };
}
