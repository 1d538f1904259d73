// Users (hosts) in the database. Every read is scoped to a company: another company's user does
// not exist from here.
import { sql } from 'kysely';
import type { Executor } from '../db/database.ts';
import { SQLSTATE, constraintName, sqlState } from '../db/errors.ts';
import { AppError } from '../lib/app-error.ts';

export interface UserRow {
  id: string;
  company_id: string;
  email: string;
  given_name: string;
  family_name: string;
  timezone: string;
  language: string;
  slug: string;
  role: 'owner' | 'admin' | 'member';
  user_type: string;
  created_at: Date;
  updated_at: Date;
  default_availability_id: string | null;
}

const defaultAvailability = sql<string | null>`(
  SELECT a.id FROM availabilities a
  WHERE a.user_id = users.id AND a.deleted_at IS NULL
  ORDER BY a.is_default DESC, a.created_at ASC LIMIT 1
)`.as('default_availability_id');

function selectUsers(db: Executor) {
  return db
    .selectFrom('users')
    .select([
      'id',
      'company_id',
      'email',
      'given_name',
      'family_name',
      'timezone',
      'language',
      'slug',
      'role',
      'user_type',
      'created_at',
      'updated_at',
      defaultAvailability,
    ])
    .where('deleted_at', 'is', null);
}

export async function findUser(db: Executor, companyId: string, id: string): Promise<UserRow | undefined> {
  return selectUsers(db).where('company_id', '=', companyId).where('id', '=', id).executeTakeFirst();
}

/** Several users of one company in one query, in no particular order. */
export async function findUsers(db: Executor, companyId: string, ids: readonly string[]): Promise<UserRow[]> {
  if (ids.length === 0) return [];
  return selectUsers(db).where('company_id', '=', companyId).where('id', 'in', ids).execute();
}

export async function findOwner(db: Executor, companyId: string): Promise<UserRow | undefined> {
  return selectUsers(db)
    .where('company_id', '=', companyId)
    .where('role', '=', 'owner')
    .orderBy('created_at')
    .executeTakeFirst();
}

export async function listUsers(
  db: Executor,
  companyId: string,
  page: { limit: number; offset: number; userType?: string },
): Promise<{ users: UserRow[]; total: number }> {
  const [users, count] = await Promise.all([
    selectUsers(db)
      .where('company_id', '=', companyId)
      .$if(page.userType !== undefined, (q) => q.where('user_type', '=', page.userType!))
      .orderBy('created_at')
      .orderBy('id')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    db
      .selectFrom('users')
      .select(sql<number>`count(*)::int`.as('total'))
      .where('company_id', '=', companyId)
      .where('deleted_at', 'is', null)
      .$if(page.userType !== undefined, (q) => q.where('user_type', '=', page.userType!))
      .executeTakeFirstOrThrow(),
  ]);
  return { users, total: count.total };
}

export interface NewUser {
  companyId: string;
  email: string;
  givenName: string;
  familyName: string;
  timezone: string;
  slug: string;
  role: 'owner' | 'admin' | 'member';
  language?: string;
}

/** A unique index refusing a user's email or slug, as the 409 the caller can act on. */
function conflictOf(error: unknown): unknown {
  if (sqlState(error) !== SQLSTATE.uniqueViolation) return error;
  const constraint = constraintName(error);
  if (constraint === 'users_email_unique') return new AppError('conflict', 'A user with this email already exists');
  if (constraint === 'users_slug_unique') return new AppError('conflict', 'This slug is already taken');
  return new AppError('conflict', 'This resource already exists');
}

/** Throws a 409 when the email or slug is taken meanwhile (the caller checked before). */
export async function insertUser(db: Executor, input: NewUser): Promise<string> {
  const row = await db
    .insertInto('users')
    .values({
      company_id: input.companyId,
      email: input.email,
      given_name: input.givenName,
      family_name: input.familyName,
      timezone: input.timezone,
      slug: input.slug,
      role: input.role,
      ...(input.language ? { language: input.language } : {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
    .catch((error: unknown) => {
      throw conflictOf(error);
    });
  return row.id;
}

/** Who holds a slug (slugs are platform-wide: they are public booking URLs): nobody, us, or others. */
export async function slugHolder(
  db: Executor,
  slug: string,
  companyId: string,
  exceptUserId?: string,
): Promise<'free' | 'same-company' | 'other-company'> {
  let query = db.selectFrom('users').select('company_id').where('slug', '=', slug).where('deleted_at', 'is', null);
  if (exceptUserId) query = query.where('id', '!=', exceptUserId);
  const row = await query.executeTakeFirst();
  if (!row) return 'free';
  return row.company_id === companyId ? 'same-company' : 'other-company';
}

export async function slugTaken(db: Executor, slug: string, exceptUserId?: string): Promise<boolean> {
  let query = db.selectFrom('users').select('id').where('slug', '=', slug).where('deleted_at', 'is', null);
  if (exceptUserId) query = query.where('id', '!=', exceptUserId);
  return (await query.executeTakeFirst()) !== undefined;
}

/** Emails are unique per company (migration 0010); another company's users are not consulted. */
export async function emailTaken(db: Executor, companyId: string, email: string): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where('company_id', '=', companyId)
    .where(sql`lower(email)`, '=', email.toLowerCase())
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}

export interface UserPatch {
  given_name?: string;
  family_name?: string;
  timezone?: string;
  slug?: string;
  language?: string;
}

/** Throws a 409 when the new slug is taken meanwhile. */
export async function updateUser(db: Executor, companyId: string, id: string, patch: UserPatch): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ ...patch, updated_at: sql<Date>`now()` })
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst()
    .catch((error: unknown) => {
      throw conflictOf(error);
    });
  return result.numUpdatedRows > 0n;
}

/** Soft delete: the user disappears, their appointments and history stay. */
export async function softDeleteUser(db: Executor, companyId: string, id: string): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ deleted_at: sql<Date>`now()` })
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
