// API keys in the database: only a SHA-256 of the key is stored, with a short prefix for display.
import { sql } from 'kysely';
import type { Executor } from '../db/database.ts';

export interface ApiKeyRow {
  id: string;
  company_id: string;
  name: string;
  prefix: string;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
  created_at: Date;
}

const COLUMNS = ['id', 'company_id', 'name', 'prefix', 'expires_at', 'revoked_at', 'last_used_at', 'created_at'] as const;

export async function insertApiKey(
  db: Executor,
  input: { id?: string; companyId: string; name: string; keyHash: string; prefix: string; expiresAt: Date | null },
): Promise<ApiKeyRow> {
  return db
    .insertInto('api_keys')
    .values({
      ...(input.id ? { id: input.id } : {}),
      company_id: input.companyId,
      name: input.name,
      key_hash: input.keyHash,
      prefix: input.prefix,
      expires_at: input.expiresAt,
    })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
}

export async function findByHash(db: Executor, keyHash: string): Promise<ApiKeyRow | undefined> {
  return db.selectFrom('api_keys').select(COLUMNS).where('key_hash', '=', keyHash).executeTakeFirst();
}

export async function listApiKeys(db: Executor, companyId: string): Promise<ApiKeyRow[]> {
  return db
    .selectFrom('api_keys')
    .select(COLUMNS)
    .where('company_id', '=', companyId)
    .where('revoked_at', 'is', null)
    .orderBy('created_at')
    .execute();
}

export async function revokeApiKey(db: Executor, companyId: string, id: string): Promise<boolean> {
  const result = await db
    .updateTable('api_keys')
    .set({ revoked_at: sql<Date>`now()` })
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function countCompanyKeys(db: Executor, companyId: string): Promise<number> {
  const row = await db
    .selectFrom('api_keys')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('company_id', '=', companyId)
    .where('revoked_at', 'is', null)
    .executeTakeFirstOrThrow();
  return row.n;
}

/** Records a use; callers limit how often (see createUsageStamps). */
export async function touchApiKey(db: Executor, id: string, at: Date): Promise<void> {
  await db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute();
}
