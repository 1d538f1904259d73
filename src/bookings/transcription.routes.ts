// PATCH /v4/appointment/{id}/transcription (spec AP9): thin — parse, store, answer the appointment.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { principalOf } from '../http/auth.ts';
import { IdParams, errorResponses } from '../http/params.ts';
import { Appointment, authErrors } from './bookings.schemas.ts';
import type { TranscriptionService } from './transcription.service.ts';

const Markdown = Type.Union([Type.String({ maxLength: 1_000_000 }), Type.Null()]);

export const TranscriptionBody = Type.Object({
  transcription: Type.Optional(Markdown),
  summary: Type.Optional(Markdown),
});

export function transcriptionRoutes(deps: { transcription: TranscriptionService }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.patch(
      '/v4/appointment/:id/transcription',
      {
        config: { auth: 'company' },
        schema: {
          operationId: 'updateAppointmentTranscription',
          tags: ['Appointments'],
          summary: 'Store a transcript and/or summary (markdown); null clears, omitted keeps',
          params: IdParams,
          body: TranscriptionBody,
          response: { 200: Appointment, ...authErrors, ...errorResponses(404) },
        },
      },
      async (request) =>
        deps.transcription.set(principalOf(request).companyId, request.params.id, request.body ?? {}),
    );
  };
}
