// HTTP surface of meeting types (spec §2.3). Thin: parse, call the service, answer.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { actingUser, principalOf } from '../http/auth.ts';
import { IdParams, errorResponses, requireUuid } from '../http/params.ts';
import {
  CreateMeetingTypeBody,
  DeleteMeetingTypeQuery,
  MeetingTypeJson,
  UpdateMeetingTypeBody,
} from './meeting-types.schemas.ts';
import type { MeetingTypeInput, MeetingTypesService } from './meeting-types.service.ts';

const errors = errorResponses(400, 401, 403, 404, 429);
const tags = ['Meeting types'];
const id = (value: string) => requireUuid(value, 'Meeting type');

export function meetingTypesRoutes(deps: { meetingTypes: MeetingTypesService }): FastifyPluginAsyncTypebox {
  const { meetingTypes } = deps;
  return async (app) => {
    app.get(
      '/v4/meeting-type',
      { config: { auth: 'user' }, schema: { tags, summary: "The acting user's meeting types", response: { 200: Type.Array(MeetingTypeJson), ...errors } } },
      async (request) => meetingTypes.list(actingUser(request)),
    );

    app.post(
      '/v4/meeting-type',
      {
        config: { auth: 'user' },
        schema: { tags, summary: 'Create a meeting type', body: CreateMeetingTypeBody, response: { 201: MeetingTypeJson, ...errors, ...errorResponses(409) } },
      },
      async (request, reply) =>
        reply.status(201).send(await meetingTypes.create(actingUser(request), request.body as MeetingTypeInput)),
    );

    app.get(
      '/v4/meeting-type/:id',
      { config: { auth: 'company' }, schema: { tags, summary: 'One meeting type', params: IdParams, response: { 200: MeetingTypeJson, ...errors } } },
      async (request) => meetingTypes.get(principalOf(request).companyId, id(request.params.id)),
    );

    app.patch(
      '/v4/meeting-type/:id',
      {
        config: { auth: 'user' },
        schema: {
          tags,
          summary: 'Update a meeting type (partial; meetingInfo and meetingOptions merge)',
          params: IdParams,
          body: UpdateMeetingTypeBody,
          response: { 200: MeetingTypeJson, ...errors, ...errorResponses(409) },
        },
      },
      async (request) => meetingTypes.update(actingUser(request), id(request.params.id), request.body as MeetingTypeInput),
    );

    app.delete(
      '/v4/meeting-type/:id',
      {
        config: { auth: 'user' },
        schema: { tags, summary: 'Soft-delete a meeting type', params: IdParams, querystring: DeleteMeetingTypeQuery, response: { ...errors, ...errorResponses(409) } },
      },
      async (request, reply) => {
        await meetingTypes.remove(actingUser(request), id(request.params.id), request.query.deleteAvailability === true);
        return reply.status(200).send();
      },
    );
  };
}
