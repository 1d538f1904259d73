// Reading the delivery log: deliveries of one subscription, newest first, with their attempts.
import type { Executor } from '../db/database.ts';

export interface DeliveryRow {
  id: string;
  webhook_id: string;
  company_id: string;
  event_id: string;
  event_type: string;
  body: string;
  secret_sealed: string | null;
  replay_of: string | null;
  status: 'pending' | 'succeeded' | 'failed';
  attempt_count: number;
  next_attempt_at: Date;
  last_error: string | null;
  created_at: Date;
  completed_at: Date | null;
}

export interface AttemptRow {
  delivery_id: string;
  attempt: number;
  attempted_at: Date;
  status_code: number | null;
  duration_ms: number;
  error: string | null;
  response_body: string | null;
}

const DELIVERY_COLUMNS = [
  'id',
  'webhook_id',
  'company_id',
  'event_id',
  'event_type',
  'body',
  'secret_sealed',
  'replay_of',
  'status',
  'attempt_count',
  'next_attempt_at',
  'last_error',
  'created_at',
  'completed_at',
] as const;

export async function findDelivery(db: Executor, webhookId: string, id: string): Promise<DeliveryRow | undefined> {
  return db
    .selectFrom('webhook_deliveries')
    .select(DELIVERY_COLUMNS)
    .where('webhook_id', '=', webhookId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function listDeliveries(
  db: Executor,
  webhookId: string,
  page: { limit: number; offset: number; status?: string },
): Promise<{ deliveries: DeliveryRow[]; attempts: AttemptRow[]; total: number }> {
  let query = db.selectFrom('webhook_deliveries').where('webhook_id', '=', webhookId);
  if (page.status) query = query.where('status', '=', page.status as DeliveryRow['status']);
  const deliveries = await query
    .select(DELIVERY_COLUMNS)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  const count = await query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const ids = deliveries.map((row) => row.id);
  const attempts =
    ids.length === 0
      ? []
      : await db
          .selectFrom('webhook_attempts')
          .select(['delivery_id', 'attempt', 'attempted_at', 'status_code', 'duration_ms', 'error', 'response_body'])
          .where('delivery_id', 'in', ids)
          .orderBy('id')
          .execute();
  return { deliveries, attempts, total: Number(count.n) };
}
