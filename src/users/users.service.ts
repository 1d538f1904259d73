// Users (hosts) of a company: creation with a default schedule and meeting type so a new user is
// bookable at once, reads scoped to the company, updates and soft deletion.
import { randomBytes } from 'node:crypto';
import type { Db, Executor } from '../db/database.ts';
import { inTransaction } from '../db/transaction.ts';
import { insertAvailability } from '../availability/availability.repo.ts';
import { businessHours, normalizeSchedule } from '../availability/schedule.ts';
import { AppError, invalidField, notFound } from '../lib/app-error.ts';
import { isValidTimeZone } from '../lib/time.ts';
import { isValidEmail, normalizeEmail, slugify } from '../lib/text.ts';
import { toChannel } from '../meeting-types/channels.ts';
import { insertMeetingType } from '../meeting-types/meeting-types.repo.ts';
import { enqueueEvent } from '../outbox/outbox.repo.ts';
import * as repo from './users.repo.ts';

export interface CreateUserInput {
  email: string;
  givenName: string;
  familyName: string;
  timezone: string;
  availability?: { name?: string; timezone?: string; schedule?: unknown };
  meetingType?: { name?: string; duration?: number; slug?: string; channel?: string };
}

export interface CreatedUser {
  userId: string;
  availabilityId: string;
  defaultAvailabilityId: string;
  meetingTypeId: string;
  bookingUrl: string;
  companyId: string;
}

export interface UserJson {
  id: string;
  email: string;
  givenName: string;
  familyName: string;
  fullName: string;
  slug: string;
  timezone: string;
  language: string;
  isAdmin: boolean;
  userType: string;
  companyId: string;
  defaultAvailabilityId: string | null;
  bookingUrl: string;
  createdAt: string;
  updatedAt: string;
}

export type UsersService = ReturnType<typeof createUsersService>;

