/**
 * End to end in Debian's Chromium: the test router's login page posts the hotspot variables to the real portal
 * served over HTTP; the citizen signs in with a phone code read from the development outbox; the hand-off page
 * submits the CHAP answer to the router, which checks it against the hotspot user the portal provisioned on the fake
 * RouterOS router over the API wire protocol; the router peer then lists the client as active.
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRouterOsHotspotProvisioner } from '../../collectors/hotspot-provisioner.ts';
import { createRouterOsPool, parseHotspotActive, type RouterOSPool } from '../../collectors/routeros/index.ts';
import type { DbHandle } from '../../server/db/types.ts';
import { DIALECTS, openTestDb } from '../helpers/db.ts';
import { startFakeRouter, type FakeRouter } from '../peers/routeros/fake-router.ts';
import { makePortalApp, seedHotspot, type PortalTestApp } from './helpers.ts';
import { startHotspotRouter, type HotspotRouter } from './peers/hotspot-router.ts';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const CLIENT = { mac: 'AA:BB:CC:E2:E2:01', ip: '10.5.50.42' };

describe.each(DIALECTS)('captive portal end to end in Chromium (%s)', (dialect) => {
  let handle: DbHandle;
  let ros: FakeRouter;
  let pool: RouterOSPool;
  let t: PortalTestApp;
  let server: ServerType;
  let portalUrl: string;
  let hotspot: HotspotRouter;
  let browser: Browser;
  let admin: string;

  beforeAll(async () => {
    handle = await openTestDb(dialect);
    ros = await startFakeRouter({ host: '127.0.0.3', state: { hotspotUsers: [], hotspotActive: [] } });
    pool = createRouterOsPool({ commandTimeoutMs: 3000, connectTimeoutMs: 3000 });
    const provisioner = createRouterOsHotspotProvisioner({
      pool,
      resolveTarget: async (deviceId) => ({
        deviceId,
        address: ros.host,
        vendor: 'mikrotik',
        pollIntervalS: 60,
        snmp: null,
        routeros: { username: ros.username, password: ros.password, port: ros.port, tls: false },
      }),
    });
    t = await makePortalApp(handle, { provisioner });
    server = serve({ fetch: t.app.fetch, hostname: '127.0.0.2', port: 0 });
    await new Promise<void>((ok) => server.once('listening', () => ok()));
    portalUrl = `http://127.0.0.2:${(server.address() as AddressInfo).port}`;
    const seeded = await seedHotspot(handle, { address: '127.0.0.4', identity: 'rw05-masjid-agung' });
    hotspot = await startHotspotRouter({
      host: '127.0.0.4',
      portalUrl,
      identity: seeded.identity,
      client: CLIENT,
      passwordOf: (user) => ros.hotspotUser(user)?.password,
      onLogin: (user, client) => {
        ros.state.hotspotActive.push({ '.id': `*${ros.state.hotspotActive.length + 1}`, server: 'hotspot1', user, address: client.ip, 'mac-address': client.mac, uptime: '0s', 'bytes-in': '0', 'bytes-out': '0', 'login-by': 'http-chap' });
      },
    });
    admin = await t.staffCookie('admin');
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    await hotspot?.close();
    await new Promise<void>((ok) => (server === undefined ? ok() : server.close(() => ok())));
    await pool?.close();
    await ros?.close();
    await handle?.close();
  });

  it('router login page -> portal -> code from the outbox -> hand-off -> the router shows the client logged in', async () => {
    const context = await browser.newContext({ locale: 'id-ID' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.route('**/*', async (route) => {
      const host = new URL(route.request().url()).hostname;
      if (host.startsWith('127.')) return route.continue();
      errors.push(`left loopback: ${route.request().url()}`);
      return route.abort();
    });

    await page.goto(`${hotspot.url}/login?dst=${encodeURIComponent('http://example.com/')}`);
    // The router page is another site: the portal bounces its POST once through a same-site GET.
    await page.waitForURL(`${portalUrl}/portal/start`);
    await expect.poll(() => page.locator('h1').first().textContent()).toBe('Wi-Fi Gratis Kota Cilegon');
    expect(await page.locator('form[action="/portal/continue"]').count()).toBe(0);

    await page.fill('form[action="/portal/otp/request"] input[name=phone]', '0812 7777 1234');
    await page.check('form[action="/portal/otp/request"] input[name=accept]');
    await page.click('form[action="/portal/otp/request"] button');
    await page.waitForURL(`${portalUrl}/portal/otp/request`);
    expect(await page.textContent('body')).toContain('+62812****1234');

    const outbox = await fetch(`${portalUrl}/api/v1/portal/sms-outbox?limit=1`, { headers: { cookie: admin } });
    const code = /(\d{6})/.exec(((await outbox.json()) as { items: Array<{ text: string }> }).items[0]!.text)![1]!;
    await page.fill('input[name=code]', code);
    await page.click('form[action="/portal/otp/verify"] button');

    // The hand-off page submits itself to the router (a button stays as fallback).
    await page.waitForURL(`${hotspot.url}/login`);
    await expect.poll(() => page.textContent('#status')).toMatch(/^You are logged in as jk-/);

    const user = hotspot.loggedIn[0]!.user;
    expect(hotspot.attempts).toEqual([{ user, ok: true, error: null }]);
    expect(ros.hotspotUser(user)).toMatchObject({ 'mac-address': CLIENT.mac, comment: 'jangkau portal', 'limit-uptime': '4h' });
    // The RouterOS peer, asked over the API as the collectors ask it, lists the client as active.
    const reply = await pool.run({ host: ros.host, port: ros.port, tls: false, username: ros.username, password: ros.password }, { command: '/ip/hotspot/active/print' });
    expect(parseHotspotActive(reply.rows).map((a) => [a.user, a.address])).toEqual([[user, CLIENT.ip]]);
    expect(errors).toEqual([]);

    // Next visit from the same phone: the router's page posts cross-site again, and the citizen is offered
    // "continue" with their number, with no new code sent.
    const outboxBefore = ((await (await fetch(`${portalUrl}/api/v1/portal/sms-outbox?limit=50`, { headers: { cookie: admin } })).json()) as { items: unknown[] }).items.length;
    ros.state.hotspotActive.length = 0;
    await page.goto(`${hotspot.url}/login?dst=${encodeURIComponent('http://example.com/again')}`);
    await page.waitForURL(`${portalUrl}/portal/start`);
    const again = page.locator('form[action="/portal/continue"] button');
    await expect.poll(() => again.count()).toBe(1);
    expect(await again.textContent()).toBe('Lanjutkan dengan nomor HP yang sudah terdaftar');
    await again.click();
    await page.waitForURL(`${hotspot.url}/login`);
    await expect.poll(() => page.textContent('#status')).toMatch(/^You are logged in as jk-/);
    expect(hotspot.attempts.at(-1)!.ok).toBe(true);
    // Issue 10: the phone's grant still runs, so the same hotspot user is handed out again (no second router user).
    expect(hotspot.loggedIn.at(-1)!.user).toBe(user);
    expect(ros.state.hotspotUsers.filter((u) => u['mac-address'] === CLIENT.mac)).toHaveLength(1);
    const outboxAfter = ((await (await fetch(`${portalUrl}/api/v1/portal/sms-outbox?limit=50`, { headers: { cookie: admin } })).json()) as { items: unknown[] }).items.length;
    expect(outboxAfter).toBe(outboxBefore);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a page on another site cannot use the returning citizen\'s session: "continue" needs the flow\'s CSRF token', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    // Sign in once so this browser holds a portal session.
    await page.goto(`${hotspot.url}/login?dst=${encodeURIComponent('http://example.com/')}`);
    await page.waitForURL(`${portalUrl}/portal/start`);
    await page.check('form[action="/portal/terms"] input[name=accept]');
    await page.click('form[action="/portal/terms"] button');
    await page.waitForURL(`${hotspot.url}/login`);
    const attempts = hotspot.attempts.length;
    // A foreign page (the router's origin stands in for any other site) posts straight to /portal/continue.
    await page.setContent(`<form id="f" method="post" action="${portalUrl}/portal/continue"><input name="csrf" value="guess"></form>`);
    await Promise.all([page.waitForURL(`${portalUrl}/portal/continue`), page.evaluate(() => (document.getElementById('f') as HTMLFormElement).submit())]);
    expect(await page.textContent('body')).not.toContain('Menyambungkan');
    expect(hotspot.attempts.length).toBe(attempts);
    await context.close();
  });

  it('without JavaScript the citizen presses the visible button and the router still accepts', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    // The router's own page needs its script; post its form by hand the way a no-JS browser would click "Lanjut".
    await page.goto(`${hotspot.url}/login?dst=${encodeURIComponent('http://example.com/news')}`);
    await page.click('#go');
    await page.waitForURL(`${portalUrl}/portal/start`);
    await page.check('form[action="/portal/terms"] input[name=accept]');
    await page.click('form[action="/portal/terms"] button');
    await page.waitForURL(`${portalUrl}/portal/terms`);
    await page.click('#handoff button');
    await page.waitForURL(`${hotspot.url}/login`);
    expect(await page.textContent('#status')).toMatch(/^You are logged in as jk-/);
    expect(hotspot.attempts.at(-1)!.ok).toBe(true);
    await context.close();
  });

  it('removes the hotspot users of ended grants from the RouterOS router', async () => {
    const users = ros.state.hotspotUsers.map((u) => u.name);
    expect(users.length).toBeGreaterThanOrEqual(1);
    const engineer = await t.staffCookie('engineer');
    const early = await fetch(`${portalUrl}/api/v1/portal/sweep-users`, { method: 'POST', headers: { cookie: engineer, origin: portalUrl, 'content-type': 'application/json' }, body: '{}' });
    expect(await early.json()).toEqual({ removed: 0, queued: 0, failed: 0 });
    t.clock.advance(5 * 3600_000);
    const engineer2 = await t.staffCookie('engineer');
    const res = await fetch(`${portalUrl}/api/v1/portal/sweep-users`, { method: 'POST', headers: { cookie: engineer2, origin: portalUrl, 'content-type': 'application/json' }, body: '{}' });
    expect(await res.json()).toEqual({ removed: users.length, queued: 0, failed: 0 });
    expect(ros.state.hotspotUsers).toEqual([]);
  });
});
