// GET /metrics: the Prometheus text format, for a scraper holding TERMIN_METRICS_TOKEN. The route
// exists only when the token is configured (else the ordinary 404), so an instance exposed to the
// internet reveals nothing about its traffic by default.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { errorResponses } from '../http/params.ts';
import { AppError } from '../lib/app-error.ts';
import { hashSecret, secretMatches } from '../lib/secrets.ts';
import type { Metrics } from './metrics.ts';

export const MetricsText = Type.String({ $id: 'MetricsText', description: 'Prometheus text exposition format 0.0.4' });

export function metricsRoutes(deps: { metrics: Metrics; token: string }): FastifyPluginAsyncTypebox {
  const tokenHash = hashSecret(deps.token);
  return async (app) => {
    app.get(
      '/metrics',
      {
        config: { auth: 'none' },
        schema: {
          operationId: 'getMetrics',
          tags: ['Operations'],
          summary: 'Prometheus metrics (Authorization: Bearer TERMIN_METRICS_TOKEN)',
          response: { 200: MetricsText, ...errorResponses(401) },
        },
      },
      async (request, reply) => {
        const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
        if (!match || !secretMatches(match[1]!, tokenHash)) {
          throw new AppError('unauthenticated', 'A valid metrics token is required');
        }
        const text = await deps.metrics.render();
        return reply.type(deps.metrics.contentType).send(text);
      },
    );
  };
}
