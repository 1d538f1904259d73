// GET /booking-availability/v2 (spec L5, meetergo's older docs): the same slot search as
// /v4/booking-availability, answered in the legacy shape — free timeframes only, in UTC.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { principalOf } from '../http/auth.ts';
import { errorResponses, stringList } from '../http/params.ts';
import { SlotSearchQuery } from './slot-search.schemas.ts';
import type { SlotSearchService } from './slot-search.service.ts';

const LegacyAvailability = Type.Object(
  {
    timezone: Type.Literal('utc'),
    timeframes: Type.Array(Type.Object({ start: Type.String({ format: 'date-time' }), end: Type.String({ format: 'date-time' }) })),
  },
  { title: 'LegacyAvailability' },
);

export function legacyAvailabilityRoutes(deps: { slotSearch: SlotSearchService }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/booking-availability/v2',
      {
        config: { auth: 'company' },
        schema: {
          operationId: 'getLegacyBookingAvailability',
          tags: ['Availability'],
          summary: 'Legacy: free timeframes of a meeting type, in UTC (prefer /v4/booking-availability)',
          querystring: SlotSearchQuery,
          response: { 200: LegacyAvailability, ...errorResponses(400, 401, 403, 404, 429) },
        },
      },
      async (request) => {
        const q = request.query;
        const answer = await deps.slotSearch.search(principalOf(request).companyId, {
          meetingTypeId: q.meetingTypeId,
          start: q.start ?? q.startDate,
          end: q.end ?? q.endDate,
          hostIds: [...stringList(q.hostIds), ...stringList(q['hostIds[]'])],
          queueId: q.queueId,
          calculationMethod: q.calculationMethod,
          meetingDuration: q.meetingDuration,
          timezone: 'UTC',
          existingAppointmentId: q.existingAppointmentId,
        });
        const utc = (value: string) => new Date(value).toISOString();
        return {
          timezone: 'utc' as const,
          timeframes: answer.timeframes.map((frame) => ({ start: utc(frame.start), end: utc(frame.end) })),
        };
      },
    );
  };
}
