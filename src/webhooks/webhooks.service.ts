// Webhook subscriptions of a company: create (with a signing secret shown once), read, change,
// delete, rotate the secret with a grace period, and the delivery log with replay and a test event.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '../db/database.ts';
import { inTransaction } from '../db/transaction.ts';
import { AppError, notFound } from '../lib/app-error.ts';
import type { Clock } from '../lib/clock.ts';
import type { SecretBox } from '../lib/secret-box.ts';
import { SUBSCRIBABLE_EVENT_TYPES } from '../outbox/events.ts';
import type { Wakeups } from '../outbox/wakeups.ts';
import * as log from './delivery-log.repo.ts';
import { failPendingDeliveries, insertDelivery } from './deliveries.repo.ts';
import { checkEndpoint } from './endpoint-check.ts';
import { formatSecret } from './signature.ts';
import * as repo from './webhooks.repo.ts';
import { deliveryJson, webhookJson, type WebhookJson } from './webhooks.json.ts';

export const ROTATION_GRACE_MS = 24 * 3_600_000;
export const TEST_EVENT = 'webhook_test';

export interface WebhookInput {
  endpoint: string;
  eventTypes: string[];
  description?: string;
}

export interface WebhooksDeps {
  db: Db;
  clock: Clock;
  allowPrivate: boolean;
  maxPerCompany: number;
  secretBox: () => Promise<SecretBox>;
  wakeups: Wakeups;
}

export type WebhooksService = ReturnType<typeof createWebhooksService>;

