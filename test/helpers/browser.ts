// Debian's Chromium driven by playwright-core, for the public pages' browser tests. Missing
// Chromium skips those tests with a clear message, except under CI=true, where it is an error
// (.ci/run installs it). Screenshots go to .tmp/screenshots (git-ignored) for people to look at.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type Browser, type Page, chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = join('.tmp', 'screenshots');

/** Why browser tests cannot run here, or undefined when they can (throws under CI). */
export function browserSkipReason(): string | undefined {
  // The browser does not care which engine stores the rows: the PGlite pass runs them, and the
  // PostgreSQL pass (CI's second run of the suite) saves their minutes.
  if (process.env.TEST_DATABASE_URL) return 'browser tests run in the PGlite pass only';
  if (existsSync(CHROMIUM)) return undefined;
  if (process.env.CI === 'true') throw new Error(`${CHROMIUM} is missing; CI must install it (apt-get install -y chromium)`);
  return `browser tests skipped: ${CHROMIUM} not found (apt-get install -y chromium to run them)`;
}

/** Playwright creates and removes a temporary user-data-dir for a launched browser. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

const AXE_SOURCE = () => readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical findings on the page as it is now. */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE());
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run();
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.targets.join(', ')}`);
}
