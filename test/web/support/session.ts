/**
 * What every Chromium test of the web UI sets up the same way: a patient `expect.poll`, the web build, Chromium with
 * one watched page (optionally beside the seeded server of `server.ts`), and signing in through the console's form.
 */
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { launchChromium, openPage, type WatchedPage } from './browser.ts';
import { ensureWebBuild } from './build.ts';
import { ADMIN, seedActivity, seedCity, startSeededServer, type RunningServer, type Seeded } from './server.ts';

/** expect.poll with a patient default: password hashing and first renders take a moment on a busy machine. */
export function patientPoll(timeoutMs: number): typeof expect.poll {
  return (fn, options) => expect.poll(fn, { timeout: timeoutMs, ...(typeof options === 'object' ? options : {}) });
}

export interface ChromiumPage {
  browser: Browser;
  w: WatchedPage;
}

/** Makes sure `web/dist` is current, then launches Chromium with one watched page. */
export async function openChromium(): Promise<ChromiumPage> {
  ensureWebBuild();
  const browser = await launchChromium();
  return { browser, w: await openPage(browser) };
}

/** Opens `url` (the console, optionally at a route) and signs in through the form; waits for nothing further. */
export async function signInThroughForm(page: Page, url: string, account: { email: string; password: string } = ADMIN): Promise<void> {
  await page.goto(url);
  await page.getByTestId('email').fill(account.email);
  await page.getByTestId('password').fill(account.password);
  await page.getByTestId('sign-in').click();
}

export interface SeededConsole extends ChromiumPage {
  server: RunningServer;
  /** The Cilegon wards, sites and access points; null when `city` was false. */
  seeded: Seeded | null;
  /** Three hours of poll results for the seeded devices (null where the server has no ingest, or no city). */
  activity: Awaited<ReturnType<typeof seedActivity>>;
  close(): Promise<void>;
}

/**
 * The seeded server (`server.ts`), with the city and its activity when `city` is true, then Chromium and one watched
 * page. `before` runs between seeding and launching Chromium (further set-up through the API).
 */
export async function startSeededConsole(options: { city: boolean; before?: (server: RunningServer) => Promise<void> }): Promise<SeededConsole> {
  ensureWebBuild();
  const server = await startSeededServer();
  let seeded: Seeded | null = null;
  let activity: SeededConsole['activity'] = null;
  let browser: Browser | undefined;
  try {
    if (options.city) {
      seeded = await seedCity(server);
      activity = await seedActivity(server, seeded.devices, { nowMs: Date.now() });
    }
    await options.before?.(server);
    browser = await launchChromium();
    const w = await openPage(browser);
    const opened = browser;
    return {
      server, seeded, activity, browser: opened, w,
      close: async () => {
        await opened.close();
        await server.close();
      },
    };
  } catch (e) {
    await browser?.close();
    await server.close();
    throw e;
  }
}
