/**
 * The public map in Chromium without signing in: ward outlines and hotspots, the summary, the "no signal here"
 * report, the language switch, and a phone-sized screen. No console errors, no request leaving loopback.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage, screenshot, type WatchedPage } from './support/browser.ts';
import type { RunningServer, Seeded } from './support/server.ts';
import { patientPoll, startSeededConsole, type SeededConsole } from './support/session.ts';

const poll = patientPoll(10_000);

describe('public map in Chromium', () => {
  let c: SeededConsole;
  let server: RunningServer;
  let seeded: Seeded;
  let w: WatchedPage;
  const apiCalls: string[] = [];

  beforeAll(async () => {
    c = await startSeededConsole({ city: true });
    ({ server, w } = c);
    seeded = c.seeded!;
    w.page.on('request', (r) => {
      const u = new URL(r.url());
      if (u.pathname.startsWith('/api/')) apiCalls.push(u.pathname);
    });
  }, 120_000);

  afterAll(async () => {
    await c?.close();
  });

  it('shows the wards and the hotspots without signing in', async () => {
    const { page } = w;
    await page.goto(server.baseUrl + '/');
    await poll(() => page.locator('.leaflet-overlay-pane path').count()).toBeGreaterThanOrEqual(seeded.wards);
    expect(await page.locator('h1').textContent()).toBe('Wi-Fi gratis di dekat Anda');
    if (await server.hasRoute('GET', '/api/v1/public/hotspots')) {
      await poll(() => page.locator('#map').getAttribute('data-points-shown')).not.toBeNull();
      expect(Number(await page.locator('#map').getAttribute('data-points-shown'))).toBeGreaterThan(0);
    } else {
      await poll(() => page.locator('[data-note="not-available"]').count()).toBeGreaterThan(0);
    }
    if (await server.hasRoute('GET', '/api/v1/public/summary')) {
      await poll(() => page.getByTestId('fig-points').count()).toBe(1);
    }
    expect(await page.locator('.jk-legend').count()).toBe(1);
    await screenshot(page, 'public-map');
    // The public page never asks who is signed in.
    expect(apiCalls.filter((p) => p.startsWith('/api/v1/auth'))).toEqual([]);
  });

  it('files a "no signal here" report by clicking the map (or says the report is not served yet)', async () => {
    const { page } = w;
    if (await server.hasRoute('POST', '/api/v1/reports')) {
      await page.getByTestId('report-open').click();
      const box = (await page.locator('#map').boundingBox())!;
      await page.mouse.click(box.x + box.width * 0.45, box.y + box.height * 0.55);
      await poll(() => page.getByTestId('report-where').textContent()).toMatch(/-?\d/);
      await page.getByTestId('report-note').fill('Depan pasar, sinyal hilang sore hari');
      await screenshot(page, 'public-report-form');
      await page.getByTestId('report-submit').click();
      await poll(() => page.getByTestId('report-sent').count()).toBe(1);
    } else {
      await poll(() => page.locator('.report [data-note="not-available"]').count()).toBe(1);
    }
    await screenshot(page, 'public-report-done');
  });

  it('switches to English', async () => {
    const { page } = w;
    await page.getByTestId('lang-switch').click();
    await poll(() => page.locator('h1').textContent()).toBe('Free Wi-Fi near you');
    expect(await page.locator('#report-title').textContent()).toBe('No signal here?');
    await page.getByTestId('lang-switch').click();
    await poll(() => page.locator('h1').textContent()).toBe('Wi-Fi gratis di dekat Anda');
  });

  it('fits a phone screen without sideways scrolling', async () => {
    const phone = await openPage(c.browser, { viewport: { width: 390, height: 844 } });
    await phone.page.goto(server.baseUrl + '/');
    await poll(() => phone.page.locator('.leaflet-overlay-pane path').count()).toBeGreaterThanOrEqual(seeded.wards);
    const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(phone.page, 'public-map-phone');
    await phone.page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await screenshot(phone.page, 'public-map-phone-panel');
    expect(phone.problems).toEqual([]);
    await phone.context.close();
  });

  it('logged no console error, page error or external request', () => {
    expect(w.problems).toEqual([]);
  });
});
