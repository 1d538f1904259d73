// Sends rendered emails through SMTP (nodemailer, SMTP_URL), or — without SMTP_URL — logs them
// instead of sending. Logged emails never show a self-service secret: links carrying one are cut.
import { createRequire } from 'node:module';
import type Nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import type { RenderedEmail } from './email.templates.ts';

export interface MailLogger {
  info(object: Record<string, unknown>, message: string): void;
}

export interface Mailer {
  mode: 'smtp' | 'log';
  send(email: RenderedEmail): Promise<void>;
  close(): void;
}

/** Links of the form …/booking/confirm/<action>/<id>/<secret> (and a hold's approval link) lose their secret. */
export function redactLinks(text: string): string {
  return text.replace(/(\/booking\/(?:confirm\/(?:cancel|reschedule|double-opt-in)|host-approval)\/[^/\s"<>]+\/)[^\s"<>]+/g, '$1[redacted]');
}

export function createMailer(options: { smtpUrl: string | undefined; from: string; log: MailLogger }): Mailer {
  if (!options.smtpUrl) {
    return {
      mode: 'log',
      async send(email) {
        options.log.info(
          { to: email.to, subject: email.subject, text: redactLinks(email.text), invitation: email.ics?.method ?? null },
          'email not sent (SMTP_URL is not set)',
        );
      },
      close() {},
    };
  }
  // Required here, not imported at the top: a server without SMTP_URL never loads it.
  const nodemailer = createRequire(import.meta.url)('nodemailer') as typeof Nodemailer;
  const transport = nodemailer.createTransport({
    url: options.smtpUrl,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  } satisfies SMTPTransport.Options);
  return {
    mode: 'smtp',
    async send(email) {
      await transport.sendMail({
        from: options.from,
        to: email.to,
        subject: email.subject,
        text: email.text,
        html: email.html,
        ...(email.ics ? { icalEvent: { method: email.ics.method, filename: 'invite.ics', content: email.ics.content } } : {}),
      });
    },
    close: () => transport.close(),
  };
}
