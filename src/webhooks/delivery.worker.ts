// Delivers due webhook deliveries: claim (SKIP LOCKED, under a lease), sign with every secret
// currently valid, POST, record the attempt, then succeed, retry later, fail, or — on 410 Gone —
// disable the subscription.
import type { Db } from '../db/database.ts';
import { inTransaction } from '../db/transaction.ts';
import type { Clock } from '../lib/clock.ts';
import type { SecretBox } from '../lib/secret-box.ts';
import { withSecret } from '../outbox/event-payload.ts';
import { createInFlight } from '../outbox/in-flight.ts';
import * as deliveries from './deliveries.repo.ts';
import { type SendResult, postWebhook } from './http-sender.ts';
import { parseRetryAfter, retryDelayMs } from './retry.ts';
import { signatureHeaders } from './signature.ts';
import { updateWebhook } from './webhooks.repo.ts';

export interface DeliveryWorkerDeps {
  db: Db;
  clock: Clock;
  secretBox: () => Promise<SecretBox>;
  retryScheduleMs: readonly number[];
  allowPrivate: boolean;
  timeoutMs: number;
  batchSize?: number;
  random?: () => number;
  /** Deliveries of one subscription in flight at once (default 2): a slow endpoint waits on itself. */
  perEndpoint?: number;
  /** Deliveries in flight in this process at once (default 50). */
  maxInFlight?: number;
  /** A delivery finished, so there is room to claim more: wake the loop. */
  onFreed?: () => void;
  onError?: (error: unknown) => void;
}

export interface RunResult {
  processed: number;
  /** When the next known piece of work becomes due. */
  nextDueAt?: Date;
}

export function createDeliveryWorker(deps: DeliveryWorkerDeps) {
  const { db, clock } = deps;
  const random = deps.random ?? Math.random;
  // A worker that dies mid-attempt releases its claim when the lease ends.
  const leaseMs = deps.timeoutMs + 10_000;
  // Opened secrets by their sealed text: each one is decrypted once per process, not per attempt.
  const opened = new Map<string, string>();
  const openSecret = (box: SecretBox, sealed: string) => {
    let secret = opened.get(sealed);
    if (secret === undefined) {
      secret = box.open(sealed);
      if (opened.size > 10_000) opened.clear();
      opened.set(sealed, secret);
    }
    return secret;
  };

  async function send(claim: deliveries.ClaimedDelivery): Promise<SendResult> {
    const box = await deps.secretBox();
    const secrets = claim.secrets.map((sealed) => openSecret(box, sealed));
    // The appointment's own secret is stored sealed beside the body and joins it only on the wire.
    const body = claim.secret_sealed ? withSecret(claim.body, box.open(claim.secret_sealed)) : claim.body;
    const headers = signatureHeaders(secrets, claim.event_id, Math.floor(clock.now().getTime() / 1000), body);
    return postWebhook(claim.endpoint, body, { ...headers }, { timeoutMs: deps.timeoutMs, allowPrivate: deps.allowPrivate });
  }

  async function record(claim: deliveries.ClaimedDelivery, result: SendResult, attemptedAt: Date): Promise<void> {
    const now = clock.now();
    const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
    const error = ok ? null : (result.error ?? `HTTP ${result.statusCode}`);
    const attempt = {
      deliveryId: claim.id,
      attempt: claim.attempt_count,
      attemptedAt,
      statusCode: result.statusCode,
      durationMs: result.durationMs,
      error,
      responseBody: result.responseBody,
    };
    if (ok) return deliveries.recordSuccess(db, attempt, now);
    await inTransaction(db, async (tx) => {
      await deliveries.insertAttempt(tx, attempt);
      if (result.statusCode === 410) {
        const reason = 'endpoint answered 410 Gone';
        const row = await tx.selectFrom('webhooks').select('company_id').where('id', '=', claim.webhook_id).executeTakeFirstOrThrow();
        await updateWebhook(tx, row.company_id, claim.webhook_id, { active: false, disabled_reason: reason }, now);
        await deliveries.finishDelivery(tx, claim.id, { status: 'failed', error: reason, now });
        return deliveries.failPendingDeliveries(tx, claim.webhook_id, 'webhook disabled (410 Gone)', now);
      }
      const delay = retryDelayMs({
        attemptsMade: claim.attempt_count,
        scheduleMs: deps.retryScheduleMs,
        retryAfterMs: parseRetryAfter(result.retryAfter, now.getTime()),
        random: random(),
      });
      if (delay === undefined) return deliveries.finishDelivery(tx, claim.id, { status: 'failed', error, now });
      return deliveries.retryDeliveryAt(tx, claim.id, new Date(now.getTime() + delay), error ?? 'failed');
    });
  }

  async function deliver(claim: deliveries.ClaimedDelivery): Promise<void> {
    if (!claim.webhook_usable) {
      await deliveries.finishDelivery(db, claim.id, { status: 'failed', error: 'webhook disabled or deleted', now: clock.now() });
      return;
    }
    const attemptedAt = clock.now();
    let result: SendResult;
    try {
      result = await send(claim);
    } catch (error) {
      result = { statusCode: null, retryAfter: undefined, responseBody: null, error: (error as Error).message, durationMs: 0 };
    }
    await record(claim, result, attemptedAt);
  }

  const perEndpoint = deps.perEndpoint ?? 2;
  const maxInFlight = deps.maxInFlight ?? 50;
  const inFlight = createInFlight({
    onFreed: () => deps.onFreed?.(),
    renew: (ids) => deliveries.renewLeases(db, ids, new Date(clock.now().getTime() + leaseMs)),
    renewEveryMs: Math.max(1000, Math.floor(leaseMs / 3)),
    onError: deps.onError,
  });

  /** Claims what the budgets allow and starts sending it; does not wait for the sends. */
  async function runOnce(): Promise<RunResult> {
    const room = Math.min(deps.batchSize ?? 20, maxInFlight - inFlight.size);
    // Full: a finishing send wakes the loop (onFreed).
    if (room <= 0) return { processed: 0 };
    const claims = await deliveries.claimDueDeliveries(db, clock.now(), room, leaseMs, { perEndpoint, inFlight: inFlight.byGroup });
    for (const claim of claims) inFlight.start(claim.webhook_id, claim.id, () => deliver(claim));
    if (claims.length > 0) return { processed: claims.length };
    return { processed: 0, nextDueAt: await deliveries.nextDeliveryDueExcept(db, inFlight.saturated(perEndpoint)) };
  }

  return { runOnce, drain: inFlight.drain };
}
