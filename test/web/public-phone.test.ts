/**
 * Issue 15, slice (c): the public map on a phone in Chromium (390 x 844, touch). Tapping a hotspot shows its name,
 * network name (SSID), state and last seen; "near me" lists the closest working hotspots from the browser's own
 * geolocation (and sends no position to the server); search by kelurahan; the hotspot's status page with 90 daily
 * bars and planned maintenance. Screenshots go to test-artifacts/web for a person to look at.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from './support/build.ts';
import { launchChromium, openPage, screenshot, type WatchedPage } from './support/browser.ts';
import { seedActivity, seedCity, startSeededServer, type RunningServer, type Seeded } from './support/server.ts';

const poll: typeof expect.poll = (fn, options) => expect.poll(fn, { timeout: 15_000, ...(typeof options === 'object' ? options : {}) });

describe('public map on a phone', () => {
  let server: RunningServer;
  let seeded: Seeded;
  let browser: Browser;
  let phone: WatchedPage;
  let down: string[] = [];
  const requests: string[] = [];
  const ward = { name: '', site: '', lat: 0, lon: 0 };

  beforeAll(async () => {
    ensureWebBuild();
    server = await startSeededServer();
    seeded = await seedCity(server);
    down = (await seedActivity(server, seeded.devices, { nowMs: Date.now() }))?.down ?? [];
    // A working ward's site and its place: the phone stands a few hundred metres from it.
    const hs = ((await (await fetch(`${server.baseUrl}/api/v1/public/hotspots`)).json()) as { items: Array<{ id: string; name: string; lat: number; lon: number; state: string; wardName: string | null }> }).items;
    const up = hs.find((x) => x.state === 'up' && x.wardName !== null)!;
    Object.assign(ward, { name: up.wardName!, site: up.name, lat: up.lat, lon: up.lon });
    browser = await launchChromium();
    phone = await openPage(browser, { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, geolocation: { latitude: up.lat + 0.002, longitude: up.lon + 0.001 } });
    phone.page.on('request', (r) => requests.push(r.url() + ' ' + (r.postData() ?? '')));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('ACCEPTANCE: tapping a hotspot on the public map shows its name and state (and SSID and last seen)', async () => {
    const { page } = phone;
    await page.goto(server.baseUrl + '/');
    await poll(() => page.locator('#map').getAttribute('data-points-shown')).not.toBeNull();
    // Search the ward: the map zooms in and lists its hotspots.
    await page.getByTestId('ward-search').fill(ward.name);
    await page.getByTestId('ward-search-go').tap();
    await poll(() => page.getByTestId('ward-list-hotspots').textContent()).toContain(ward.site);
    // Tap the point itself on the map (the canvas), where its keyboard stand-in sits.
    const target = page.locator(`.jk-key-target[aria-label^="${ward.site} ·"]`);
    await poll(() => target.count()).toBe(1);
    await page.locator('#map').scrollIntoViewIfNeeded();
    const box = (await target.boundingBox())!;
    await page.touchscreen.tap(box.x + box.width / 2, box.y + box.height / 2);
    await poll(() => page.getByTestId('hotspot-name').textContent()).toBe(ward.site);
    expect(await page.getByTestId('hotspot-state').textContent()).toBe('Aktif');
    expect(await page.getByTestId('hotspot-ssid').textContent()).toBe('Cilegon-Free-WiFi');
    expect(await page.getByTestId('hotspot-last-seen').textContent()).toMatch(/\d/);
    // The card fits the phone: no sideways scrolling, and it sits inside the screen.
    const card = (await page.getByTestId('hotspot-card').boundingBox())!;
    expect(card.x).toBeGreaterThanOrEqual(0);
    expect(card.x + card.width).toBeLessThanOrEqual(390);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await screenshot(page, 'public-phone-tapped');
    await page.getByTestId('hotspot-close').tap();
    await poll(() => page.getByTestId('hotspot-card').count()).toBe(0);
  }, 90_000);

  it('"near me" lists the closest working hotspots with distance, without sending the position anywhere', async () => {
    const { page } = phone;
    await phone.context.grantPermissions(['geolocation']);
    requests.length = 0;
    await page.getByTestId('near-me').tap();
    await poll(() => page.getByTestId('near-list').locator('li').count()).toBeGreaterThan(0);
    const first = await page.getByTestId('near-list').locator('li').first().textContent();
    expect(first).toContain(ward.site);
    expect(first).toMatch(/\d+ m/);
    const names = await page.getByTestId('near-list').locator('.near-name').allTextContents();
    const downNames = seeded.sites.filter((s) => down.some((d) => seeded.devices.find((x) => x.id === d)?.name === `AP ${s.name.replace(/^Balai /, '')}`)).map((s) => s.name);
    for (const n of downNames) expect(names).not.toContain(n);
    const lat = String(ward.lat + 0.002).slice(0, 7);
    expect(requests.filter((r) => r.includes(lat))).toEqual([]);
    await screenshot(page, 'public-phone-near-me');
  }, 90_000);

  it("opens a hotspot's status page with 90 daily bars and planned maintenance", async () => {
    const { page } = phone;
    const site = seeded.sites.find((s) => s.name === ward.site)!;
    const dev = seeded.devices.find((d) => d.name === `AP ${ward.site.replace(/^Balai /, '')}`)!;
    const starts = Date.now() + 2 * 86_400_000;
    const m = await server.call('POST', '/api/v1/maintenance', { json: { deviceId: dev.id, startsAt: new Date(starts).toISOString(), endsAt: new Date(starts + 3 * 3_600_000).toISOString(), reason: 'ganti perangkat (internal)' } });
    expect(m.status, await m.clone().text()).toBeLessThan(300);
    const api = (await (await fetch(`${server.baseUrl}/api/v1/public/hotspots/${site.id}/status`)).json()) as { days: Array<{ availabilityPct: number | null }>; maintenance: unknown[] };
    expect(api.days).toHaveLength(90);
    expect(api.days.at(-1)!.availabilityPct, JSON.stringify(api.days.slice(-2))).toBe(100);
    expect(api.maintenance).toHaveLength(1);
    await page.goto(`${server.baseUrl}/status/${site.id}`);
    expect(await page.getByTestId('status-name').textContent()).toBe(ward.site);
    expect(await page.getByTestId('status-state').textContent()).toBe('Aktif');
    expect(await page.getByTestId('status-bars').locator('li').count()).toBe(90);
    // Only today was observed: 89 days say "no data", today is measured.
    const bars = page.getByTestId('status-bars');
    expect(await bars.locator('.bar.nd').count()).toBe(89);
    expect(await bars.locator('.bar.ok').count()).toBe(1);
    const text = (await page.locator('body').textContent())!;
    expect(text).toContain('Pemeliharaan terjadwal');
    expect(text).not.toContain('ganti perangkat');
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await screenshot(page, 'public-phone-status');
    expect(phone.problems).toEqual([]);
  }, 90_000);
});
