/**
 * Issue 10: names are text, never markup. A site named `<img src=http://127.0.0.1:PORT/x>` (PORT: a loopback listener
 * this test runs) is shown in the public map's tooltip as those characters; no element is created from it and the
 * listener receives nothing. The page's CSP allows images only from itself and the tile server.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WatchedPage } from './support/browser.ts';
import type { RunningServer } from './support/server.ts';
import { patientPoll, startSeededConsole, type SeededConsole } from './support/session.ts';

const poll = patientPoll(15_000);

describe('names with markup in Chromium', () => {
  let c: SeededConsole;
  let server: RunningServer;
  let w: WatchedPage;
  let trap: Server;
  const received: string[] = [];
  let name = '';

  beforeAll(async () => {
    trap = createServer((req, res) => {
      received.push(`${req.method} ${req.url}`);
      res.end();
    });
    await new Promise<void>((ok) => trap.listen(0, '127.0.0.1', () => ok()));
    name = `<img src=http://127.0.0.1:${(trap.address() as AddressInfo).port}/x>`;
    c = await startSeededConsole({
      city: false,
      before: async (s) => {
        const res = await s.call('POST', '/api/v1/sites', { json: { name, lat: -5.985, lon: 106.03, status: 'live' } });
        expect(res.status, await res.clone().text()).toBe(201);
      },
    });
    ({ server, w } = c);
  }, 120_000);

  afterAll(async () => {
    await c?.close();
    await new Promise<void>((ok) => trap?.close(() => ok()));
  });

  it('shows a site named with markup as text in the public map tooltip, and nothing reaches the listener', async () => {
    const { page } = w;
    const res = await page.goto(server.baseUrl + '/');
    const csp = res?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("img-src 'self' data: https://tile.openstreetmap.org");
    expect(csp).toContain("form-action 'self'");
    expect(csp).not.toMatch(/img-src[^;]*https:(?!\/\/)/);
    await poll(() => page.locator('#map').getAttribute('data-points-shown')).toBe('1');
    // The site stands at the city view's centre (no wards to fit the map to), so it is drawn in the map's middle.
    const box = (await page.locator('#map').boundingBox())!;
    const tooltip = page.locator('.jk-tooltip');
    await poll(async () => {
      await page.mouse.move(box.x + box.width / 2 + 1, box.y + box.height / 2 + 1);
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      return tooltip.count();
    }).toBe(1);
    await poll(() => tooltip.count()).toBe(1);
    expect(await tooltip.textContent()).toContain(name);
    // No element was made from the name, anywhere in the page.
    expect(await page.locator('img[src*="127.0.0.1"]').count()).toBe(0);
    expect(await tooltip.locator('img').count()).toBe(0);
    // Give a stray fetch time to arrive before asserting that none did.
    await page.waitForTimeout(500);
    expect(received).toEqual([]);
    expect(w.problems).toEqual([]);
  });
});
