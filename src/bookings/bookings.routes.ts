// POST /v4/booking and the legacy booking routes of seed 001 (host cancel/reschedule by API key,
// attendee cancel/reschedule by the appointment secret, without any auth).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { principalOf } from '../http/auth.ts';
import { errorResponses, stringList } from '../http/params.ts';
import type { BookingService } from './booking.service.ts';
import {
  Appointment,
  BookingBody,
  BookingCreated,
  LegacyCancelBody,
  LegacyRescheduled,
  RescheduleBody,
  SecretRescheduleBody,
  authErrors,
  optionalBody,
} from './bookings.schemas.ts';
import { idempotencyOf } from './idempotency.ts';
import { ProvisionalCreated } from './provisional/provisional.schemas.ts';
import type { Actor, LifecycleService } from './lifecycle.service.ts';

const IdParams = Type.Object({ id: Type.String({ maxLength: 100 }) });
const SecretParams = Type.Object({ id: Type.String({ maxLength: 100 }), secret: Type.String({ maxLength: 200 }) });

export function bookingsRoutes(deps: { booking: BookingService; lifecycle: LifecycleService }): FastifyPluginAsyncTypebox {
  const { booking, lifecycle } = deps;
  return async (app) => {
    app.post(
      '/v4/booking',
      {
        config: { auth: 'company' },
        schema: {
          tags: ['Booking'],
          summary: 'Book a slot offered by /v4/booking-availability',
          description:
            'Send `Idempotency-Key` to make retries safe: the same key and body within 24 h replays the first answer. ' +
            'With `recurrence` a series of sessions is booked all or none (docs/series.md); a 400 names the dates not available. ' +
            'When the meeting type needs double opt-in or host approval, the answer is `{ bookingType, provisionalBookingId }`: the slot is held, no appointment exists yet.',
          body: BookingBody,
          response: { 201: Type.Union([BookingCreated, ProvisionalCreated]), ...authErrors, ...errorResponses(404, 422) },
        },
      },
      async (request, reply) => {
        const { companyId } = principalOf(request);
        const body = request.body;
        const hostIds = body.hostIds === undefined ? undefined : stringList(body.hostIds);
        const outcome = await booking.book(companyId, { ...body, hostIds }, idempotencyOf(companyId, request));
        switch (outcome.kind) {
          case 'booked':
          case 'provisional':
          case 'joined':
          case 'replayed':
          case 'series':
            return reply.status(201).send(outcome.body);
        }
      },
    );

    const hostActor = (request: Parameters<typeof principalOf>[0]): Actor => {
      const user = principalOf(request).user;
      return { source: 'host', ...(user ? { userId: user.id } : {}) };
    };

    app.post(
      '/booking/cancel/:id',
      {
        config: { auth: 'company' },
        schema: {
          tags: ['Booking (legacy)'],
          summary: 'Cancel an appointment as its host (legacy form of POST /v4/appointment/{id}/cancel)',
          params: IdParams,
          body: optionalBody(LegacyCancelBody),
          response: { 200: Appointment, ...authErrors, ...errorResponses(404, 422) },
        },
      },
      async (request) => {
        const { companyId } = principalOf(request);
        const { cancellationReason: reason, cancelEntireSeries } = request.body ?? {};
        return lifecycle.cancel(companyId, request.params.id, { reason, cancelEntireSeries }, hostActor(request), idempotencyOf(companyId, request));
      },
    );

    app.post(
      '/booking/confirm/cancel/:id/:secret',
      {
        config: { auth: 'none' },
        schema: {
          tags: ['Booking (legacy)'],
          summary: 'Cancel an appointment with its secret (attendee self-service, no API key)',
          security: [],
          params: SecretParams,
          body: optionalBody(LegacyCancelBody),
          response: { 200: Appointment, ...errorResponses(400, 404, 429) },
        },
      },
      async (request) => {
        const { id, secret } = request.params;
        const { cancellationReason: reason, cancelEntireSeries } = request.body ?? {};
        return lifecycle.cancelWithSecret(id, secret, request.ip, { reason, cancelEntireSeries });
      },
    );

    app.post(
      '/booking/reschedule/:id',
      {
        config: { auth: 'company' },
        schema: {
          tags: ['Booking (legacy)'],
          summary: 'Reschedule an appointment as its host; answers the new secret',
          params: IdParams,
          body: RescheduleBody,
          response: { 200: LegacyRescheduled, ...authErrors, ...errorResponses(404, 422) },
        },
      },
      async (request) => {
        const { companyId } = principalOf(request);
        const { appointmentId, secret } = await lifecycle.reschedule(
          companyId,
          request.params.id,
          { start: request.body.start },
          hostActor(request),
          idempotencyOf(companyId, request),
        );
        return { appointmentId, secret };
      },
    );

    // Seed 001 posts to the path with a trailing slash; the bare path is registered too.
    for (const url of ['/booking/confirm/reschedule/', '/booking/confirm/reschedule']) {
      app.post(
        url,
        {
          config: { auth: 'none' },
          schema: {
            tags: ['Booking (legacy)'],
            summary: 'Reschedule an appointment with its secret (attendee self-service); answers the new secret',
            security: [],
            hide: url.endsWith('reschedule'),
            body: SecretRescheduleBody,
            response: { 200: LegacyRescheduled, ...errorResponses(400, 404, 429) },
          },
        },
        async (request) => {
          const { appointmentId, secret, start } = request.body;
          const result = await lifecycle.rescheduleWithSecret(appointmentId, secret, request.ip, { start });
          return { appointmentId: result.appointmentId, secret: result.secret };
        },
      );
    }
  };
}
