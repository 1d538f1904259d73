// Meeting-type templates (spec MT6): a company's reusable meeting-type settings. Using one
// creates a meeting type for a user from the template, with the request's fields on top (the
// meeting-types service validates the result like any other new meeting type).
import type { Db } from '../db/database.ts';
import { invalidField, notFound } from '../lib/app-error.ts';
import type { Clock } from '../lib/clock.ts';
import { isUuid } from '../lib/ids.ts';
import { type MeetingTypeDocument, mergeDocument } from '../meeting-types/meeting-types.input.ts';
import type { MeetingTypeInput, MeetingTypesService } from '../meeting-types/meeting-types.service.ts';
import type { UserRow } from '../users/users.repo.ts';

export interface TemplateInput {
  meetingInfo: NonNullable<MeetingTypeDocument['meetingInfo']>;
  meetingOptions?: MeetingTypeDocument['meetingOptions'];
  spots?: number;
  locations?: string[];
  templateType?: string;
  queueType?: string;
}

export interface TemplateJson {
  id: string;
  companyId: string;
  createdBy: string | null;
  templateType: string;
  queueType: string | null;
  meetingInfo: Record<string, unknown>;
  meetingOptions: Record<string, unknown>;
  spots: number | null;
  locations: string[];
  createdAt: string;
}

export type TemplatesService = ReturnType<typeof createTemplatesService>;

export function createTemplatesService(deps: { db: Db; clock: Clock; meetingTypes: MeetingTypesService }) {
  const { db, clock } = deps;

  type Row = { id: string; company_id: string; created_by: string | null; template_type: string; queue_type: string | null; document: Record<string, unknown>; created_at: Date };

  const toJson = (row: Row): TemplateJson => {
    const doc = row.document as MeetingTypeDocument;
    return {
      id: row.id,
      companyId: row.company_id,
      createdBy: row.created_by,
      templateType: row.template_type,
      queueType: row.queue_type,
      meetingInfo: (doc.meetingInfo ?? {}) as Record<string, unknown>,
      meetingOptions: (doc.meetingOptions ?? {}) as Record<string, unknown>,
      spots: doc.spots ?? null,
      locations: doc.locations ?? [],
      createdAt: row.created_at.toISOString(),
    };
  };

  const columns = ['id', 'company_id', 'created_by', 'template_type', 'queue_type', 'document', 'created_at'] as const;

  async function create(companyId: string, creator: UserRow | undefined, input: TemplateInput): Promise<TemplateJson> {
    const name = input.meetingInfo.name;
    if (typeof name === 'string' && name.trim() === '') throw invalidField('meetingInfo.name', 'meetingInfo.name must not be empty');
    const document: MeetingTypeDocument = {
      meetingInfo: input.meetingInfo,
      ...(input.meetingOptions ? { meetingOptions: input.meetingOptions } : {}),
      ...(input.spots !== undefined ? { spots: input.spots } : {}),
      ...(input.locations ? { locations: input.locations } : {}),
    };
    const row = await db
      .insertInto('meeting_type_templates')
      .values({
        company_id: companyId,
        created_by: creator?.id ?? null,
        template_type: input.templateType ?? 'individual',
        queue_type: input.queueType ?? null,
        document: JSON.stringify(document),
        created_at: clock.now(),
      })
      .returning(columns)
      .executeTakeFirstOrThrow();
    return toJson(row);
  }

  async function find(companyId: string, id: string): Promise<Row> {
    const row = isUuid(id)
      ? await db
          .selectFrom('meeting_type_templates')
          .select(columns)
          .where('company_id', '=', companyId)
          .where('id', '=', id)
          .where('deleted_at', 'is', null)
          .executeTakeFirst()
      : undefined;
    if (!row) throw notFound('Meeting type template');
    return row;
  }

  async function list(companyId: string): Promise<TemplateJson[]> {
    const rows = await db
      .selectFrom('meeting_type_templates')
      .select(columns)
      .where('company_id', '=', companyId)
      .where('deleted_at', 'is', null)
      .orderBy('created_at')
      .orderBy('id')
      .limit(500)
      .execute();
    return rows.map(toJson);
  }

  /** A new meeting type of `user`: the template's settings with `overrides` merged on top. */
  async function use(user: UserRow, id: string, overrides: MeetingTypeInput) {
    const template = await find(user.company_id, id);
    const { availabilityId, availability, ...document } = overrides;
    const merged: MeetingTypeInput = {
      ...mergeDocument(template.document as MeetingTypeDocument, document),
      ...(availabilityId !== undefined ? { availabilityId } : {}),
      ...(availability !== undefined ? { availability } : {}),
    };
    return deps.meetingTypes.create(user, merged);
  }

  return { create, get: async (companyId: string, id: string) => toJson(await find(companyId, id)), list, use };
}
