// Authentication: `Authorization: Bearer <API key>` → company; `x-meetergo-api-user-id` → acting
// user of that company. `Authorization: Bearer rgo-…` (a personal access token) → its owner, within
// the token's scopes, with no user header. Each route declares what it needs in `config.auth`.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiKeysService } from '../api-keys/api-keys.service.ts';
import { AppError } from '../lib/app-error.ts';
import { isUuid } from '../lib/ids.ts';
import { hashSecret, secretMatches } from '../lib/secrets.ts';
import { scopeRefusal, tokenRule } from '../tokens/token-scopes.ts';
import { TOKEN_PREFIX, type TokensService } from '../tokens/tokens.service.ts';
import type { UserRow } from '../users/users.repo.ts';
import type { RateLimiter } from './rate-limit.ts';

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

export const USER_HEADER = 'x-meetergo-api-user-id';

export const MISSING_USER_HEADER = `Missing required header '${USER_HEADER}' for API key authentication`;

export const FOREIGN_USER_WITH_TOKEN = `A personal access token acts as its owner; ${USER_HEADER} must not name another user`;

interface AuthDeps {
  apiKeys: ApiKeysService;
  tokens: TokensService;
  findUser: (companyId: string, id: string) => Promise<UserRow | undefined>;
  rateLimiter: RateLimiter;
  adminKey: string | undefined;
}

export function registerAuth(app: FastifyInstance, deps: AuthDeps): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    const mode = request.routeOptions.config?.auth ?? 'none';
    if (mode === 'none') return;
    if (mode === 'admin') return checkAdmin(request, deps.adminKey);
    const token = bearerToken(request);
    const header = request.headers[USER_HEADER];
    const userId = Array.isArray(header) ? header[0] : header;
    const principal = token.startsWith(TOKEN_PREFIX)
      ? await tokenPrincipal(request, deps, token, userId)
      : await keyPrincipal(deps, token, userId);
    if (mode === 'user' && !principal.user) throw new AppError('bad_request', MISSING_USER_HEADER);
    request.principal = principal;
  });
}

function takeRateLimit(deps: AuthDeps, credentialId: string): void {
  const wait = deps.rateLimiter.take(credentialId);
  if (wait > 0) throw new AppError('rate_limited', 'Too Many Requests', { retryAfter: wait });
}

async function keyPrincipal(
  deps: AuthDeps,
  token: string,
  userId: string | undefined,
): Promise<Principal> {
  const key = await deps.apiKeys.resolve(token);
  takeRateLimit(deps, key.keyId);
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
  takeRateLimit(deps, resolved.tokenId);
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

function checkAdmin(request: FastifyRequest, adminKey: string | undefined): void {
  // Without an admin key configured the admin surface does not exist.
  if (!adminKey) throw new AppError('not_found', `Cannot ${request.method} ${request.url.split('?')[0]}`);
  if (!secretMatches(bearerToken(request), hashSecret(adminKey))) {
    throw new AppError('unauthenticated', 'Invalid API key');
  }
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
