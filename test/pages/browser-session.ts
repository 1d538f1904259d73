// What the pages' browser tests share: the app listening on loopback with a real SMTP sink and the
// event workers, one Chromium, visitors (zone, language, screen) whose CSP complaints are kept, a
// look at a page (screenshot + axe-core), and a parent site on another origin that embeds a page.
import assert from 'node:assert/strict';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { EventWorkers } from '../../src/outbox/outbox.workers.ts';
import { type TestApp, startTestApp } from '../helpers/app.ts';
import { launchChromium, screenshot, seriousViolations } from '../helpers/browser.ts';
import { testClock } from '../helpers/bookings.ts';
import { eventually } from '../helpers/receiver.ts';
import { startSmtp } from '../helpers/smtp.ts';
import { startWorkers } from '../helpers/workers.ts';

export interface BrowserSession {
  t: TestApp;
  smtp: Awaited<ReturnType<typeof startSmtp>>;
  origin: string;
  /** Console messages about a broken Content-Security-Policy, from every visitor's page. */
  violations: string[];
  visitor(options: { timezoneId: string; locale: string; width?: number }): Promise<Page>;
  close(): Promise<void>;
}

export async function startBrowserSession(): Promise<BrowserSession> {
  const smtp = await startSmtp();
  const t = await startTestApp({ clock: testClock(), env: { SMTP_URL: smtp.url } });
  let workers: EventWorkers | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const violations: string[] = [];
  const close = async () => {
    await Promise.allSettled(contexts.map((c) => c.close()));
    await browser?.close();
    await workers?.stop();
    await t.close();
    await smtp.close();
  };
  try {
    workers = await startWorkers(t);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
  } catch (error) {
    await close();
    throw error;
  }
  const origin = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  const chromium = browser;
  /** A visitor: their zone and language, a phone or a desktop screen. */
  async function visitor(options: { timezoneId: string; locale: string; width?: number }): Promise<Page> {
    const context = await chromium.newContext({
      timezoneId: options.timezoneId,
      locale: options.locale,
      viewport: { width: options.width ?? 1024, height: 800 },
    });
    contexts.push(context);
    const page = await context.newPage();
    page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) violations.push(message.text());
    });
    return page;
  }
  return { t, smtp, origin, violations, visitor, close };
}

/** Looks at the page as it is: a screenshot to look at later and axe-core's serious findings. */
export async function check(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  assert.deepEqual(await seriousViolations(page), [], `axe on ${name}`);
}

/**
 * Opens, in `page`, a parent site on localhost (another origin than the app's 127.0.0.1) that embeds
 * `pagePath` through embed.js; `act` works in the frame; answers the messages the parent received.
 */
export async function inEmbed(
  session: BrowserSession,
  page: Page,
  pagePath: string,
  act: (frame: ReturnType<Page['frameLocator']>) => Promise<void>,
): Promise<Record<string, unknown>[]> {
  const { origin } = session;
  const parent: Server = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html');
    res.end(`<!doctype html><html lang="en"><head><title>Parent</title></head><body><h1>Parent site</h1>
<script>window.messages=[];window.addEventListener('termin:booking-successful',function(e){window.messages.push(e.detail)});</script>
<script src="${origin}/embed.js" data-termin-url="${origin}${pagePath}"></script></body></html>`);
  });
  await new Promise<void>((resolve) => parent.listen(0, '127.0.0.1', resolve));
  try {
    await page.goto(`http://localhost:${(parent.address() as AddressInfo).port}/`);
    await act(page.frameLocator('iframe'));
    return await eventually(async () => {
      const got = (await page.evaluate(() => (globalThis as unknown as { messages: unknown[] }).messages)) as Record<string, unknown>[];
      return got.length > 0 ? got : undefined;
    }, 20_000, 'the parent message');
  } finally {
    await new Promise<void>((resolve) => parent.close(() => resolve()));
  }
}
