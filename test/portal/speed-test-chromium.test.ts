/**
 * Issue 14 item 8 in Debian's Chromium: a citizen signs in at a direct-login hotspot, the success page offers the
 * speed test, a click runs it against the portal (pings, download, upload) and the result lands in the database per
 * hotspot and ward; a browser in data-saver mode is not tested. The portal runs on a loopback HTTP server.
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portalDb } from '../../server/portal/queries/types.ts';
import type { DbHandle } from '../../server/db/types.ts';
import { openTestDb } from '../helpers/db.ts';
import { hotspotVars, makePortalApp, seedHotspot, type PortalTestApp, type SeededHotspot } from './helpers.ts';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

describe('the speed test on the success page (Chromium)', () => {
  let handle: DbHandle;
  let t: PortalTestApp;
  let h: SeededHotspot;
  let server: ServerType;
  let portalUrl = '';
  let browser: Browser;
  let n = 0;

  beforeAll(async () => {
    handle = await openTestDb('sqlite');
    t = await makePortalApp(handle);
    h = await seedHotspot(handle, { loginMode: 'direct', wardCode: '3672010001', maxDevices: 10 });
    server = serve({ fetch: t.app.fetch, hostname: '127.0.0.1', port: 0 });
    await new Promise<void>((ok) => server.once('listening', () => ok()));
    portalUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((ok) => (server === undefined ? ok() : server.close(() => ok())));
    await handle?.close();
  });

  /** The hotspot's login page posts its variables to the portal; the citizen accepts the terms. */
  async function signIn(options: { saveData?: boolean } = {}): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({ locale: 'id-ID' });
    if (options.saveData === true) await context.addInitScript(() => Object.defineProperty(navigator, 'connection', { value: { saveData: true, type: 'wifi' } }));
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.route('**/*', async (route) => {
      if (new URL(route.request().url()).hostname === '127.0.0.1') return route.continue();
      errors.push(`left loopback: ${route.request().url()}`);
      return route.abort();
    });
    const vars = hotspotVars(h, { mac: `AA:BB:CC:DD:EE:${String(10 + n++)}` });
    const inputs = Object.entries(vars).map(([k, v]) => `<input type="hidden" name="${k}" value="${v.replaceAll('"', '&quot;')}">`).join('');
    await page.setContent(`<form id="f" method="post" action="${portalUrl}/portal/login">${inputs}<button>go</button></form>`);
    await page.click('#f button');
    await page.waitForURL(`${portalUrl}/portal/start`);
    await page.check('form[action="/portal/terms"] input[name=accept]');
    await page.click('form[action="/portal/terms"] button');
    await page.waitForURL(`${portalUrl}/portal/terms`);
    await expect.poll(() => page.locator('h1').first().textContent()).toBe('Anda tersambung');
    return { page, errors };
  }

  it('runs only when asked, and the result is stored per hotspot and ward', async () => {
    const { page, errors } = await signIn();
    const button = page.locator('#speedtest-start');
    await expect.poll(() => button.isVisible()).toBe(true);
    // Opt-in: nothing was measured before the click.
    expect(await portalDb(handle.db).selectFrom('portal_speed_tests').selectAll().execute()).toHaveLength(0);
    await button.click();
    await expect.poll(() => page.locator('#speedtest-out').textContent(), { timeout: 20_000 }).toMatch(/^Unduh [\d.]+ Mbps · Unggah [\d.]+ Mbps · Latensi \d+ ms\. Terima kasih!$/);
    const rows = await portalDb(handle.db).selectFrom('portal_speed_tests').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ hotspot_id: h.hotspotId, ward_code: '3672010001' });
    expect(Number(rows[0]!.down_mbps)).toBeGreaterThan(0);
    expect(Number(rows[0]!.up_mbps)).toBeGreaterThan(0);
    // The figures shown are the figures stored.
    const shown = /Unduh ([\d.]+) Mbps/.exec((await page.locator('#speedtest-out').textContent()) ?? '')![1]!;
    expect(Number(rows[0]!.down_mbps)).toBe(Number(shown));
    expect(await button.isDisabled()).toBe(true);
    expect(errors).toEqual([]);
  });

  it('a browser asking to save data is not tested', async () => {
    const before = (await portalDb(handle.db).selectFrom('portal_speed_tests').selectAll().execute()).length;
    const { page, errors } = await signIn({ saveData: true });
    await expect.poll(() => page.locator('#speedtest-out').textContent()).toBe('Uji kecepatan dilewati: perangkat Anda dalam mode hemat data.');
    expect(await page.locator('#speedtest-start').isVisible()).toBe(false);
    expect((await portalDb(handle.db).selectFrom('portal_speed_tests').selectAll().execute()).length).toBe(before);
    expect(errors).toEqual([]);
  });
});
