/**
 * The console's Hotspots page in Debian's Chromium against `npm start` (issue 14), with the fake RouterOS router (real
 * API wire protocol) behind the hotspot and the test hotspot's login page on its own loopback address:
 * - the user profile is pushed to the router from the page;
 * - a voucher batch made in the page prints a sheet whose QR codes, decoded by zbarimg from the printed page,
 *   log a phone in: the hotspot's login page, the portal with the code filled in, the router accepting the user;
 * - the phone's session is kicked from the page and leaves the router's active list.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/start-node.ts';
import { NOC, startSignedInServer } from '../helpers/node-server.ts';
import { startFakeRouter, type FakeRouter } from '../peers/routeros/fake-router.ts';
import { startHotspotRouter, type HotspotRouter } from '../portal/peers/hotspot-router.ts';
import type { WatchedPage } from './support/browser.ts';
import { openChromium, patientPoll, signInThroughForm } from './support/session.ts';

const poll = patientPoll(15_000);
const PHONE = { mac: 'AA:BB:CC:0C:0C:01', ip: '10.5.50.77' };

function requireZbar(): void {
  const r = spawnSync('zbarimg', ['--version'], { encoding: 'utf8' });
  if (r.error !== undefined || r.status !== 0) throw new Error('zbarimg is missing: install the Debian package zbar-tools (scripts/setup-test-deps.mjs does)');
}

describe('the Hotspots page of the console', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jangkau-hotspots-web-'));
  let s: RunningServer;
  let base = '';
  let cookie = '';
  let ros: FakeRouter;
  let hotspot: HotspotRouter;
  let browser: Browser;
  let w: WatchedPage;
  const api = async (method: string, path: string, body?: unknown): Promise<Response> =>
    fetch(`${base}${path}`, { method, headers: { cookie, origin: base, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

  beforeAll(async () => {
    requireZbar();
    ros = await startFakeRouter({ host: '127.0.0.11', state: { hotspotUsers: [], hotspotActive: [] } });
    ({ server: s, base, cookie } = await startSignedInServer(dir, { JANGKAU_COLLECT: 'false' }));
    const device = (await (await api('POST', '/api/v1/devices', { name: 'rw04-pasar', role: 'router', address: ros.host, routeros: { username: ros.username, password: ros.password, port: ros.port } })).json()) as { id: string };
    const made = await api('POST', '/api/v1/portal/hotspots', { deviceId: device.id, identity: 'rw04-pasar', serverAddress: '127.0.0.12', userProfile: 'warga', rateLimit: '2M/5M', ssid: 'Cilegon-WiFi-Pasar' });
    if (made.status !== 201) throw new Error(`hotspot not created: ${made.status} ${await made.text()}`);
    hotspot = await startHotspotRouter({
      host: '127.0.0.12',
      portalUrl: base,
      identity: 'rw04-pasar',
      client: PHONE,
      passwordOf: (user) => ros.hotspotUser(user)?.password,
      onLogin: (user, client) => {
        ros.state.hotspotActive.push({ '.id': `*${ros.state.hotspotActive.length + 1}`, server: 'hotspot1', user, address: client.ip, 'mac-address': client.mac, uptime: '0s', 'bytes-in': '0', 'bytes-out': '0' });
      },
    });
    ({ browser, w } = await openChromium());
    const { page } = w;
    await signInThroughForm(page, `${base}/console#/hotspots`, NOC);
    await page.getByTestId('hotspot-table').waitFor({ timeout: 20_000 });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await hotspot?.close();
    await s?.close();
    await ros?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('pushes the user profile to the router from the page', async () => {
    const { page } = w;
    const row = page.locator('tr[data-hotspot="rw04-pasar"]');
    await poll(() => row.getByTestId('profile-status').textContent()).toBe('belum pernah dikirim');
    await row.getByTestId('push-profile').click();
    await poll(() => page.getByTestId('hotspot-list').textContent()).toContain('Selesai di router.');
    expect(ros.state.hotspotProfiles?.find((p) => p.name === 'warga')).toMatchObject({ 'rate-limit': '2M/5M', 'shared-users': '1' });
    await poll(() => page.locator('tr[data-hotspot="rw04-pasar"]').getByTestId('profile-status').textContent()).toMatch(/^terkirim /);
  });

  it('makes a voucher batch whose printed QR codes log a phone in at the hotspot', async () => {
    const { page } = w;
    await page.getByTestId('batch-name').fill('Pasar Desember');
    await page.getByTestId('batch-hotspot').selectOption({ label: 'rw04-pasar' });
    await page.getByTestId('batch-count').fill('3');
    await page.getByTestId('batch-price').fill('2000');
    await page.getByTestId('batch-login-host').fill(hotspot.address);
    // Picking the hotspot filled in its Wi-Fi name.
    expect(await page.getByTestId('batch-ssid').inputValue()).toBe('Cilegon-WiFi-Pasar');
    await page.getByTestId('batch-create').click();
    await poll(() => page.getByTestId('batch-made').count()).toBe(1);
    const row = page.locator('tr[data-batch="Pasar Desember"]');
    await poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toContain('0 dari 3');
    expect(await row.textContent()).toContain('Rp 2.000');

    // "Cetak" opens the printable sheet in a new tab.
    const [sheet] = await Promise.all([page.context().waitForEvent('page'), row.getByTestId('print-sheet').click()]);
    await sheet.waitForLoadState();
    const text = (await sheet.textContent('body')) ?? '';
    expect(text).toContain('Sambungkan HP ke Wi-Fi "Cilegon-WiFi-Pasar".');
    expect(text).toContain('Harga: Rp 2.000');
    const cards = sheet.locator('.card');
    expect(await cards.count()).toBe(3);
    const urls: string[] = [];
    for (let i = 0; i < 3; i++) urls.push(await decodeQr(sheet, i));
    const codes = await Promise.all([0, 1, 2].map(async (i) => ((await cards.nth(i).locator('.code').textContent()) ?? '').trim()));
    for (const [i, url] of urls.entries()) {
      expect(url).toBe(`http://${hotspot.address}/login?dst=${encodeURIComponent(`${base}/portal/v/${codes[i]}`)}`);
    }
    await sheet.close();

    // A phone on the hotspot's Wi-Fi opens the first QR code: the router's login page, then the portal.
    const phone = await browser.newContext({ locale: 'id-ID' });
    const p = await phone.newPage();
    await p.goto(urls[0]!);
    await p.waitForURL(`${base}/portal/start`);
    expect(await p.inputValue('form[action="/portal/voucher"] input[name=code]')).toBe(codes[0]);
    await p.check('form[action="/portal/voucher"] input[name=accept]');
    await p.click('form[action="/portal/voucher"] button');
    await p.waitForURL(`${hotspot.url}/login`);
    await poll(() => p.textContent('#status')).toMatch(/^You are logged in as jk-/);
    expect(hotspot.attempts.at(-1)!.ok).toBe(true);
    const user = hotspot.loggedIn.at(-1)!.user;
    expect(ros.hotspotUser(user)).toMatchObject({ profile: 'warga', 'mac-address': PHONE.mac });
    await phone.close();

    await page.reload();
    await poll(() => page.locator('tr[data-batch="Pasar Desember"]').textContent()).toContain('1 dari 3');
  });

  it('kicks the phone from the page, and the router lists it no more', async () => {
    const { page } = w;
    const user = hotspot.loggedIn.at(-1)!.user;
    const tokenRes = await api('POST', '/api/v1/auth/tokens', { name: 'collector' });
    const { token } = (await tokenRes.json()) as { token: string };
    const deviceId = ((await (await api('GET', '/api/v1/portal/hotspots')).json()) as { items: Array<{ deviceId: string }> }).items[0]!.deviceId;
    // What the collector's poll of /ip/hotspot/active would report.
    const snap = await fetch(`${base}/api/v1/portal/hotspot-active`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ deviceId, active: [{ user, address: PHONE.ip, mac: PHONE.mac, uptimeS: 90, bytesIn: 1_500_000, bytesOut: 250_000 }] }),
    });
    expect(snap.status).toBe(200);
    await page.reload();
    const row = page.locator(`tr[data-user="${user}"]`);
    await poll(() => row.count()).toBe(1);
    await row.getByTestId('kick').click();
    await poll(() => row.textContent()).toContain('Selesai di router.');
    expect(ros.state.hotspotActive.filter((a) => a.user === user)).toEqual([]);
    // Use per day: the chart and the per-hotspot table have the phone's session.
    await poll(() => page.getByTestId('usage-hotspots').textContent()).toContain('rw04-pasar');
    expect(w.problems).toEqual([]);
  });
});

/** Screenshots the n-th printed QR code and reads it with zbarimg, as a phone camera would read the paper. */
async function decodeQr(sheet: Page, n: number): Promise<string> {
  const png = await sheet.locator('.card .qr svg').nth(n).screenshot();
  const dir = mkdtempSync(join(tmpdir(), 'jk-sheet-qr-'));
  try {
    const file = join(dir, `qr-${n}.png`);
    writeFileSync(file, png);
    return execFileSync('zbarimg', ['--raw', '-q', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).replace(/\n$/, '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
