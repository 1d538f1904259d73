// Meeting-type templates (spec MT6): create, read, and create a meeting type from one.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { actingUser, principalOf } from '../http/auth.ts';
import { IdParams, errorResponses } from '../http/params.ts';
import {
  MeetingInfoInput,
  MeetingOptionsInput,
  MeetingTypeJson,
  UpdateMeetingTypeBody,
} from '../meeting-types/meeting-types.schemas.ts';
import type { MeetingTypeInput } from '../meeting-types/meeting-types.service.ts';
import type { TemplatesService } from './templates.service.ts';

const tags = ['Meeting type templates'];
const errors = errorResponses(400, 401, 403, 429);

const CreateTemplateBody = Type.Object({
  meetingInfo: Type.Intersect([
    MeetingInfoInput,
    Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }), duration: Type.Integer({ minimum: 5, maximum: 480 }) }),
  ]),
  meetingOptions: Type.Optional(MeetingOptionsInput),
  spots: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  locations: Type.Optional(Type.Array(Type.String({ maxLength: 500 }), { maxItems: 20 })),
  templateType: Type.Optional(Type.String({ maxLength: 50, description: 'e.g. individual' })),
  queueType: Type.Optional(Type.String({ maxLength: 50, description: 'e.g. simpleRoundRobin' })),
});

const Template = Type.Object(
  {
    id: Type.String(),
    companyId: Type.String(),
    createdBy: Type.Union([Type.String(), Type.Null()]),
    templateType: Type.String(),
    queueType: Type.Union([Type.String(), Type.Null()]),
    meetingInfo: Type.Object({}, { additionalProperties: true }),
    meetingOptions: Type.Object({}, { additionalProperties: true }),
    spots: Type.Union([Type.Integer(), Type.Null()]),
    locations: Type.Array(Type.String()),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { title: 'MeetingTypeTemplate' },
);

export function templatesRoutes(deps: { templates: TemplatesService }): FastifyPluginAsyncTypebox {
  const { templates } = deps;
  return async (app) => {
    app.post(
      '/v4/meeting-type-template/create',
      {
        config: { auth: 'company' },
        schema: {
          operationId: 'createMeetingTypeTemplate',
          tags,
          summary: 'Create a reusable meeting-type template',
          body: CreateTemplateBody,
          response: { 201: Template, ...errors },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        return reply.status(201).send(await templates.create(principal.companyId, principal.user, request.body));
      },
    );

    app.get(
      '/v4/meeting-type-template',
      {
        config: { auth: 'company' },
        schema: { operationId: 'listMeetingTypeTemplates', tags, summary: "The company's templates", response: { 200: Type.Array(Template), ...errors } },
      },
      async (request) => templates.list(principalOf(request).companyId),
    );

    app.get(
      '/v4/meeting-type-template/:id',
      {
        config: { auth: 'company' },
        schema: {
          operationId: 'getMeetingTypeTemplate',
          tags,
          summary: 'One template',
          params: IdParams,
          response: { 200: Template, ...errors, ...errorResponses(404) },
        },
      },
      async (request) => templates.get(principalOf(request).companyId, request.params.id),
    );

    app.post(
      '/v4/meeting-type-template/:id/meeting-type',
      {
        config: { auth: 'user' },
        schema: {
          operationId: 'createMeetingTypeFromTemplate',
          tags,
          summary: "Create a meeting type for the acting user from a template; the body's fields override it",
          params: IdParams,
          body: Type.Optional(UpdateMeetingTypeBody),
          response: { 201: MeetingTypeJson, ...errors, ...errorResponses(404, 409) },
        },
      },
      async (request, reply) => {
        const created = await templates.use(actingUser(request), request.params.id, (request.body ?? {}) as MeetingTypeInput);
        return reply.status(201).send(created);
      },
    );
  };
}
