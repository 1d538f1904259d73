// Authentication: `Authorization: Bearer <API key>` → company; `x-meetergo-api-user-id` → acting
// user of that company. Each route declares what it needs in `config.auth`.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiKeysService } from '../api-keys/api-keys.service.ts';
import { AppError } from '../lib/app-error.ts';
import { isUuid } from '../lib/ids.ts';
import { hashSecret, secretMatches } from '../lib/secrets.ts';
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
    const key = await throttledFailures(request, deps, async (token) => {
      if (mode === 'admin') return checkAdmin(token, deps.adminKey!);
      return deps.apiKeys.resolve(token);
    });
    if (!key) return;
    const wait =
      (await deps.limits.take(`key:${key.keyId}`, 1, deps.buckets.key)) ||
      (await deps.limits.take(`company:${key.companyId}`, 1, deps.buckets.company));
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
