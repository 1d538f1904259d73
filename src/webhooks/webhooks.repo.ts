// Webhook subscriptions and their sealed signing secrets. Every read is scoped to a company.
import { sql } from 'kysely';
import type { Executor } from '../db/database.ts';

export interface WebhookRow {
  id: string;
  company_id: string;
  endpoint: string;
  description: string;
  event_types: string[];
  active: boolean;
  disabled_reason: string | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = [
  'id',
  'company_id',
  'endpoint',
  'description',
  'event_types',
  'active',
  'disabled_reason',
  'created_at',
  'updated_at',
] as const;

export async function findWebhook(db: Executor, companyId: string, id: string): Promise<WebhookRow | undefined> {
  return db
    .selectFrom('webhooks')
    .select(COLUMNS)
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

export async function listWebhooks(db: Executor, companyId: string): Promise<WebhookRow[]> {
  return db
    .selectFrom('webhooks')
    .select(COLUMNS)
    .where('company_id', '=', companyId)
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Serialises creations per company (the count limit) by locking the company row. */
export async function countWebhooksLocked(tx: Executor, companyId: string): Promise<number> {
  await sql`SELECT 1 FROM companies WHERE id = ${companyId} FOR UPDATE`.execute(tx);
  const row = await tx
    .selectFrom('webhooks')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('company_id', '=', companyId)
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertWebhook(
  tx: Executor,
  input: { companyId: string; endpoint: string; description: string; eventTypes: string[] },
): Promise<string> {
  const row = await tx
    .insertInto('webhooks')
    .values({
      company_id: input.companyId,
      endpoint: input.endpoint,
      description: input.description,
      event_types: input.eventTypes,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface WebhookPatch {
  endpoint?: string;
  description?: string;
  event_types?: string[];
  active?: boolean;
  disabled_reason?: string | null;
}

export async function updateWebhook(db: Executor, companyId: string, id: string, patch: WebhookPatch, now: Date) {
  await db
    .updateTable('webhooks')
    .set({ ...patch, updated_at: now })
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .execute();
}

export async function softDeleteWebhook(db: Executor, companyId: string, id: string, now: Date): Promise<void> {
  await db
    .updateTable('webhooks')
    .set({ deleted_at: now, active: false, updated_at: now })
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .execute();
}

export async function insertSecret(tx: Executor, webhookId: string, sealed: string): Promise<void> {
  await tx.insertInto('webhook_secrets').values({ webhook_id: webhookId, secret_sealed: sealed }).execute();
}

/** Gives the current secrets an end date (the rotation's grace period). */
export async function expireSecrets(tx: Executor, webhookId: string, expiresAt: Date): Promise<void> {
  await tx
    .updateTable('webhook_secrets')
    .set({ expires_at: expiresAt })
    .where('webhook_id', '=', webhookId)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', expiresAt)]))
    .execute();
}
