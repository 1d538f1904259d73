// Route schemas of the webhook subscriptions API (spec §3.1).
import { Type } from '@fastify/type-provider-typebox';
import { errorResponses, open } from '../http/params.ts';

export const Webhook = open({
  id: Type.String(),
  endpoint: Type.String(),
  description: Type.String(),
  eventTypes: Type.Array(Type.String()),
  companyId: Type.String(),
  active: Type.Boolean(),
  disabledReason: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
}, { title: 'Webhook' });

export const CreatedWebhook = open({
  ...Webhook.properties,
  secret: Type.String({ description: 'The signing secret (whsec_…). Shown once.' }),
}, { title: 'CreatedWebhook' });

export const CreateWebhookBody = Type.Object({
  endpoint: Type.String({ maxLength: 2048 }),
  eventTypes: Type.Array(Type.String({ maxLength: 100 }), { minItems: 1, maxItems: 20 }),
  description: Type.Optional(Type.String({ maxLength: 500 })),
});

export const UpdateWebhookBody = Type.Object({
  endpoint: Type.Optional(Type.String({ maxLength: 2048 })),
  eventTypes: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { minItems: 1, maxItems: 20 })),
  description: Type.Optional(Type.String({ maxLength: 500 })),
  active: Type.Optional(Type.Boolean()),
});

export const RotatedSecret = Type.Object({
  id: Type.String(),
  secret: Type.String(),
  previousSecretExpiresAt: Type.String(),
});

const Attempt = Type.Object({
  attempt: Type.Integer(),
  attemptedAt: Type.String(),
  statusCode: Type.Union([Type.Integer(), Type.Null()]),
  durationMs: Type.Integer(),
  error: Type.Union([Type.String(), Type.Null()]),
  responseBody: Type.Union([Type.String(), Type.Null()]),
});

export const Delivery = Type.Object({
  id: Type.String(),
  eventId: Type.String(),
  event: Type.String(),
  status: Type.String(),
  attemptCount: Type.Integer(),
  nextAttemptAt: Type.Union([Type.String(), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
  replayOf: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  completedAt: Type.Union([Type.String(), Type.Null()]),
  attempts: Type.Array(Attempt),
}, { title: 'WebhookDelivery' });

export const DeliveryList = Type.Object({
  deliveries: Type.Array(Delivery),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
}, { title: 'WebhookDeliveryList' });

export const DeliveryListQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
  status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('succeeded'), Type.Literal('failed')])),
});

export const DeliveryParams = Type.Object({ id: Type.String({ maxLength: 100 }), deliveryId: Type.String({ maxLength: 100 }) });

export const webhookErrors = errorResponses(400, 401, 403, 429);
