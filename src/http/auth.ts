// Authentication: `Authorization: Bearer <API key>` → company; `x-meetergo-api-user-id` → acting
// user of that company. `Authorization: Bearer rgo-…` (a personal access token) → its owner, within
// the token's scopes, with no user header. Each route declares what it needs in `config.auth`.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiKeysService } from '../api-keys/api-keys.service.ts';
import { AppError } from '../lib/app-error.ts';
import { isUuid } from '../lib/ids.ts';
import type { Viewer } from '../lib/viewer.ts';
import { hashSecret, secretMatches } from '../lib/secrets.ts';
import { scopeRefusal, tokenRule } from '../tokens/token-scopes.ts';
import { TOKEN_PREFIX, type TokensService } from '../tokens/tokens.service.ts';
import type { UserRow } from '../users/users.repo.ts';
import type { Bucket, LimitStore } from './rate-limit.ts';

/**
 * - `none`: public (health, docs, secret-authorised routes).
 * - `company`: a valid key; the user header is optional and, when sent, must name a user of the company.
 * - `user`: a valid key and the user header.
 * - `admin`: the operator's TERMIN_ADMIN_KEY.
 */
export type AuthMode = 'none' | 'company' | 'user' | 'admin';

export interface Principal {
  companyId: string;
  /** Which credential authenticated the request: a company API key or a user's token. */
  credential: { kind: 'api_key' | 'personal_access_token'; id: string };
  /** The user named by the header (API key) or owning the token, if any. */
  user?: UserRow;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: AuthMode;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/**
 * Who reads a listing (`lib/viewer.ts`): a company API key is the company's own credential and
 * reads everyone's rows, whichever user its header names; a personal access token reads as its
 * owner, everyone's only for an owner or admin.
 */
export function viewerOf(principal: Principal): Viewer {
  const user = principal.user;
  if (principal.credential.kind === 'api_key' || !user || user.role !== 'member') return { wholeCompany: true, ...(user ? { userId: user.id } : {}) };
  return { wholeCompany: false, userId: user.id };
}

export const USER_HEADER = 'x-meetergo-api-user-id';

export const MISSING_USER_HEADER = `Missing required header '${USER_HEADER}' for API key authentication`;

export const FOREIGN_USER_WITH_TOKEN = `A personal access token acts as its owner; ${USER_HEADER} must not name another user`;

interface AuthDeps {
  apiKeys: ApiKeysService;
  tokens: TokensService;
  findUser: (companyId: string, id: string) => Promise<UserRow | undefined>;
  limits: LimitStore;
  /** Requests per API key, per company over all its keys, and failed authentications per address. */
  buckets: { key: Bucket; company: Bucket; authFailures: Bucket };
  adminKey: string | undefined;
}

const TOO_MANY_FAILURES = 'Too many failed authentication attempts from this address';

export function registerAuth(app: FastifyInstance, deps: AuthDeps): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    const mode = request.routeOptions.config?.auth ?? 'none';
    if (mode === 'none') return;
    // Without an admin key configured the admin surface does not exist.
    if (mode === 'admin' && !deps.adminKey) throw new AppError('not_found', `Cannot ${request.method} ${request.url.split('?')[0]}`);
    const header = request.headers[USER_HEADER];
    const userId = Array.isArray(header) ? header[0] : header;
    const principal = await throttledFailures(request, deps, async (token) => {
      if (mode === 'admin') return checkAdmin(token, deps.adminKey!);
      return token.startsWith(TOKEN_PREFIX) ? tokenPrincipal(request, deps, token, userId) : keyPrincipal(deps, token, userId);
    });
    if (!principal) return;
    if (mode === 'user' && !principal.user) throw new AppError('bad_request', MISSING_USER_HEADER);
    request.principal = principal;
  });
}

