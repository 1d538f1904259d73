// Key management for a company: create (shown once), list, revoke.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { principalOf } from '../http/auth.ts';
import { IdParams, errorResponses, requireUuid } from '../http/params.ts';
import type { ApiKeysService } from './api-keys.service.ts';

const apiKeyFields = {
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String(),
  expiresAt: Type.Union([Type.String(), Type.Null()]),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
};
const ApiKey = Type.Object(apiKeyFields, { title: 'ApiKey' });
const IssuedApiKey = Type.Object({ ...apiKeyFields, apiKey: Type.String() }, { title: 'IssuedApiKey' });

const errors = errorResponses(400, 401, 403, 429);

export function apiKeysRoutes(deps: { apiKeys: ApiKeysService }): FastifyPluginAsyncTypebox {
  const { apiKeys } = deps;
  return async (app) => {
    app.post(
      '/v4/api-key',
      {
        config: { auth: 'company' },
        schema: {
          tags: ['API keys'],
          summary: 'Create an API key (the key is shown once)',
          body: Type.Optional(
            Type.Object({
              name: Type.Optional(Type.String({ maxLength: 100 })),
              expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
            }),
          ),
          response: { 201: IssuedApiKey, ...errors, ...errorResponses(406) },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await apiKeys.issue(principalOf(request).companyId, request.body ?? {})),
    );

    app.get(
      '/v4/api-key',
      {
        config: { auth: 'company' },
        schema: { tags: ['API keys'], summary: 'List active API keys', response: { 200: Type.Array(ApiKey), ...errors } },
      },
      async (request) => apiKeys.list(principalOf(request).companyId),
    );

    app.delete(
      '/v4/api-key/:id',
      {
        config: { auth: 'company' },
        schema: {
          tags: ['API keys'],
          summary: 'Revoke an API key',
          params: IdParams,
          response: { 200: Type.Object({ message: Type.String() }), ...errors, ...errorResponses(404) },
        },
      },
      async (request) => {
        await apiKeys.revoke(principalOf(request).companyId, requireUuid(request.params.id, 'API key'));
        return { message: 'API key revoked' };
      },
    );
  };
}
