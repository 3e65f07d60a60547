/**
 * Debian's Chromium driven by playwright-core. Every page records console errors, page errors and any request
 * that would leave loopback; map tiles are answered with a 1x1 PNG (this machine has no internet).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { REPO_ROOT } from '../../helpers/shared-data.ts';

export const ARTIFACTS = join(REPO_ROOT, 'test-artifacts', 'web');

/** A transparent 1x1 PNG: the map's own background shows, as when tiles are unreachable. */
const PNG_1X1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** Console errors, page errors and requests that tried to leave loopback. */
  problems: string[];
}

export async function openPage(
  browser: Browser,
  options: { viewport?: { width: number; height: number }; locale?: string; hasTouch?: boolean; isMobile?: boolean; geolocation?: { latitude: number; longitude: number } } = {},
): Promise<WatchedPage> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1440, height: 900 }, locale: options.locale ?? 'id-ID', deviceScaleFactor: 1,
    ...(options.hasTouch === undefined ? {} : { hasTouch: options.hasTouch }),
    ...(options.isMobile === undefined ? {} : { isMobile: options.isMobile }),
    ...(options.geolocation === undefined ? {} : { geolocation: options.geolocation }),
  });
  const problems: string[] = [];
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === 'tile.openstreetmap.org') {
      await route.fulfill({ status: 200, contentType: 'image/png', body: PNG_1X1 });
    } else if (url.protocol === 'data:' || url.hostname === '127.0.0.1' || url.hostname === 'localhost') {
      await route.continue();
    } else {
      problems.push(`external request: ${url.href}`);
      await route.abort();
    }
  });
  const page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`console ${msg.type()}: ${msg.text()} @ ${msg.location().url}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}${process.env.WEB_TEST_STACKS === '1' ? ` ${err.stack ?? ''}` : ''}`));
  return { page, context, problems };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  // Let a map zoom animation finish so the picture shows what a person sees once the map settles.
  await page.waitForFunction(() => document.querySelector('.leaflet-zoom-anim') === null, undefined, { timeout: 5000 }).catch(() => undefined);
  await page.waitForTimeout(350);
  await page.screenshot({ path, fullPage: false });
  return path;
}

/** Removes one recorded problem matching `pattern` (a failure the test provoked on purpose); fails if absent. */
export function takeExpected(w: WatchedPage, pattern: RegExp): void {
  const i = w.problems.findIndex((p) => pattern.test(p));
  if (i < 0) throw new Error(`expected a logged problem matching ${pattern}; got ${JSON.stringify(w.problems)}`);
  w.problems.splice(i, 1);
}