/** Each request counts against its credential and against its company (all credentials together). */
async function takeRateLimit(deps: AuthDeps, credentialId: string, companyId: string): Promise<void> {
  const wait =
    (await deps.limits.take(`key:${credentialId}`, 1, deps.buckets.key)) ||
    (await deps.limits.take(`company:${companyId}`, 1, deps.buckets.company));
  if (wait > 0) throw new AppError('rate_limited', 'Too Many Requests', { retryAfter: wait });
}

async function keyPrincipal(
  deps: AuthDeps,
  token: string,
  userId: string | undefined,
): Promise<Principal> {
  const key = await deps.apiKeys.resolve(token);
  await takeRateLimit(deps, key.keyId, key.companyId);
  const principal: Principal = { companyId: key.companyId, credential: { kind: 'api_key', id: key.keyId } };
  if (userId !== undefined && userId !== '') {
    // Unknown and foreign users are refused alike, so the header cannot probe other companies.
    const user = isUuid(userId) ? await deps.findUser(key.companyId, userId) : undefined;
    if (!user) throw new AppError('forbidden', `User ${userId} does not belong to this API key's company`);
    principal.user = user;
  }
  return principal;
}

async function tokenPrincipal(
  request: FastifyRequest,
  deps: AuthDeps,
  token: string,
  userId: string | undefined,
): Promise<Principal> {
  const resolved = await deps.tokens.resolve(token);
  await takeRateLimit(deps, resolved.tokenId, resolved.companyId);
  // The header is not needed; naming the owner is harmless, naming anyone else is refused.
  if (userId !== undefined && userId !== '' && userId.toLowerCase() !== resolved.userId) {
    throw new AppError('forbidden', FOREIGN_USER_WITH_TOKEN);
  }
  const refusal = scopeRefusal(resolved.scopes, tokenRule(request.method, request.routeOptions.url ?? request.url));
  if (refusal) throw new AppError('forbidden', refusal);
  const user = await deps.findUser(resolved.companyId, resolved.userId);
  if (!user) throw new AppError('unauthenticated', 'Invalid personal access token');
  return {
    companyId: resolved.companyId,
    credential: { kind: 'personal_access_token', id: resolved.tokenId },
    user,
  };
}

function bearerToken(request: FastifyRequest): string {
  const header = request.headers.authorization;
  if (!header) throw new AppError('unauthenticated', 'Missing authorization header');
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new AppError('unauthenticated', 'Invalid API key');
  return match[1]!;
}

/**
 * Runs `authenticate` with the request's bearer token. Every wrong credential costs the client's
 * address a token; an address out of tokens gets 429 before its guess is even looked at, so keys
 * cannot be guessed at speed (valid keys from that address wait too: a legitimate client does not
 * send wrong keys by the dozen).
 */
async function throttledFailures<T>(
  request: FastifyRequest,
  deps: AuthDeps,
  authenticate: (token: string) => Promise<T> | T,
): Promise<T> {
  const token = bearerToken(request);
  const bucketKey = `authfail:${request.ip}`;
  const locked = await deps.limits.check(bucketKey, 1, deps.buckets.authFailures);
  if (locked > 0) throw new AppError('rate_limited', TOO_MANY_FAILURES, { retryAfter: locked });
  try {
    return await authenticate(token);
  } catch (error) {
    if (error instanceof AppError && error.code === 'unauthenticated') {
      await deps.limits.take(bucketKey, 1, deps.buckets.authFailures);
    }
    throw error;
  }
}

function checkAdmin(token: string, adminKey: string): undefined {
  if (!secretMatches(token, hashSecret(adminKey))) throw new AppError('unauthenticated', 'Invalid API key');
  return undefined;
}

/** The principal of a route declared `company` or `user`; the hook guarantees it is set. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError('unauthenticated', 'Missing authorization header');
  return request.principal;
}

/** The acting user of a `user` route (or a `company` route that received the header). */
export function actingUser(request: FastifyRequest): UserRow {
  const principal = principalOf(request);
  if (!principal.user) throw new AppError('bad_request', MISSING_USER_HEADER);
  return principal.user;
}
