// The operator's surface: create companies while the server runs. Exists only when
// TERMIN_ADMIN_KEY is set (the auth hook answers 404 otherwise).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { errorResponses } from '../http/params.ts';
import type { CompaniesService } from './companies.service.ts';

export function adminRoutes(deps: { companies: CompaniesService }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/admin/companies',
      {
        config: { auth: 'admin' },
        schema: {
          tags: ['Admin'],
          summary: 'Create a company with an owner and an API key (operator only)',
          body: Type.Object({
            name: Type.String({ minLength: 1, maxLength: 200 }),
            ownerEmail: Type.Optional(Type.String({ maxLength: 320 })),
            ownerGivenName: Type.Optional(Type.String({ maxLength: 100 })),
            ownerFamilyName: Type.Optional(Type.String({ maxLength: 100 })),
            timezone: Type.Optional(Type.String({ maxLength: 64 })),
          }),
          response: {
            201: Type.Object({ companyId: Type.String(), ownerUserId: Type.String(), apiKey: Type.String() }),
            ...errorResponses(400, 401, 404, 409),
          },
        },
      },
      async (request, reply) => reply.status(201).send(await deps.companies.create(request.body)),
    );
  };
}
