// Issues, lists, revokes and resolves API keys. A key is shown once, at creation; afterwards only
// its prefix is known. Resolution answers the exact 401 messages of the contract.
import type { Db, Executor } from '../db/database.ts';
import { AppError, invalidField, notFound } from '../lib/app-error.ts';
import type { Clock } from '../lib/clock.ts';
import { createCredentialCache, createUsageStamps } from '../lib/credential-cache.ts';
import { hashSecret, newApiKey } from '../lib/secrets.ts';
import * as repo from './api-keys.repo.ts';

export interface ApiKeyJson {
  id: string;
  name: string;
  prefix: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
}

export interface IssuedApiKey extends ApiKeyJson {
  /** The key itself: shown this once, never stored. */
  apiKey: string;
}

export type ApiKeysService = ReturnType<typeof createApiKeysService>;

const MAX_KEYS_PER_COMPANY = 50;
const DAY_MS = 86_400_000;

export function createApiKeysService(deps: { db: Db; clock: Clock; cacheTtlMs?: number }) {
  const { db, clock } = deps;
  // Every authenticated request resolves its key; on a hot path that lookup dominates. Keys found
  // are remembered briefly. A revocation through this instance forgets at once; one made through
  // another instance (or the CLI) takes effect here within the TTL. Expiry is checked on every use.
  const cache = createCredentialCache<repo.ApiKeyRow>(deps.cacheTtlMs ?? 0, clock);
  const usage = createUsageStamps(clock);

  const toJson = (row: repo.ApiKeyRow): ApiKeyJson => ({
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    expiresAt: row.expires_at?.toISOString() ?? null,
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
  });

  async function issue(
    companyId: string,
    input: { name?: string; expiresInDays?: number; token?: string },
    executor: Executor = db,
  ): Promise<IssuedApiKey> {
    if (input.expiresInDays !== undefined && !(Number.isInteger(input.expiresInDays) && input.expiresInDays >= 1)) {
      throw invalidField('expiresInDays', 'expiresInDays must be a whole number of days, at least 1');
    }
    if ((await repo.countCompanyKeys(executor, companyId)) >= MAX_KEYS_PER_COMPANY) {
      throw new AppError('limit_reached', `A company can have at most ${MAX_KEYS_PER_COMPANY} active API keys`);
    }
    const generated = newApiKey();
    const token = input.token ?? generated.token;
    const expiresAt =
      input.expiresInDays === undefined ? null : new Date(clock.now().getTime() + input.expiresInDays * DAY_MS);
    const row = await repo.insertApiKey(executor, {
      id: generated.id,
      companyId,
      name: input.name?.trim() || 'API key',
      keyHash: hashSecret(token),
      prefix: `${token.slice(0, 12)}…`,
      expiresAt,
    });
    return { ...toJson(row), apiKey: token };
  }

  async function list(companyId: string): Promise<ApiKeyJson[]> {
    return (await repo.listApiKeys(db, companyId)).map(toJson);
  }

  async function revoke(companyId: string, id: string): Promise<void> {
    if (!(await repo.revokeApiKey(db, companyId, id))) throw notFound('API key');
    cache.forget(id);
  }

  /** The key's company, or the documented 401. Revoked keys are simply invalid. */
  async function resolve(token: string): Promise<{ keyId: string; companyId: string }> {
    const hash = hashSecret(token);
    const row = cache.get(hash) ?? cache.remember(hash, await repo.findByHash(db, hash));
    if (!row || row.revoked_at) throw new AppError('unauthenticated', 'Invalid API key');
    if (row.expires_at && row.expires_at.getTime() <= clock.now().getTime()) {
      throw new AppError('unauthenticated', 'API key has expired');
    }
    if (usage.due(row.id)) await repo.touchApiKey(db, row.id, clock.now());
    return { keyId: row.id, companyId: row.company_id };
  }

  return { issue, list, revoke, resolve };
}
