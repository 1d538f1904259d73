// SQL of the public pages: the host behind a slug, their bookable meeting types, personal-page
// settings and one-time links. Reads by slug are the only company-less reads: a slug is unique
// platform-wide, and everything after it is scoped to the company the slug resolved to.
import type { Executor } from '../db/database.ts';
import type { MeetingTypeRow } from '../meeting-types/meeting-types.repo.ts';

export interface PageHost {
  id: string;
  company_id: string;
  given_name: string;
  family_name: string;
  slug: string;
  timezone: string;
  language: string;
}

export async function findHostBySlug(db: Executor, slug: string): Promise<PageHost | undefined> {
  return db
    .selectFrom('users')
    .select(['id', 'company_id', 'given_name', 'family_name', 'slug', 'timezone', 'language'])
    .where('slug', '=', slug)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

export async function findHostById(db: Executor, companyId: string, id: string): Promise<PageHost | undefined> {
  return db
    .selectFrom('users')
    .select(['id', 'company_id', 'given_name', 'family_name', 'slug', 'timezone', 'language'])
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/** The host's live meeting types; `slug` narrows to one. Disabled ones are left to the caller. */
export async function hostMeetingTypes(db: Executor, host: PageHost, slug?: string): Promise<MeetingTypeRow[]> {
  let query = db
    .selectFrom('meeting_types')
    .selectAll()
    .where('company_id', '=', host.company_id)
    .where('user_id', '=', host.id)
    .where('deleted_at', 'is', null);
  if (slug !== undefined) query = query.where('slug', '=', slug);
  return query.orderBy('created_at').orderBy('id').execute();
}

/** A live meeting type of the company with its owner's slug (a deleted owner: none). */
export async function liveMeetingType(db: Executor, companyId: string, id: string) {
  return db
    .selectFrom('meeting_types as mt')
    .innerJoin('users as u', 'u.id', 'mt.user_id')
    .select(['mt.id', 'mt.slug', 'mt.enabled', 'mt.created_at', 'u.slug as owner_slug'])
    .where('mt.company_id', '=', companyId)
    .where('mt.id', '=', id)
    .where('mt.deleted_at', 'is', null)
    .where('u.deleted_at', 'is', null)
    .executeTakeFirst();
}

export async function readPersonalPage(db: Executor, userId: string): Promise<Record<string, unknown> | undefined> {
  const row = await db.selectFrom('personal_pages').select('settings').where('user_id', '=', userId).executeTakeFirst();
  return row?.settings;
}

export async function writePersonalPage(db: Executor, companyId: string, userId: string, settings: Record<string, unknown>): Promise<void> {
  const json = JSON.stringify(settings);
  await db
    .insertInto('personal_pages')
    .values({ user_id: userId, company_id: companyId, settings: json })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ settings: json, updated_at: new Date() }))
    .execute();
}

export async function insertOneTimeLink(
  db: Executor,
  input: { companyId: string; meetingTypeId: string; tokenHash: string; createdBy: string | null },
): Promise<string> {
  const row = await db
    .insertInto('one_time_links')
    .values({ company_id: input.companyId, meeting_type_id: input.meetingTypeId, token_hash: input.tokenHash, created_by: input.createdBy })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface OneTimeLinkRow {
  id: string;
  company_id: string;
  meeting_type_id: string;
  used_at: Date | null;
}

export async function findOneTimeLink(db: Executor, tokenHash: string): Promise<OneTimeLinkRow | undefined> {
  return db
    .selectFrom('one_time_links')
    .select(['id', 'company_id', 'meeting_type_id', 'used_at'])
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/** True for exactly one caller per link: the conditional update is the guarantee. */
export async function claimOneTimeLink(db: Executor, id: string, now: Date): Promise<boolean> {
  const result = await db.updateTable('one_time_links').set({ used_at: now }).where('id', '=', id).where('used_at', 'is', null).executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** A claim whose booking failed gives the link back (only that claim: same `used_at`). */
export async function releaseOneTimeLink(db: Executor, id: string, claimedAt: Date): Promise<void> {
  await db.updateTable('one_time_links').set({ used_at: null }).where('id', '=', id).where('used_at', '=', claimedAt).execute();
}

export async function recordOneTimeBooking(db: Executor, id: string, appointmentId: string): Promise<void> {
  await db.updateTable('one_time_links').set({ appointment_id: appointmentId }).where('id', '=', id).execute();
}
