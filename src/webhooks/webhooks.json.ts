// Webhooks and deliveries as the API shows them.
import type { AttemptRow, DeliveryRow } from './delivery-log.repo.ts';
import type { WebhookRow } from './webhooks.repo.ts';

export interface WebhookJson {
  id: string;
  endpoint: string;
  description: string;
  eventTypes: string[];
  companyId: string;
  active: boolean;
  disabledReason: string | null;
  createdAt: string;
  updatedAt: string;
}

export function webhookJson(row: WebhookRow): WebhookJson {
  return {
    id: row.id,
    endpoint: row.endpoint,
    description: row.description,
    eventTypes: row.event_types,
    companyId: row.company_id,
    active: row.active,
    disabledReason: row.disabled_reason,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function deliveryJson(row: DeliveryRow, attempts: AttemptRow[]) {
  return {
    id: row.id,
    eventId: row.event_id,
    event: row.event_type,
    status: row.status,
    attemptCount: row.attempt_count,
    nextAttemptAt: row.status === 'pending' ? row.next_attempt_at.toISOString() : null,
    lastError: row.last_error,
    replayOf: row.replay_of,
    createdAt: row.created_at.toISOString(),
    completedAt: row.completed_at?.toISOString() ?? null,
    attempts: attempts
      .filter((attempt) => attempt.delivery_id === row.id)
      .map((attempt) => ({
        attempt: attempt.attempt,
        attemptedAt: attempt.attempted_at.toISOString(),
        statusCode: attempt.status_code,
        durationMs: attempt.duration_ms,
        error: attempt.error,
        responseBody: attempt.response_body,
      })),
  };
}
