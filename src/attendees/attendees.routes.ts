// Attendee endpoints outside an appointment's own routes: quick mail (AT2) and pending attendees
// (AT3/AT4). Thin: parse → service → JSON.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { principalOf } from '../http/auth.ts';
import { errorResponses } from '../http/params.ts';
import type { PendingAttendeesService } from './pending.service.ts';
import type { QuickMailService } from './quick-mail.service.ts';

const errors = errorResponses(400, 401, 403, 429);

const QuickMailBody = Type.Object({
  attendeeId: Type.String({ maxLength: 100 }),
  title: Type.String({ minLength: 1, maxLength: 200, description: 'Subject line' }),
  content: Type.String({ minLength: 1, maxLength: 20_000, description: 'Plain text body' }),
});

const QuickMailQueued = Type.Object(
  {
    id: Type.String(),
    attendeeId: Type.String(),
    to: Type.String(),
    title: Type.String(),
    status: Type.Literal('queued'),
  },
  { title: 'QuickMailQueued' },
);

const PendingAttendeeBody = Type.Object({
  attendee: Type.Object(
    {
      email: Type.Optional(Type.String({ maxLength: 320 })),
      firstname: Type.Optional(Type.String({ maxLength: 200 })),
      lastname: Type.Optional(Type.String({ maxLength: 200 })),
      fullname: Type.Optional(Type.String({ maxLength: 400 })),
      phone: Type.Optional(Type.String({ maxLength: 50 })),
      phoneOnly: Type.Optional(Type.Boolean()),
      language: Type.Optional(Type.String({ maxLength: 10 })),
      bringalongEmails: Type.Optional(Type.Array(Type.String({ maxLength: 320 }), { maxItems: 5 })),
    },
    { additionalProperties: true, maxProperties: 100, description: 'The attendee and their form entries so far' },
  ),
});

const PendingAttendee = Type.Object(
  {
    id: Type.Integer(),
    userId: Type.Union([Type.String(), Type.Null()]),
    attendee: Type.Object({}, { additionalProperties: true }),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { title: 'PendingAttendee' },
);

export function attendeesRoutes(deps: {
  quickMail: QuickMailService;
  pending: PendingAttendeesService;
}): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v4/attendee/quick-mail',
      {
        config: { auth: 'company' },
        schema: {
          operationId: 'sendAttendeeQuickMail',
          tags: ['Attendees'],
          summary: 'Email an attendee (at most 5 per 5 minutes per sender)',
          body: QuickMailBody,
          response: { 201: QuickMailQueued, ...errors, ...errorResponses(404) },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const queued = await deps.quickMail.send(principal.companyId, principal.user, request.body);
        return reply.status(201).send(queued);
      },
    );

    app.post(
      '/v4/attendee-pending',
      {
        config: { auth: 'company' },
        schema: {
          operationId: 'createPendingAttendee',
          tags: ['Attendees'],
          summary: 'Keep a form in progress; answers its id (a number) for attendeePendingId',
          body: PendingAttendeeBody,
          response: { 201: Type.Integer({ title: 'PendingAttendeeId' }), ...errors },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const id = await deps.pending.create(principal.companyId, principal.user?.id, request.body.attendee);
        return reply.status(201).send(id);
      },
    );

    app.get(
      '/v4/attendee-pending',
      {
        config: { auth: 'company' },
        schema: {
          operationId: 'listPendingAttendees',
          tags: ['Attendees'],
          summary: "The company's pending attendees, newest first (at most 99)",
          response: { 200: Type.Array(PendingAttendee), ...errors },
        },
      },
      async (request) => deps.pending.list(principalOf(request).companyId),
    );
  };
}
