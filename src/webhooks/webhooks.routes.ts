// HTTP surface of webhook subscriptions (spec §3.1), at the host root as documented and under
// /v4 as well (the app registers this plugin at both prefixes).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { principalOf } from '../http/auth.ts';
import { IdParams, errorResponses, requireUuid } from '../http/params.ts';
import {
  CreateWebhookBody,
  CreatedWebhook,
  Delivery,
  DeliveryList,
  DeliveryListQuery,
  DeliveryParams,
  RotatedSecret,
  UpdateWebhookBody,
  Webhook,
  webhookErrors,
} from './webhooks.schemas.ts';
import type { WebhooksService } from './webhooks.service.ts';

const tags = ['Webhooks'];

export function webhooksRoutes(deps: { webhooks: WebhooksService }): FastifyPluginAsyncTypebox {
  const { webhooks } = deps;
  const auth = { auth: 'company' as const };
  return async (app) => {
    app.post(
      '/webhooks',
      {
        config: auth,
        schema: {
          tags,
          summary: 'Subscribe an endpoint to events; the answer carries the signing secret once',
          body: CreateWebhookBody,
          response: { 201: CreatedWebhook, ...webhookErrors, ...errorResponses(406) },
        },
      },
      async (request, reply) => reply.status(201).send(await webhooks.create(principalOf(request).companyId, request.body)),
    );

    app.get(
      '/webhooks',
      { config: auth, schema: { tags, summary: "The company's webhooks", response: { 200: Type.Array(Webhook), ...webhookErrors } } },
      async (request) => webhooks.list(principalOf(request).companyId),
    );

    app.get(
      '/webhooks/:id',
      { config: auth, schema: { tags, summary: 'One webhook', params: IdParams, response: { 200: Webhook, ...webhookErrors, ...errorResponses(404) } } },
      async (request) => webhooks.get(principalOf(request).companyId, requireUuid(request.params.id, 'Webhook')),
    );

    app.patch(
      '/webhooks/:id',
      {
        config: auth,
        schema: {
          tags,
          summary: 'Change endpoint, event types (replaces the list), description, or re-enable',
          params: IdParams,
          body: UpdateWebhookBody,
          response: { 200: Webhook, ...webhookErrors, ...errorResponses(404) },
        },
      },
      async (request) => webhooks.update(principalOf(request).companyId, requireUuid(request.params.id, 'Webhook'), request.body),
    );

    app.delete(
      '/webhooks/:id',
      {
        config: auth,
        schema: { tags, summary: 'Delete a webhook', params: IdParams, response: { 200: Type.Object({ message: Type.String() }), ...webhookErrors, ...errorResponses(404) } },
      },
      async (request) => {
        await webhooks.remove(principalOf(request).companyId, requireUuid(request.params.id, 'Webhook'));
        return { message: 'Webhook deleted successfully' };
      },
    );

    app.post(
      '/webhooks/:id/rotate-secret',
      {
        config: auth,
        schema: {
          tags,
          summary: 'New signing secret; the previous one keeps signing for 24 hours',
          params: IdParams,
          response: { 200: RotatedSecret, ...webhookErrors, ...errorResponses(404) },
        },
      },
      async (request) => webhooks.rotateSecret(principalOf(request).companyId, requireUuid(request.params.id, 'Webhook')),
    );

    app.get(
      '/webhooks/:id/deliveries',
      {
        config: auth,
        schema: {
          tags,
          summary: 'The delivery log: events, attempts with time, status code, duration and error',
          params: IdParams,
          querystring: DeliveryListQuery,
          response: { 200: DeliveryList, ...webhookErrors, ...errorResponses(404) },
        },
      },
      async (request) =>
        webhooks.listDeliveries(principalOf(request).companyId, requireUuid(request.params.id, 'Webhook'), request.query),
    );

    app.post(
      '/webhooks/:id/deliveries/:deliveryId/replay',
      {
        config: auth,
        schema: {
          tags,
          summary: 'Send a delivered (or failed) event again, with the same webhook-id',
          params: DeliveryParams,
          response: { 202: Delivery, ...webhookErrors, ...errorResponses(404, 409) },
        },
      },
      async (request, reply) => {
        const { id, deliveryId } = request.params;
        const companyId = principalOf(request).companyId;
        const delivery = await webhooks.replay(companyId, requireUuid(id, 'Webhook'), requireUuid(deliveryId, 'Delivery'));
        return reply.status(202).send(delivery);
      },
    );

    app.post(
      '/webhooks/:id/test',
      {
        config: auth,
        schema: {
          tags,
          summary: 'Send a sample event (webhook_test) to the endpoint',
          params: IdParams,
          response: { 202: Delivery, ...webhookErrors, ...errorResponses(404, 409) },
        },
      },
      async (request, reply) =>
        reply.status(202).send(await webhooks.sendTest(principalOf(request).companyId, requireUuid(request.params.id, 'Webhook'))),
    );
  };
}
