// GET /booking-availability/v2 (spec L5, meetergo's older docs): the same slot search as
// /v4/booking-availability, answered in the legacy shape — free timeframes only, in UTC.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { principalOf } from '../http/auth.ts';
import { errorResponses } from '../http/params.ts';
import { SlotSearchQuery } from './slot-search.schemas.ts';
import { slotSearchInput } from './slot-search.routes.ts';
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
        // The legacy answer is always UTC and has no troubleshooting or per-start hosts.
        const input = { ...slotSearchInput(request.query), timezone: 'UTC', troubleshoot: undefined, includeHosts: undefined };
        const answer = await deps.slotSearch.search(principalOf(request).companyId, input);
        const utc = (value: string) => new Date(value).toISOString();
        return {
          timezone: 'utc' as const,
          timeframes: answer.timeframes.map((frame) => ({ start: utc(frame.start), end: utc(frame.end) })),
        };
      },
    );
  };
}
