// The API side of the public pages: a user's personal-page branding (GET|PATCH
// /v4/personal-page/me) and one-time booking links (POST /v4/one-time-booking-link/create/{id}).
import type { Db } from '../db/database.ts';
import { notFound } from '../lib/app-error.ts';
import { isUuid } from '../lib/ids.ts';
import { hashSecret, randomToken } from '../lib/secrets.ts';
import { findMeetingType } from '../meeting-types/meeting-types.repo.ts';
import type { OneTimeLinkJson, PersonalPagePatch, PersonalPageSettings } from './pages.schemas.ts';
import * as repo from './pages.repo.ts';

export const DEFAULT_PERSONAL_PAGE: PersonalPageSettings = {
  useCustomColors: false,
  primaryColor: null,
  secondaryColor: null,
  headerImage: null,
  description: '',
  showAllMeetingTypes: true,
  meetingTypeOrder: [],
  onlineProfiles: {},
};

/** Stored settings over the defaults; unknown stored keys are dropped. */
export function personalPageSettings(stored: Record<string, unknown> | undefined): PersonalPageSettings {
  const merged: Record<string, unknown> = { ...DEFAULT_PERSONAL_PAGE };
  for (const key of Object.keys(DEFAULT_PERSONAL_PAGE)) if (stored && key in stored) merged[key] = stored[key];
  return merged as unknown as PersonalPageSettings;
}

export type PageSettingsService = ReturnType<typeof createPageSettingsService>;

export function createPageSettingsService(deps: { db: Db; publicUrl: string }) {
  const { db, publicUrl } = deps;
  const pageUrl = (slug: string) => `${publicUrl}/${slug}`;

  async function get(user: { id: string; slug: string }) {
    return { ...personalPageSettings(await repo.readPersonalPage(db, user.id)), bookingUrl: pageUrl(user.slug) };
  }

  async function update(user: { id: string; company_id: string; slug: string }, patch: PersonalPagePatch) {
    const next = { ...personalPageSettings(await repo.readPersonalPage(db, user.id)), ...patch };
    await repo.writePersonalPage(db, user.company_id, user.id, next);
    return { ...next, bookingUrl: pageUrl(user.slug) };
  }

  /** The link opens the meeting type's page with a token that books once (stored hashed). */
  async function createOneTimeLink(companyId: string, createdBy: string | null, meetingTypeId: string): Promise<OneTimeLinkJson> {
    const type = isUuid(meetingTypeId) ? await findMeetingType(db, companyId, meetingTypeId) : undefined;
    const owner = type && !type.deleted_at ? await repo.findHostById(db, companyId, type.user_id) : undefined;
    if (!type || !owner) throw notFound('Meeting type');
    const token = randomToken(24);
    const id = await repo.insertOneTimeLink(db, { companyId, meetingTypeId: type.id, tokenHash: hashSecret(token), createdBy });
    const url = `${publicUrl}/${owner.slug}/${type.slug}?once=${encodeURIComponent(token)}`;
    return { id, url, link: url };
  }

  return { get, update, createOneTimeLink };
}
