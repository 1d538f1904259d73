// HTTP surface of availabilities and their exceptions (spec §2.4): the acting user's own.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { actingUser } from '../http/auth.ts';
import { IdParams, errorResponses, requireUuid } from '../http/params.ts';
import {
  AvailabilityJson,
  CreateAvailabilityBody,
  CreateExceptionBody,
  ExceptionJson,
  ExceptionParams,
  UpdateAvailabilityBody,
} from './availability.schemas.ts';
import type { AvailabilityService } from './availability.service.ts';

const errors = errorResponses(400, 401, 403, 404, 429);
const tags = ['Availability'];

function scopeOf(request: FastifyRequest) {
  const user = actingUser(request);
  return { companyId: user.company_id, userId: user.id };
}

export function availabilityRoutes(deps: { availability: AvailabilityService }): FastifyPluginAsyncTypebox {
  const { availability } = deps;
  const id = (value: string) => requireUuid(value, 'Availability');
  return async (app) => {
    const config = { auth: 'user' as const };

    app.get('/v4/availability', { config, schema: { tags, summary: "The acting user's availabilities", response: { 200: Type.Array(AvailabilityJson), ...errors } } }, async (request) =>
      availability.list(scopeOf(request)),
    );

    app.post(
      '/v4/availability',
      { config, schema: { tags, summary: 'Create an availability', body: CreateAvailabilityBody, response: { 201: AvailabilityJson, ...errors } } },
      async (request, reply) => {
        const body = { ...request.body, timezone: request.body.timezone ?? actingUser(request).timezone };
        return reply.status(201).send(await availability.create(scopeOf(request), body));
      },
    );

    app.get('/v4/availability/:id', { config, schema: { tags, summary: 'One availability', params: IdParams, response: { 200: AvailabilityJson, ...errors } } }, async (request) =>
      availability.get(scopeOf(request), id(request.params.id)),
    );

    app.patch(
      '/v4/availability/:id',
      { config, schema: { tags, summary: 'Update name, zone, schedule or default', params: IdParams, body: UpdateAvailabilityBody, response: { 200: AvailabilityJson, ...errors } } },
      async (request) => availability.update(scopeOf(request), id(request.params.id), request.body),
    );

    app.delete(
      '/v4/availability/:id',
      { config, schema: { tags, summary: 'Delete an availability no meeting type uses', params: IdParams, response: { 200: Type.Object({ message: Type.String() }), ...errors, ...errorResponses(409) } } },
      async (request) => {
        await availability.remove(scopeOf(request), id(request.params.id));
        return { message: 'Availability deleted successfully' };
      },
    );

    app.post(
      '/v4/availability/:id/exception',
      { config, schema: { tags, summary: 'Block time (available: false) or open extra time (available: true)', params: IdParams, body: CreateExceptionBody, response: { 201: ExceptionJson, ...errors } } },
      async (request, reply) =>
        reply.status(201).send(await availability.addException(scopeOf(request), id(request.params.id), request.body)),
    );

    app.delete(
      '/v4/availability/:id/exception/:exceptionId',
      { config, schema: { tags, summary: 'Remove an exception', params: ExceptionParams, response: { 200: Type.Object({ message: Type.String() }), ...errors } } },
      async (request) => {
        await availability.removeException(scopeOf(request), id(request.params.id), request.params.exceptionId);
        return { message: 'Availability exception deleted successfully' };
      },
    );
  };
}
