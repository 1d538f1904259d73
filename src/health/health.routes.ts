// Liveness with substance: healthy only when the database answers.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError } from '../lib/app-error.ts';
import { errorResponses } from '../http/params.ts';

export function healthRoutes(deps: { db: Db }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/healthz',
      {
        schema: {
          tags: ['Operations'],
          summary: 'Health: the database is reachable',
          response: { 200: Type.Object({ status: Type.Literal('ok'), database: Type.Literal('ok') }), ...errorResponses(503) },
        },
      },
      async () => {
        try {
          await sql`SELECT 1`.execute(deps.db);
        } catch {
          throw new AppError('unavailable', 'Database is not reachable');
        }
        return { status: 'ok' as const, database: 'ok' as const };
      },
    );
  };
}
