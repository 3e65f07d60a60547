/**
 * The console's SMS gateway tab (issue 14) in Debian's Chromium against `npm start`, with the test gateway (a real
 * HTTP server on loopback): an admin starts from the Fonnte preset, gives the device token (a secret: never shown
 * again), saves, sends a test message the gateway receives as Fonnte's form, reads its delivery status, and a failing
 * gateway's message shows as waiting for a retry with its reason.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/start-node.ts';
import { NOC, startSignedInServer } from '../helpers/node-server.ts';
import { startFakeGateway, type FakeGateway } from '../portal/peers/sms-gateway.ts';
import { seriousViolations } from './support/axe.ts';
import { screenshot, takeExpected, type WatchedPage } from './support/browser.ts';
import { openChromium, patientPoll, signInThroughForm } from './support/session.ts';

const poll = patientPoll(15_000);

describe('the SMS gateway tab of the console', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jangkau-sms-web-'));
  let s: RunningServer;
  let base = '';
  let cookie = '';
  let gw: FakeGateway;
  let browser: Browser;
  let w: WatchedPage;

  beforeAll(async () => {
    gw = await startFakeGateway();
    ({ server: s, base, cookie } = await startSignedInServer(dir, { JANGKAU_COLLECT: 'false' }));
    ({ browser, w } = await openChromium());
    await signInThroughForm(w.page, `${base}/console#/admin/sms`, NOC);
    await w.page.getByTestId('sms-form').waitFor({ timeout: 20_000 });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
    await gw?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('configures the Fonnte preset with a sealed token, sends a test and shows its delivery', async () => {
    const { page } = w;
    expect(await page.getByTestId('sms-today').textContent()).toContain('Kotak keluar pengembangan aktif');
    await page.getByTestId('sms-preset').selectOption('fonnte');
    await poll(() => page.getByTestId('sms-url').inputValue()).toBe('https://api.fonnte.com/send');
    expect(await page.getByTestId('sms-template').inputValue()).toBe('target={phone}&message={message}&countryCode=62');
    expect(await page.getByTestId('sms-header-name-0').inputValue()).toBe('Authorization');
    await page.getByTestId('sms-url').fill(gw.url);
    await page.getByTestId('sms-header-value-0').fill('fonnte-device-token');
    await page.getByTestId('sms-price').fill('350');
    // The test gateway listens on loopback, which the outbound policy refuses until an admin allows private networks.
    await page.getByTestId('sms-save').click();
    await poll(async () => (await page.locator('.note-error').allTextContents()).join(' ')).toMatch(/loopback/);
    takeExpected(w, /status of 422/);
    await page.goto(`${base}/console#/admin/outbound`);
    await page.getByTestId('outbound-private').check();
    await page.getByTestId('outbound-save').click();
    await poll(() => page.getByTestId('outbound-saved').textContent()).toContain('diizinkan');
    await screenshot(page, 'console-admin-outbound');
    expect(await (await fetch(`${base}/api/v1/settings/outbound`, { headers: { cookie } })).json()).toEqual({ allowPrivate: true });
    await page.goto(`${base}/console#/admin/sms`);
    await page.getByTestId('sms-preset').selectOption('fonnte');
    await poll(() => page.getByTestId('sms-url').inputValue()).toBe('https://api.fonnte.com/send');
    await page.getByTestId('sms-url').fill(gw.url);
    await page.getByTestId('sms-header-value-0').fill('fonnte-device-token');
    await page.getByTestId('sms-price').fill('350');
    await page.getByTestId('sms-save').click();
    await poll(() => page.getByTestId('sms-saved').count()).toBe(1);

    const settings = await (await fetch(`${base}/api/v1/portal/settings`, { headers: { cookie } })).text();
    expect(settings).not.toContain('fonnte-device-token');
    expect(settings).toContain('"name":"Authorization","set":true');

    gw.mode = { kind: 'ok', body: '{"detail":"success! message in queue","process":"pending","status":true}' };
    await page.getByTestId('sms-test-phone').fill('0812 3456 7890');
    await page.getByTestId('sms-test').click();
    await poll(() => page.getByTestId('sms-test-result').textContent()).toBe('terkirim');
    expect(gw.received).toHaveLength(1);
    expect(gw.received[0]!.headers.authorization).toBe('fonnte-device-token');
    const form = new URLSearchParams(gw.received[0]!.body);
    expect(form.get('target')).toBe('081234567890');
    expect(form.get('countryCode')).toBe('62');
    await poll(() => page.getByTestId('sms-today').textContent()).toContain('1 terkirim');
    expect(await page.getByTestId('sms-today').textContent()).toContain('Rp 350');

    // The page shows the token as stored, never its value.
    await page.reload();
    await page.getByTestId('sms-form').waitFor();
    expect(await page.getByTestId('sms-header-value-0').inputValue()).toBe('');
    expect(await page.getByTestId('sms-header-value-0').getAttribute('placeholder')).toBe('tersimpan');
    expect(await page.content()).not.toContain('fonnte-device-token');

    // A gateway that answers 200 with "status":false: waiting for a retry, with the reason.
    gw.mode = { kind: 'ok', body: '{"reason":"device disconnected","status":false}' };
    await page.getByTestId('sms-test-phone').fill('0812 3456 7891');
    await page.getByTestId('sms-test').click();
    await poll(() => page.getByTestId('sms-test-result').textContent()).toContain('menunggu ulang');
    await poll(() => page.getByTestId('sms-messages').textContent()).toContain('the answer lacks "status":true');
    expect(await seriousViolations(page)).toEqual([]);
    expect(w.problems).toEqual([]);
  });

  it("the Hotspots page shows quality by citizens' speed tests, as tables and a ward map: no data without tests, never 0", async () => {
    const { page } = w;
    const api = (method: string, path: string, body: unknown): Promise<Response> =>
      fetch(`${base}${path}`, { method, headers: { cookie, origin: base, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const device = (await (await api('POST', '/api/v1/devices', { name: 'rw09-alun', role: 'router', address: '127.0.0.99' })).json()) as { id: string };
    expect((await api('POST', '/api/v1/portal/hotspots', { deviceId: device.id, identity: 'rw09-alun', serverAddress: '10.9.0.1' })).status).toBe(201);
    const ward = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { kode: '3672010001', nama: 'Ciwaduk', kecamatan: 'Cilegon' }, geometry: { type: 'Polygon', coordinates: [[[106.05, -6.0], [106.06, -6.0], [106.06, -5.99], [106.05, -5.99], [106.05, -6.0]]] } }] };
    const imported = await fetch(`${base}/api/v1/wards/import?codeProp=kode&nameProp=nama&districtProp=kecamatan`, { method: 'POST', headers: { cookie, origin: base, 'content-type': 'application/geo+json' }, body: JSON.stringify(ward) });
    expect(imported.status, await imported.clone().text()).toBeLessThan(300);
    await page.goto(`${base}/console#/hotspots`);
    const row = page.getByTestId('quality-hotspots').locator('tbody tr', { hasText: 'rw09-alun' });
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
    const cells = await row.locator('td').allTextContents();
    expect(cells).toEqual(['rw09-alun', '0', 'tidak ada data', 'tidak ada data', 'tidak ada data']);
    const wardRow = page.getByTestId('quality-wards').locator('tbody tr', { hasText: 'Ciwaduk' });
    expect(await wardRow.locator('td').allTextContents()).toEqual(['Ciwaduk', '0', 'tidak ada data', 'tidak ada data', 'tidak ada data']);
    // The map layer: the ward without tests is the "no data" grey, not the colour of a low speed.
    const shape = page.getByTestId('quality-map').locator('path.jk-ward');
    await expect.poll(() => shape.count(), { timeout: 10_000 }).toBe(1);
    expect(await shape.getAttribute('fill')).toBe('#c4c7cc');
    expect(await page.getByTestId('quality-legend').textContent()).toContain('tidak ada data');
    expect(await seriousViolations(page)).toEqual([]);
    expect(w.problems).toEqual([]);
  });
});
