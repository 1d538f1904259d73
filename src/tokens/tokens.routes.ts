// Personal access token management (spec §1.2). Only company API keys manage tokens — a token
// cannot (src/tokens/token-scopes.ts refuses it before any handler runs). The owner is the user
// named by `x-meetergo-api-user-id`, or `userId` when the company key manages another user's tokens.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { type Principal, principalOf } from '../http/auth.ts';
import { IdParams, errorResponses, requireUuid, uuidField } from '../http/params.ts';
import { AppError } from '../lib/app-error.ts';
import { CreateTokenBody, IssuedPersonalAccessToken, ListTokensQuery, PersonalAccessToken } from './tokens.schemas.ts';
import type { TokensService } from './tokens.service.ts';

const errors = errorResponses(400, 401, 403, 429);
const TAGS = ['Personal access tokens'];

export function tokensRoutes(deps: {
  tokens: TokensService;
  userExists: (companyId: string, userId: string) => Promise<boolean>;
}): FastifyPluginAsyncTypebox {
  const { tokens } = deps;

  /** The user whose tokens are managed: `userId` (validated) or the acting user, or neither. */
  async function ownerOf(principal: Principal, userId: string | undefined): Promise<string | undefined> {
    if (userId === undefined) return principal.user?.id;
    const id = uuidField(userId, 'userId');
    if (principal.user && principal.user.id !== id) {
      throw new AppError('validation_failed', 'userId differs from the user named by x-meetergo-api-user-id');
    }
    if (!(await deps.userExists(principal.companyId, id))) throw new AppError('not_found', 'User not found');
    return id;
  }

  return async (app) => {
    app.post(
      '/v4/personal-access-token',
      {
        config: { auth: 'company' },
        schema: {
          tags: TAGS,
          summary: 'Create a personal access token for a user (the token is shown once)',
          body: CreateTokenBody,
          response: { 201: IssuedPersonalAccessToken, ...errors, ...errorResponses(404, 406, 409) },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const { userId, ...input } = request.body;
        const owner = await ownerOf(principal, userId);
        if (!owner) {
          throw new AppError('bad_request', 'Name the token owner with userId or x-meetergo-api-user-id');
        }
        return reply.status(201).send(await tokens.issue(principal.companyId, owner, input));
      },
    );

    app.get(
      '/v4/personal-access-token',
      {
        config: { auth: 'company' },
        schema: {
          tags: TAGS,
          summary: "List live tokens: one user's (header or userId), or the whole company's",
          querystring: ListTokensQuery,
          response: { 200: Type.Array(PersonalAccessToken), ...errors, ...errorResponses(404) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        return tokens.list(principal.companyId, await ownerOf(principal, request.query.userId));
      },
    );

    app.delete(
      '/v4/personal-access-token/:id',
      {
        config: { auth: 'company' },
        schema: {
          tags: TAGS,
          summary: 'Revoke a personal access token',
          params: IdParams,
          response: { 200: Type.Object({ message: Type.String() }), ...errors, ...errorResponses(404) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const id = requireUuid(request.params.id, 'Personal access token');
        await tokens.revoke(principal.companyId, id, principal.user?.id);
        return { message: 'Personal access token revoked' };
      },
    );
  };
}
