// API routes behind the public pages: personal-page branding (spec M3) and one-time links (M2).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actingUser, principalOf } from '../http/auth.ts';
import { errorResponses } from '../http/params.ts';
import type { PageSettingsService } from './page-settings.service.ts';
import { MeetingTypeIdParams, OneTimeLinkJson, PersonalPageBody, PersonalPageJson } from './pages.schemas.ts';

const errors = errorResponses(400, 401, 403, 404, 429);

export function pageSettingsRoutes(deps: { settings: PageSettingsService }): FastifyPluginAsyncTypebox {
  const { settings } = deps;
  return async (app) => {
    app.get(
      '/v4/personal-page/me',
      {
        config: { auth: 'user' },
        schema: { operationId: 'getPersonalPage', tags: ['Personal page'], summary: "The acting user's personal page branding", response: { 200: PersonalPageJson, ...errors } },
      },
      async (request) => settings.get(actingUser(request)),
    );

    app.patch(
      '/v4/personal-page/me',
      {
        config: { auth: 'user' },
        schema: {
          operationId: 'updatePersonalPage',
          tags: ['Personal page'],
          summary: "Change the acting user's personal page branding (only sent fields change)",
          body: PersonalPageBody,
          response: { 200: PersonalPageJson, ...errors },
        },
      },
      async (request) => settings.update(actingUser(request), request.body),
    );

    app.post(
      '/v4/one-time-booking-link/create/:meetingTypeId',
      {
        config: { auth: 'company' },
        schema: {
          operationId: 'createOneTimeBookingLink',
          tags: ['One-time links'],
          summary: 'A link to the meeting type’s page that books once',
          params: MeetingTypeIdParams,
          response: { 201: OneTimeLinkJson, ...errors },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const link = await settings.createOneTimeLink(principal.companyId, principal.user?.id ?? null, request.params.meetingTypeId);
        return reply.status(201).send(link);
      },
    );
  };
}
