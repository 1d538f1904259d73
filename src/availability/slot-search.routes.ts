// GET /v4/booking-availability (spec §2.5). The user header is optional here. The answer is
// serialised once (to bytes) and sent as is, so a cached answer (slot-cache.ts) costs no serialisation.
import type { FastifyPluginAsyncTypebox, Static } from '@fastify/type-provider-typebox';
import { principalOf } from '../http/auth.ts';
import { errorResponses, stringList } from '../http/params.ts';
import { SlotSearchQuery, SlotSearchResponse } from './slot-search.schemas.ts';
import type { SlotCache } from './slot-cache.ts';
import { seriesQueryOf } from './series-slots.ts';
import type { SlotSearchInput } from './slot-search.input.ts';
import type { SlotSearchService } from './slot-search.service.ts';

/**
 * The query's contract quirks read once for both availability routes: `start`/`startDate`,
 * `end`/`endDate`, and `hostIds` repeated, comma-separated or as `hostIds[]`.
 */
export function slotSearchInput(q: Static<typeof SlotSearchQuery>): SlotSearchInput {
  return {
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
    includeHosts: q.includeHosts,
    recurrence: seriesQueryOf(q.recurrenceFrequency, q.recurrenceCount),
  };
}

export function slotSearchRoutes(deps: { slotSearch: SlotSearchService; slotCache: SlotCache }): FastifyPluginAsyncTypebox {
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
      async (request, reply) => {
        const q = request.query;
        const companyId = principalOf(request).companyId;
        const input = slotSearchInput(q);
        // As bytes: the server sends a Buffer as is, where a string is measured and encoded again.
        const compute = async () => Buffer.from(JSON.stringify(await deps.slotSearch.search(companyId, input)));
        const body = await deps.slotCache.answer(companyId, JSON.stringify(input), compute, q.refreshCache === true);
        // Already JSON of SlotSearchResponse's shape: sent as is, not serialised again.
        return reply.type('application/json; charset=utf-8').send(body as never);
      },
    );
  };
}