export function createWebhooksService(deps: WebhooksDeps) {
  const { db, clock, wakeups } = deps;

  async function requireWebhook(companyId: string, id: string): Promise<repo.WebhookRow> {
    const row = await repo.findWebhook(db, companyId, id);
    if (!row) throw notFound('Webhook');
    return row;
  }

  async function newSealedSecret(): Promise<{ secret: string; sealed: string }> {
    const secret = formatSecret(randomBytes(32));
    return { secret, sealed: (await deps.secretBox()).seal(secret) };
  }

  async function create(companyId: string, input: WebhookInput): Promise<WebhookJson & { secret: string }> {
    const endpoint = (await checkEndpoint(input.endpoint.trim(), deps.allowPrivate)).toString();
    const eventTypes = validEventTypes(input.eventTypes);
    const { secret, sealed } = await newSealedSecret();
    const id = await inTransaction(db, async (tx) => {
      const count = await repo.countWebhooksLocked(tx, companyId);
      if (count >= deps.maxPerCompany) {
        throw new AppError('limit_reached', `A company can have at most ${deps.maxPerCompany} webhooks`);
      }
      const webhookId = await repo.insertWebhook(tx, { companyId, endpoint, eventTypes, description: input.description?.trim() ?? '' });
      await repo.insertSecret(tx, webhookId, sealed);
      return webhookId;
    });
    return { ...webhookJson(await requireWebhook(companyId, id)), secret };
  }

  async function list(companyId: string): Promise<WebhookJson[]> {
    return (await repo.listWebhooks(db, companyId)).map(webhookJson);
  }

  async function get(companyId: string, id: string): Promise<WebhookJson> {
    return webhookJson(await requireWebhook(companyId, id));
  }

  async function update(
    companyId: string,
    id: string,
    patch: { endpoint?: string; eventTypes?: string[]; description?: string; active?: boolean },
  ): Promise<WebhookJson> {
    await requireWebhook(companyId, id);
    const changes: repo.WebhookPatch = {};
    if (patch.endpoint !== undefined) {
      changes.endpoint = (await checkEndpoint(patch.endpoint.trim(), deps.allowPrivate)).toString();
    }
    if (patch.eventTypes !== undefined) changes.event_types = validEventTypes(patch.eventTypes);
    if (patch.description !== undefined) changes.description = patch.description.trim();
    if (patch.active !== undefined) {
      changes.active = patch.active;
      changes.disabled_reason = patch.active ? null : 'disabled by the API';
    }
    await repo.updateWebhook(db, companyId, id, changes, clock.now());
    return get(companyId, id);
  }

  async function remove(companyId: string, id: string): Promise<void> {
    await requireWebhook(companyId, id);
    await inTransaction(db, async (tx) => {
      await repo.softDeleteWebhook(tx, companyId, id, clock.now());
      await failPendingDeliveries(tx, id, 'webhook deleted', clock.now());
    });
  }

  /** A new secret signs from now on; the old one keeps signing for the grace period. */
  async function rotateSecret(companyId: string, id: string) {
    await requireWebhook(companyId, id);
    const { secret, sealed } = await newSealedSecret();
    const previousSecretExpiresAt = new Date(clock.now().getTime() + ROTATION_GRACE_MS);
    await inTransaction(db, async (tx) => {
      await repo.expireSecrets(tx, id, previousSecretExpiresAt);
      await repo.insertSecret(tx, id, sealed);
    });
    return { id, secret, previousSecretExpiresAt: previousSecretExpiresAt.toISOString() };
  }

  async function listDeliveries(companyId: string, id: string, page: { limit: number; offset: number; status?: string }) {
    await requireWebhook(companyId, id);
    const { deliveries, attempts, total } = await log.listDeliveries(db, id, page);
    return { deliveries: deliveries.map((row) => deliveryJson(row, attempts)), total, limit: page.limit, offset: page.offset };
  }

  async function enqueueDirect(
    webhook: repo.WebhookRow,
    input: { eventId: string; type: string; body: string; secretSealed?: string | null; replayOf?: string },
  ) {
    if (!webhook.active) throw new AppError('conflict', 'This webhook is disabled; enable it with PATCH { "active": true } first');
    const deliveryId = await insertDelivery(db, { ...input, webhookId: webhook.id, companyId: webhook.company_id, now: clock.now() });
    wakeups.notify('deliveries');
    const row = await log.findDelivery(db, webhook.id, deliveryId);
    return deliveryJson(row!, []);
  }

  /** Sends the delivery's event again, with the same webhook-id, as a new delivery in the log. */
  async function replay(companyId: string, id: string, deliveryId: string) {
    const webhook = await requireWebhook(companyId, id);
    const original = await log.findDelivery(db, id, deliveryId);
    if (!original) throw notFound('Delivery');
    const { event_id: eventId, event_type: type, body, secret_sealed: secretSealed } = original;
    return enqueueDirect(webhook, { eventId, type, body, secretSealed, replayOf: original.id });
  }

  async function sendTest(companyId: string, id: string) {
    const webhook = await requireWebhook(companyId, id);
    const eventId = randomUUID();
    const createdAt = clock.now().toISOString();
    const data = { test: true, message: 'This is a test event from Termin.', webhookId: id, eventTypes: webhook.event_types };
    const body = JSON.stringify({ id: eventId, event: TEST_EVENT, webhookType: TEST_EVENT, createdAt, data });
    return enqueueDirect(webhook, { eventId, type: TEST_EVENT, body });
  }

  return { create, list, get, update, remove, rotateSecret, listDeliveries, replay, sendTest };
}

function validEventTypes(input: string[]): string[] {
  const known: readonly string[] = SUBSCRIBABLE_EVENT_TYPES;
  const unknown = input.filter((type) => !known.includes(type));
  if (unknown.length > 0) {
    const message = `eventTypes contains unknown event type "${unknown[0]}"; known types: ${SUBSCRIBABLE_EVENT_TYPES.join(', ')}`;
    throw new AppError('validation_failed', message, { errors: [{ field: 'eventTypes', message }] });
  }
  if (input.length === 0) {
    throw new AppError('validation_failed', 'eventTypes must name at least one event type', {
      errors: [{ field: 'eventTypes', message: 'eventTypes must name at least one event type' }],
    });
  }
  return [...new Set(input)];
}
