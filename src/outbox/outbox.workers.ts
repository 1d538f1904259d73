// Starts everything that carries events out of the process: the outbox dispatcher, the webhook
// delivery worker, the email worker and the reminder worker, each a loop woken in-process, by
// NOTIFY from other instances, or at the latest by its poll. `stop()` drains them for SIGTERM.
import { provisionalEmailsConsumer } from '../bookings/provisional/provisional.emails.ts';
import { createExpiryWorker } from '../bookings/provisional/provisional.expiry.ts';
import { calendarWritesEventConsumer } from '../calendars/calendar-writes.consumer.ts';
import type { Config } from '../config.ts';
import type { DatabaseHandle } from '../db/database.ts';
import type { Clock } from '../lib/clock.ts';
import type { SecretBox } from '../lib/secret-box.ts';
import { createEmailWorker } from '../notifications/email.worker.ts';
import { emailsConsumer, remindersConsumer } from '../notifications/notifications.consumers.ts';
import { createMailer, type Mailer } from '../notifications/mailer.ts';
import { createReminderWorker } from '../notifications/reminder.worker.ts';
import { createDeliveryWorker } from '../webhooks/delivery.worker.ts';
import { webhooksConsumer } from '../webhooks/webhooks.consumer.ts';
import type { EventConsumer } from './event-consumer.ts';
import { createDispatcher } from './outbox.dispatcher.ts';
import { listenForWork } from './outbox.listener.ts';
import type { Wakeups } from './wakeups.ts';
import { startLoop } from './worker-loop.ts';

export interface EventsLogger {
  info(object: Record<string, unknown>, message: string): void;
  warn(object: Record<string, unknown>, message: string): void;
  error(object: Record<string, unknown>, message: string): void;
}

/** Who consumes committed events; each names the event types it handles. */
export const EVENT_CONSUMERS: readonly EventConsumer[] = [
  webhooksConsumer,
  emailsConsumer,
  remindersConsumer,
  calendarWritesEventConsumer,
  provisionalEmailsConsumer,
];

export interface EventWorkersOptions {
  handle: DatabaseHandle;
  config: Readonly<Config>;
  clock: Clock;
  services: { wakeups: Wakeups; secretBox: () => Promise<SecretBox> };
  log: EventsLogger;
  /** Fallback poll interval (default 2 s). */
  pollMs?: number;
  /** Webhook request timeout (default 15 s). */
  timeoutMs?: number;
  mailer?: Mailer;
  consumers?: readonly EventConsumer[];
}

export interface EventWorkers {
  mailer: Mailer;
  wake(): void;
  stop(): Promise<void>;
}

export async function startEventWorkers(options: EventWorkersOptions): Promise<EventWorkers> {
  const { handle, config, clock, services, log } = options;
  const db = handle.db;
  const pollMs = options.pollMs ?? 2000;
  const mailer = options.mailer ?? createMailer({ smtpUrl: config.smtpUrl, from: config.smtpFrom, log });
  if (mailer.mode === 'log') log.warn({}, 'SMTP_URL is not set: emails are rendered and logged, not sent');
  const retryScheduleMs = config.webhooks.retryScheduleMs;

  const dispatcher = createDispatcher({ db, clock, wakeups: services.wakeups, consumers: options.consumers ?? EVENT_CONSUMERS });
  const deliveries = createDeliveryWorker({
    db,
    clock,
    secretBox: services.secretBox,
    retryScheduleMs,
    allowPrivate: config.webhooks.allowPrivate,
    timeoutMs: options.timeoutMs ?? 15_000,
    perEndpoint: config.webhooks.concurrencyPerEndpoint,
    onFreed: () => loops.deliveries.wake(),
    onError: (error) => log.error({ worker: 'webhook-deliveries', errName: (error as Error)?.name }, 'delivery failed'),
  });
  const emails = createEmailWorker({
    db,
    clock,
    mailer,
    publicUrl: config.publicUrl,
    retryScheduleMs,
    perCompany: config.emailConcurrencyPerCompany,
    onFreed: () => loops.emails.wake(),
    onError: (error) => log.error({ worker: 'emails', errName: (error as Error)?.name }, 'email send failed'),
  });
  const reminders = createReminderWorker({ db, clock, wakeups: services.wakeups });
  const holds = createExpiryWorker({ db, clock });

  const loops = {
    // Webhooks are the latency-sensitive path; emails can wait a moment and go in larger batches.
    outbox: startLoop({ name: 'outbox', runOnce: dispatcher.runOnce, pollMs, log, settleMs: 10 }),
    deliveries: startLoop({ name: 'webhook-deliveries', runOnce: deliveries.runOnce, pollMs, log, settleMs: 5 }),
    emails: startLoop({ name: 'emails', runOnce: emails.runOnce, pollMs, log, settleMs: 250 }),
    reminders: startLoop({ name: 'reminders', runOnce: reminders.runOnce, pollMs, log }),
    // Provisional bookings past their expiry: the slot is freed and the attendee told (issue 12).
    provisionalExpiry: startLoop({ name: 'provisional-expiry', runOnce: holds.runOnce, pollMs, log }),
  };
  const unsubscribe = [
    services.wakeups.subscribe('outbox', loops.outbox.wake),
    services.wakeups.subscribe('deliveries', loops.deliveries.wake),
    services.wakeups.subscribe('emails', loops.emails.wake),
  ];
  const wakeWork = () => {
    loops.deliveries.wake();
    loops.emails.wake();
  };
  const listener = await listenForWork({ handle, databaseUrl: config.databaseUrl, onOutbox: loops.outbox.wake, onWork: wakeWork, log });

  return {
    mailer,
    wake() {
      for (const loop of Object.values(loops)) loop.wake();
    },
    async stop() {
      for (const off of unsubscribe) off();
      await listener.close();
      await Promise.all(Object.values(loops).map((loop) => loop.stop()));
      // Sends already started finish (or time out) before the database closes under them.
      await deliveries.drain();
      await emails.drain();
      mailer.close();
    },
  };
}
