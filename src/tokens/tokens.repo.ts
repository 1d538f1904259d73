// Personal access tokens in the database: only a SHA-256 of the token is stored, with a short
// prefix for display. Reads are scoped to a company; a token of a deleted user resolves to nothing.
import { sql } from 'kysely';
import type { Executor } from '../db/database.ts';
import { SQLSTATE, sqlState } from '../db/errors.ts';
import { AppError } from '../lib/app-error.ts';

export interface TokenRow {
  id: string;
  company_id: string;
  user_id: string;
  name: string;
  prefix: string;
  scopes: string[] | null;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
  created_at: Date;
}

const COLUMNS = [
  't.id',
  't.company_id',
  't.user_id',
  't.name',
  't.prefix',
  't.scopes',
  't.expires_at',
  't.revoked_at',
  't.last_used_at',
  't.created_at',
] as const;

function selectTokens(db: Executor) {
  return db.selectFrom('personal_access_tokens as t').select(COLUMNS);
}

export async function insertToken(
  db: Executor,
  input: {
    companyId: string;
    userId: string;
    name: string;
    tokenHash: string;
    prefix: string;
    scopes: string[] | null;
    expiresAt: Date | null;
  },
): Promise<TokenRow> {
  try {
    const { id } = await db
      .insertInto('personal_access_tokens')
      .values({
        company_id: input.companyId,
        user_id: input.userId,
        name: input.name,
        token_hash: input.tokenHash,
        prefix: input.prefix,
        scopes: input.scopes,
        expires_at: input.expiresAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return (await selectTokens(db).where('t.id', '=', id).executeTakeFirst())!;
  } catch (error) {
    if (sqlState(error) === SQLSTATE.uniqueViolation) {
      throw new AppError('conflict', `A personal access token named "${input.name}" already exists for this user`);
    }
    throw error;
  }
}

/** The live token with this hash whose owner still exists. */
export async function findByHash(db: Executor, tokenHash: string): Promise<TokenRow | undefined> {
  return selectTokens(db)
    .innerJoin('users as u', 'u.id', 't.user_id')
    .where('u.deleted_at', 'is', null)
    .where('t.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export async function listTokens(db: Executor, companyId: string, userId: string | undefined): Promise<TokenRow[]> {
  let query = selectTokens(db).where('t.company_id', '=', companyId).where('t.revoked_at', 'is', null);
  if (userId) query = query.where('t.user_id', '=', userId);
  return query.orderBy('t.created_at').orderBy('t.id').execute();
}

export async function countUserTokens(db: Executor, userId: string): Promise<number> {
  const row = await db
    .selectFrom('personal_access_tokens')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirstOrThrow();
  return row.n;
}

export async function revokeToken(
  db: Executor,
  companyId: string,
  id: string,
  userId: string | undefined,
): Promise<boolean> {
  let query = db
    .updateTable('personal_access_tokens')
    .set({ revoked_at: sql<Date>`now()` })
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null);
  if (userId) query = query.where('user_id', '=', userId);
  const result = await query.executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function touchToken(db: Executor, id: string, at: Date): Promise<void> {
  await db.updateTable('personal_access_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
}
