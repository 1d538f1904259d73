// A file's app whose event workers really send: mail goes to a loopback SMTP server that the tests
// read, on top of startHostApp's Acme (and Other) with one host.
import type { Clock } from '../../src/lib/clock.ts';
import type { EventWorkers } from '../../src/outbox/outbox.workers.ts';
import type { TestApp, TestCompany } from './app.ts';
import { type TestHost, newHost, startHostApp } from './bookings.ts';
import { startSmtp } from './smtp.ts';
import { startWorkers } from './workers.ts';

export type Smtp = Awaited<ReturnType<typeof startSmtp>>;

export interface MailApp {
  t: TestApp;
  acme: TestCompany;
  host: TestHost;
  smtp: Smtp;
  workers: EventWorkers;
  /** Stops the workers first (they may be sending), then the app, then the SMTP server. */
  stop(): Promise<void>;
}

/** In `before`: `({ t, host, smtp, stop } = await startMailApp())`; in `after`: `stop()`. */
export async function startMailApp(
  makeHost: (t: TestApp, company: TestCompany) => Promise<TestHost> = newHost,
  options: { clock?: Clock } = {},
): Promise<MailApp> {
  const smtp = await startSmtp();
  const { t, acme, host } = await startHostApp(makeHost, { ...options, env: { SMTP_URL: smtp.url } });
  const workers = await startWorkers(t);
  const stop = async () => {
    await workers.stop();
    await t.close();
    await smtp.close();
  };
  return { t, acme, host, smtp, workers, stop };
}