export function createUsersService(deps: { db: Db; publicUrl: string }) {
  const { db, publicUrl } = deps;

  const toJson = (row: repo.UserRow): UserJson => ({
    id: row.id,
    email: row.email,
    givenName: row.given_name,
    familyName: row.family_name,
    fullName: `${row.given_name} ${row.family_name}`.trim(),
    slug: row.slug,
    timezone: row.timezone,
    language: row.language,
    isAdmin: row.role !== 'member',
    userType: row.user_type,
    companyId: row.company_id,
    defaultAvailabilityId: row.default_availability_id,
    bookingUrl: `${publicUrl}/${row.slug}`,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  });

  async function requireUser(executor: Executor, companyId: string, id: string): Promise<repo.UserRow> {
    const user = await repo.findUser(executor, companyId, id);
    if (!user) throw notFound('User');
    return user;
  }

  /** Creates the user, their default availability and meeting type, and the new_employee event. */
  async function create(
    companyId: string,
    input: CreateUserInput,
    options: { role?: 'owner' | 'member'; tx?: Executor } = {},
  ): Promise<CreatedUser> {
    const email = normalizeEmail(input.email);
    if (!isValidEmail(email)) throw invalidField('email', 'email must be a valid email address');
    const givenName = requireName(input.givenName, 'givenName');
    const familyName = requireName(input.familyName, 'familyName');
    requireZone(input.timezone, 'timezone');
    const availabilityZone = input.availability?.timezone ?? input.timezone;
    requireZone(availabilityZone, 'availability.timezone');
    const schedule =
      input.availability?.schedule === undefined
        ? businessHours()
        : normalizeSchedule(input.availability.schedule, 'availability.schedule');
    const meetingType = defaultMeetingType(input.meetingType);

    const work = async (tx: Executor): Promise<CreatedUser> => {
      if (await repo.emailTaken(tx, companyId, email)) throw new AppError('conflict', 'A user with this email already exists');
      const slug = await freeSlug(tx, `${givenName} ${familyName}`);
      const userId = await repo.insertUser(tx, {
        companyId,
        email,
        givenName,
        familyName,
        timezone: input.timezone,
        slug,
        role: options.role ?? 'member',
      });
      const availabilityId = await insertAvailability(tx, {
        companyId,
        userId,
        name: input.availability?.name?.trim() || 'Working hours',
        timezone: availabilityZone,
        schedule,
        isDefault: true,
      });
      const meetingTypeId = await insertMeetingType(tx, { companyId, userId, availabilityId, ...meetingType });
      const user = await requireUser(tx, companyId, userId);
      await enqueueEvent(tx, { companyId, type: 'new_employee', subjectId: userId, payload: { ...toJson(user) } });
      return {
        userId,
        availabilityId,
        defaultAvailabilityId: availabilityId,
        meetingTypeId,
        bookingUrl: `${publicUrl}/${slug}/${meetingType.slug}`,
        companyId,
      };
    };
    return options.tx ? work(options.tx) : inTransaction(db, work);
  }

  async function get(companyId: string, id: string): Promise<UserJson> {
    return toJson(await requireUser(db, companyId, id));
  }

  async function list(companyId: string, page: { limit: number; offset: number; userType?: string }) {
    const { users, total } = await repo.listUsers(db, companyId, page);
    return { users: users.map(toJson), total, count: users.length, offset: page.offset };
  }

  async function update(
    companyId: string,
    id: string,
    patch: { givenName?: string; familyName?: string; timezone?: string; slug?: string; language?: string },
  ): Promise<UserJson> {
    await requireUser(db, companyId, id);
    const changes: repo.UserPatch = {};
    if (patch.givenName !== undefined) changes.given_name = requireName(patch.givenName, 'givenName');
    if (patch.familyName !== undefined) changes.family_name = requireName(patch.familyName, 'familyName');
    if (patch.timezone !== undefined) changes.timezone = requireZone(patch.timezone, 'timezone');
    if (patch.language !== undefined) changes.language = patch.language;
    if (patch.slug !== undefined) changes.slug = await chooseSlug(companyId, id, patch.slug);
    if (Object.keys(changes).length > 0) await repo.updateUser(db, companyId, id, changes);
    return get(companyId, id);
  }

  /**
   * A slug taken within the company is the 409 the company can understand; one taken by another
   * company gets a free variant instead, so the answer never says who else exists.
   */
  async function chooseSlug(companyId: string, id: string, wanted: string): Promise<string> {
    const slug = slugify(wanted);
    if (slug.length < 5) throw invalidField('slug', 'slug must have at least 5 letters or digits');
    const holder = await repo.slugHolder(db, slug, companyId, id);
    if (holder === 'same-company') throw new AppError('conflict', 'This slug is already taken');
    return holder === 'free' ? slug : freeSlug(db, slug);
  }

  async function remove(companyId: string, id: string, actingUserId?: string): Promise<void> {
    const user = await requireUser(db, companyId, id);
    if (user.role === 'owner') throw new AppError('bad_request', 'The company owner cannot be deleted');
    if (actingUserId === id) throw new AppError('bad_request', 'You cannot delete yourself');
    await repo.softDeleteUser(db, companyId, id);
  }

  return { create, get, list, update, remove, toJson, requireUser };
}

function requireName(value: string, field: string): string {
  const trimmed = value.trim();
  if (trimmed.length === 0 || trimmed.length > 100) throw invalidField(field, `${field} must be 1 to 100 characters`);
  return trimmed;
}

function requireZone(zone: string, field: string): string {
  if (!isValidTimeZone(zone)) throw invalidField(field, `${field} must be a valid IANA time zone (got "${zone}")`);
  return zone;
}

function defaultMeetingType(input: CreateUserInput['meetingType']) {
  const duration = input?.duration ?? 30;
  if (!Number.isInteger(duration) || duration < 5 || duration > 480) {
    throw invalidField('meetingType.duration', 'meetingType.duration must be a whole number from 5 to 480');
  }
  const channel = toChannel(input?.channel ?? 'phone');
  if (!channel) throw invalidField('meetingType.channel', `meetingType.channel "${input?.channel}" is not a known channel`);
  const name = input?.name?.trim() || `${duration}min Meeting`;
  const slug = slugify(input?.slug ?? name) || `${duration}min`;
  return { name, duration, channel, slug };
}

async function freeSlug(db: Executor, wanted: string): Promise<string> {
  let base = slugify(wanted);
  if (base.length < 5) base = `${base || 'user'}-${randomBytes(2).toString('hex')}`;
  if (!(await repo.slugTaken(db, base))) return base;
  for (;;) {
    const candidate = `${base}-${randomBytes(3).toString('hex')}`;
    if (!(await repo.slugTaken(db, candidate))) return candidate;
  }
}
