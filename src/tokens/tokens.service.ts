// Issues, lists, revokes and resolves personal access tokens. A token is shown once, at creation;
// afterwards only its prefix is known. It acts as its owner, within its scopes.
import type { Db } from '../db/database.ts';
import { AppError, invalidField, notFound } from '../lib/app-error.ts';
import type { Clock } from '../lib/clock.ts';
import { createCredentialCache, createUsageStamps } from '../lib/credential-cache.ts';
import { hashSecret, randomToken } from '../lib/secrets.ts';
import type { TokenScope } from './token-scopes.ts';
import * as repo from './tokens.repo.ts';

export const TOKEN_PREFIX = 'rgo-';

export interface TokenJson {
  id: string;
  userId: string;
  name: string;
  prefix: string;
  /** null: every capability group. */
  scopes: string[] | null;
  expiresAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
}

export interface IssuedToken extends TokenJson {
  /** The token itself: shown this once, never stored. */
  token: string;
}

export interface ResolvedToken {
  tokenId: string;
  companyId: string;
  userId: string;
  scopes: string[] | null;
}

export interface IssueTokenInput {
  name: string;
  expiresInDays?: number;
  expiresAt?: string;
  scopes?: TokenScope[];
}

export type TokensService = ReturnType<typeof createTokensService>;

const MAX_TOKENS_PER_USER = 50;
const DAY_MS = 86_400_000;

/** `rgo-` + 32 base64url characters: 192 random bits. */
export function newPersonalAccessToken(): string {
  return `${TOKEN_PREFIX}${randomToken(24)}`;
}

export function createTokensService(deps: { db: Db; clock: Clock; cacheTtlMs?: number }) {
  const { db, clock } = deps;
  const cache = createCredentialCache<repo.TokenRow>(deps.cacheTtlMs ?? 0, clock);
  const usage = createUsageStamps(clock);

  const toJson = (row: repo.TokenRow): TokenJson => ({
    id: row.id,
    userId: row.user_id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes,
    expiresAt: row.expires_at?.toISOString() ?? null,
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
  });

  function expiryOf(input: IssueTokenInput): Date | null {
    if (input.expiresInDays !== undefined && input.expiresAt !== undefined) {
      throw invalidField('expiresAt', 'Send either expiresAt or expiresInDays, not both');
    }
    if (input.expiresInDays !== undefined) return new Date(clock.now().getTime() + input.expiresInDays * DAY_MS);
    if (input.expiresAt === undefined) return null;
    const at = new Date(input.expiresAt);
    if (Number.isNaN(at.getTime()) || at.getTime() <= clock.now().getTime()) {
      throw invalidField('expiresAt', 'expiresAt must be a future date-time');
    }
    return at;
  }

  async function issue(companyId: string, userId: string, input: IssueTokenInput): Promise<IssuedToken> {
    const name = input.name.trim();
    if (!name) throw invalidField('name', 'name must not be empty');
    const expiresAt = expiryOf(input);
    if ((await repo.countUserTokens(db, userId)) >= MAX_TOKENS_PER_USER) {
      throw new AppError('limit_reached', `A user can have at most ${MAX_TOKENS_PER_USER} active personal access tokens`);
    }
    const token = newPersonalAccessToken();
    const scopes = input.scopes === undefined ? null : [...new Set(input.scopes)].sort();
    const row = await repo.insertToken(db, {
      companyId,
      userId,
      name,
      tokenHash: hashSecret(token),
      prefix: `${token.slice(0, 8)}…`,
      scopes,
      expiresAt,
    });
    return { ...toJson(row), token };
  }

  async function list(companyId: string, userId: string | undefined): Promise<TokenJson[]> {
    return (await repo.listTokens(db, companyId, userId)).map(toJson);
  }

  async function revoke(companyId: string, id: string, userId: string | undefined): Promise<void> {
    if (!(await repo.revokeToken(db, companyId, id, userId))) throw notFound('Personal access token');
    cache.forget(id);
  }

  /** The token's owner, or 401. Revoked tokens and tokens of deleted users are simply invalid. */
  async function resolve(token: string): Promise<ResolvedToken> {
    const hash = hashSecret(token);
    const row = cache.get(hash) ?? cache.remember(hash, await repo.findByHash(db, hash));
    if (!row || row.revoked_at) throw new AppError('unauthenticated', 'Invalid personal access token');
    if (row.expires_at && row.expires_at.getTime() <= clock.now().getTime()) {
      throw new AppError('unauthenticated', 'Personal access token has expired');
    }
    if (usage.due(row.id)) await repo.touchToken(db, row.id, clock.now());
    return { tokenId: row.id, companyId: row.company_id, userId: row.user_id, scopes: row.scopes };
  }

  return { issue, list, revoke, resolve };
}
