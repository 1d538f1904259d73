// Liveness and readiness. /healthz stays cheap (one trivial query) for liveness probes; /readyz
// also says whether this instance can do its whole job: the database answers within a bound and
// the background workers run. Either missing → 503, naming what is not ready.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError } from '../lib/app-error.ts';
import { errorResponses } from '../http/params.ts';
import type { Readiness } from './readiness.ts';

const READY_DB_TIMEOUT_MS = 2000;

export const Readyz = Type.Object(
  { status: Type.Literal('ready'), database: Type.Literal('ok'), workers: Type.Literal('ok') },
  { $id: 'Readyz' },
);

async function databaseAnswers(db: Db, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const query = sql`SELECT 1`.execute(db).then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([query, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function healthRoutes(deps: { db: Db; readiness: Readiness }): FastifyPluginAsyncTypebox {
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

    app.get(
      '/readyz',
      {
        schema: {
          operationId: 'getReadiness',
          tags: ['Operations'],
          summary: 'Readiness: the database answers and the background workers run',
          response: { 200: Readyz, ...errorResponses(503) },
        },
      },
      async () => {
        const problems: string[] = [];
        if (!(await databaseAnswers(deps.db, READY_DB_TIMEOUT_MS))) problems.push('database is not reachable');
        if (!deps.readiness.workersRunning()) problems.push('background workers are not running');
        if (problems.length > 0) throw new AppError('unavailable', `Not ready: ${problems.join('; ')}`);
        return { status: 'ready' as const, database: 'ok' as const, workers: 'ok' as const };
      },
    );
  };
}
