// HTTP surface of calendar connections: M1 `GET /v4/calendar-connections/connections` (spec
// §2.11) and connect / change / remove for the acting user.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actingUser, principalOf } from '../http/auth.ts';
import { IdParams, errorResponses, requireUuid, uuidField } from '../http/params.ts';
import {
  CalendarConnection,
  CalendarConnectionList,
  ConnectionListQuery,
  CreateCalendarConnectionBody,
  DeletedConnection,
  UpdateCalendarConnectionBody,
} from './calendars.schemas.ts';
import type { CalendarsService } from './calendars.service.ts';

const tags = ['Calendar connections'];

export function calendarsRoutes(deps: { calendars: CalendarsService }): FastifyPluginAsyncTypebox {
  const { calendars } = deps;
  const auth = { auth: 'company' as const };
  return async (app) => {
    app.post(
      '/v4/calendar-connections',
      {
        config: auth,
        schema: {
          tags,
          operationId: 'createCalendarConnection',
          summary: "Connect the acting user's CalDAV account or ICS feed; its calendars are read at once",
          body: CreateCalendarConnectionBody,
          response: { 201: CalendarConnection, ...errorResponses(400, 401, 403, 429) },
        },
      },
      async (request, reply) => {
        const user = actingUser(request);
        return reply.status(201).send(await calendars.connect(principalOf(request).companyId, user.id, request.body));
      },
    );

    app.get(
      '/v4/calendar-connections/connections',
      {
        config: auth,
        schema: {
          tags,
          operationId: 'listCalendarConnections',
          summary: 'Connected calendars with their calendars, busy-time and write-back settings, last sync and last error',
          querystring: ConnectionListQuery,
          response: { 200: CalendarConnectionList, ...errorResponses(400, 401, 403, 429) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const userId = request.query.userId !== undefined ? uuidField(request.query.userId, 'userId') : principal.user?.id;
        return calendars.list(principal.companyId, userId);
      },
    );

    app.patch(
      '/v4/calendar-connections/:id',
      {
        config: auth,
        schema: {
          tags,
          operationId: 'updateCalendarConnection',
          summary: 'Change address or credentials (read again at once), or which calendars count for busy time / receive appointments',
          params: IdParams,
          body: UpdateCalendarConnectionBody,
          response: { 200: CalendarConnection, ...errorResponses(400, 401, 403, 404, 429) },
        },
      },
      async (request) =>
        calendars.update(principalOf(request).companyId, requireUuid(request.params.id, 'Calendar connection'), request.body),
    );

    app.delete(
      '/v4/calendar-connections/:id',
      {
        config: auth,
        schema: {
          tags,
          operationId: 'deleteCalendarConnection',
          summary: 'Remove a connection; its busy time stops counting at once',
          params: IdParams,
          response: { 200: DeletedConnection, ...errorResponses(401, 403, 404, 429) },
        },
      },
      async (request) => {
        await calendars.remove(principalOf(request).companyId, requireUuid(request.params.id, 'Calendar connection'));
        return { message: 'Calendar connection deleted' };
      },
    );
  };
}
