// /v4/appointment/* and /v4/attendee/*: read, list, cancel (two forms), reschedule, note,
// guests, no-show. The user header is optional; when sent it is the acting user.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { principalOf, viewerOf } from '../http/auth.ts';
import { errorResponses } from '../http/params.ts';
import type { AppointmentsService } from './appointments.service.ts';
import {
  Appointment,
  AppointmentPage,
  CancelBody,
  GuestBody,
  GuestsBody,
  ListQuery,
  NoShow,
  NotesBody,
  RescheduleBody,
  Rescheduled,
  TodayQuery,
  authErrors,
  optionalBody,
} from './bookings.schemas.ts';
import { idempotencyOf } from './idempotency.ts';
import type { Actor, LifecycleService } from './lifecycle.service.ts';

const IdParams = Type.Object({ id: Type.String({ maxLength: 100 }) });
const tags = ['Appointments'];
const withErrors = (ok: object, ...statuses: number[]) => ({ 200: ok, ...authErrors, ...errorResponses(404, ...statuses) });

type Request = Parameters<typeof principalOf>[0];

function actorOf(request: Request): Actor {
  const user = principalOf(request).user;
  return { source: 'host', ...(user ? { userId: user.id } : {}) };
}

function actingUserOf(request: Request) {
  const user = principalOf(request).user;
  return user ? { id: user.id, timezone: user.timezone } : undefined;
}

export function appointmentsRoutes(deps: { appointments: AppointmentsService; lifecycle: LifecycleService }): FastifyPluginAsyncTypebox {
  const { appointments, lifecycle } = deps;
  return async (app) => {
    const company = { auth: 'company' as const };

    // Seed 001 lists with a trailing slash; both paths answer.
    for (const url of ['/v4/appointment/paginated', '/v4/appointment/paginated/']) {
      app.get(
        url,
        {
          config: company,
          schema: {
            tags,
            summary: 'List appointments: with pageSize, page counts from 0 (as the live API); with limit, from 1',
            hide: url.endsWith('/'),
            querystring: ListQuery,
            response: { 200: AppointmentPage, ...authErrors },
          },
        },
        async (request) => {
          const principal = principalOf(request);
          const viewer = { ...viewerOf(principal), ...(principal.user ? { timezone: principal.user.timezone } : {}) };
          return appointments.list(principal.companyId, request.query, viewer);
        },
      );
    }

    app.get(
      '/v4/appointment/today',
      {
        config: company,
        schema: { tags, summary: "Today's active appointments of the acting user", querystring: TodayQuery, response: { 200: Type.Array(Appointment), ...authErrors } },
      },
      async (request) => appointments.today(principalOf(request).companyId, request.query, actingUserOf(request)),
    );

    app.get(
      '/v4/appointment/:id',
      { config: company, schema: { tags, summary: 'One appointment', params: IdParams, response: withErrors(Appointment) } },
      async (request) => appointments.get(principalOf(request).companyId, request.params.id),
    );

    app.get(
      '/v4/appointment/:id/ics',
      {
        config: company,
        schema: { tags, summary: 'The appointment as an iCalendar file', params: IdParams, response: withErrors(Type.String()) },
      },
      async (request, reply) => {
        const ics = await appointments.ics(principalOf(request).companyId, request.params.id);
        return reply
          .type('text/calendar; charset=utf-8')
          .header('content-disposition', 'attachment; filename="appointment.ics"')
          .send(ics);
      },
    );

    app.post(
      '/v4/appointment/:id/cancel',
      {
        config: company,
        schema: { tags, summary: 'Cancel an appointment; a repeat answers 200 and changes nothing', params: IdParams, body: optionalBody(CancelBody), response: withErrors(Appointment, 422) },
      },
      async (request) => {
        const { companyId } = principalOf(request);
        return lifecycle.cancel(companyId, request.params.id, request.body ?? {}, actorOf(request), idempotencyOf(companyId, request));
      },
    );

    app.delete(
      '/v4/appointment/:id',
      {
        config: company,
        schema: { tags, summary: 'Cancel an appointment (seed 000/003 form)', params: IdParams, body: optionalBody(CancelBody), response: withErrors(Appointment, 422) },
      },
      async (request) => {
        const { companyId } = principalOf(request);
        const body = request.body ?? {};
        const input = { reason: body.reason, notifyAttendees: body.notifyAttendees, cancelEntireSeries: body.cancelEntireSeries };
        return lifecycle.cancel(companyId, request.params.id, input, actorOf(request), idempotencyOf(companyId, request));
      },
    );

    app.post(
      '/v4/appointment/:id/reschedule',
      {
        config: company,
        schema: { tags, summary: 'Move an appointment in place (same id, duration unchanged)', params: IdParams, body: RescheduleBody, response: withErrors(Rescheduled, 422) },
      },
      async (request) => {
        const { companyId } = principalOf(request);
        const result = await lifecycle.reschedule(companyId, request.params.id, request.body, actorOf(request), idempotencyOf(companyId, request));
        return { appointment: result.appointment, previousStart: result.previousStart };
      },
    );

    app.patch(
      '/v4/appointment/:id/notes',
      { config: company, schema: { tags, summary: 'Replace the host note (`notes` or `note`)', params: IdParams, body: NotesBody, response: withErrors(Appointment) } },
      async (request) => {
        const note = request.body.notes !== undefined ? request.body.notes : (request.body.note ?? null);
        return appointments.setNote(principalOf(request).companyId, request.params.id, note);
      },
    );

    app.patch(
      '/v4/appointment/:id/guests',
      { config: company, schema: { tags, summary: 'Add guest emails', params: IdParams, body: GuestsBody, response: withErrors(Appointment) } },
      async (request) => appointments.addGuests(principalOf(request).companyId, request.params.id, request.body.guestEmails),
    );

    app.patch(
      '/v4/appointment/:id/guest',
      { config: company, schema: { tags, summary: 'Add one guest email to an attendee', params: IdParams, body: GuestBody, response: withErrors(Appointment) } },
      async (request) =>
        appointments.addGuests(principalOf(request).companyId, request.params.id, [request.body.email], request.body.attendeeId),
    );

    app.delete(
      '/v4/appointment/:id/guest/:email',
      {
        config: company,
        schema: { tags, summary: 'Remove a guest', params: Type.Object({ id: Type.String({ maxLength: 100 }), email: Type.String({ maxLength: 320 }) }), response: withErrors(Appointment) },
      },
      async (request) => appointments.removeGuest(principalOf(request).companyId, request.params.id, request.params.email),
    );

    for (const [method, noShow] of [['POST', true], ['DELETE', false]] as const) {
      app.route({
        method,
        url: '/v4/attendee/:id/no-show',
        config: company,
        schema: { tags: ['Attendees'], summary: noShow ? 'Mark an attendee as no-show' : 'Undo a no-show mark', params: IdParams, response: withErrors(NoShow) },
        handler: async (request) => appointments.setNoShow(principalOf(request).companyId, (request.params as { id: string }).id, noShow),
      });
    }
  };
}
