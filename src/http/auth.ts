// Authentication: `Authorization: Bearer <API key>` → company; `x-meetergo-api-user-id` → acting
// user of that company. Each route declares what it needs in `config.auth`.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiKeysService } from '../api-keys/api-keys.service.ts';
import { AppError } from '../lib/app-error.ts';
import { isUuid } from '../lib/ids.ts';
import { hashSecret, secretMatches } from '../lib/secrets.ts';
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
  apiKeyId: string;
  /** The user named by the header, if any. */
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

interface AuthDeps {
  apiKeys: ApiKeysService;
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
    const key = await deps.apiKeys.resolve(token);
    const wait = deps.rateLimiter.take(key.keyId);
    if (wait > 0) throw new AppError('rate_limited', 'Too Many Requests', { retryAfter: wait });
    const principal: Principal = { companyId: key.companyId, apiKeyId: key.keyId };
    const header = request.headers[USER_HEADER];
    const userId = Array.isArray(header) ? header[0] : header;
    if (userId === undefined || userId === '') {
      if (mode === 'user') throw new AppError('bad_request', MISSING_USER_HEADER);
    } else {
      // Unknown and foreign users are refused alike, so the header cannot probe other companies.
      const user = isUuid(userId) ? await deps.findUser(key.companyId, userId) : undefined;
      if (!user) throw new AppError('forbidden', `User ${userId} does not belong to this API key's company`);
      principal.user = user;
    }
    request.principal = principal;
  });
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
