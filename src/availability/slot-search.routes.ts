// GET /v4/booking-availability (spec §2.5). The user header is optional here.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf } from '../http/auth.ts';
import { errorResponses, stringList } from '../http/params.ts';
import { SlotSearchQuery, SlotSearchResponse } from './slot-search.schemas.ts';
import type { SlotSearchService } from './slot-search.service.ts';

export function slotSearchRoutes(deps: { slotSearch: SlotSearchService }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v4/booking-availability',
      {
        config: { auth: 'company' },
        schema: {
          tags: ['Availability'],
          summary: 'Bookable slots of a meeting type',
          querystring: SlotSearchQuery,
          response: { 200: SlotSearchResponse, ...errorResponses(400, 401, 403, 404, 429) },
        },
      },
      async (request) => {
        const q = request.query;
        return deps.slotSearch.search(principalOf(request).companyId, {
          meetingTypeId: q.meetingTypeId,
          start: q.start ?? q.startDate,
          end: q.end ?? q.endDate,
          hostIds: [...stringList(q.hostIds), ...stringList(q['hostIds[]'])],
          queueId: q.queueId,
          calculationMethod: q.calculationMethod,
          meetingDuration: q.meetingDuration,
          timezone: q.timezone,
          existingAppointmentId: q.existingAppointmentId,
          troubleshoot: q.troubleshoot,
        });
      },
    );
  };
}
