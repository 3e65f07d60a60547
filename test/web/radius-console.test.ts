/**
 * The console's RADIUS page in Debian's Chromium against `npm start` with JANGKAU_RADIUS=true: the figures after
 * radtest traffic (accepts, rejects, drops by reason), adding a NAS client through the form (the secret never comes
 * back), a running session kicked with the NAS's answer shown, in Bahasa Indonesia and English.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeServer, type RunningServer } from '../../server/start-node.ts';
import { CODE, encodeReply, parsePacket } from '../../server/radius/protocol/packet.ts';
import { acctInput, nasListener, radclient, radiusServerEnv, radtest, SECRET } from '../radius/helpers.ts';
import { screenshot, type WatchedPage } from './support/browser.ts';
import { openChromium, patientPoll, signInThroughForm } from './support/session.ts';

const poll = patientPoll(10_000);
const ADMIN = { email: 'admin@radius.test', password: 'radius-console-password' };

describe('the RADIUS page of the console', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jangkau-radius-web-'));
  let s: RunningServer;
  let base = '';
  let cookie = '';
  let browser: Browser;
  let w: WatchedPage;
  let nas: Awaited<ReturnType<typeof nasListener>>;
  let hotspotId = '';
  const api = async (method: string, path: string, body?: unknown): Promise<Response> =>
    fetch(`${base}${path}`, { method, headers: { cookie, origin: base, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

  beforeAll(async () => {
    nas = await nasListener((msg) => {
      const p = parsePacket(msg);
      return p.ok ? encodeReply(p.packet, CODE.DisconnectAck, [], Buffer.from(SECRET)) : null;
    });
    s = await startNodeServer([], radiusServerEnv(dir, ADMIN));
    base = `http://127.0.0.1:${s.port}`;
    const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
    cookie = /jangkau_session=[^;]+/.exec(login.headers.get('set-cookie')!)![0];
    const device = (await (await api('POST', '/api/v1/devices', { name: 'hs-rw07', role: 'router', address: '127.0.0.1' })).json()) as { id: string };
    hotspotId = ((await (await api('POST', '/api/v1/portal/hotspots', { deviceId: device.id, identity: 'hs-rw07', serverAddress: '10.5.50.1', rateLimit: '2M/5M' })).json()) as { id: string }).id;
    ({ browser, w } = await openChromium());
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
    await nas?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says "no data" before any traffic, then adds a NAS client through the form without showing its secret', async () => {
    const { page } = w;
    await signInThroughForm(page, `${base}/console#/radius`, ADMIN);
    await poll(() => page.getByTestId('radius-stats').textContent()).toContain('Belum ada data');
    await page.getByTestId('nas-name').fill('Gateway RW 07');
    await page.getByTestId('nas-address').fill('127.0.0.1');
    await page.getByTestId('nas-secret').fill(SECRET);
    await page.getByTestId('nas-vendor').selectOption('mikrotik');
    await page.getByTestId('nas-add').click();
    await poll(() => page.locator('[data-client="Gateway RW 07"]').count()).toBe(1);
    expect(await page.content()).not.toContain(SECRET);
    const clients = (await (await api('GET', '/api/v1/radius/clients')).json()) as { items: Array<{ id: string }> };
    await api('PATCH', `/api/v1/radius/clients/${clients.items[0]!.id}`, { coaPort: nas.port });
    await s.radius!.reloadClients();
  });

  it('shows the figures and drops by reason, and kicks a running session with the NAS\'s answer', async () => {
    const { page } = w;
    const batch = (await (await api('POST', '/api/v1/portal/voucher-batches', { name: 'RW 07', count: 2, hotspotId })).json()) as { id: string };
    const sheet = await (await api('GET', `/api/v1/portal/voucher-batches/${batch.id}/sheet`)).text();
    const code = /\b([2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5})\b/.exec(sheet)![1]!;
    const ok = await radtest(code, code, s.radius!.authPort);
    expect(ok.replyCode).toBe('Access-Accept');
    expect((await radtest('ZZZZZ-ZZZZZ', 'ZZZZZ-ZZZZZ', s.radius!.authPort)).replyCode).toBe('Access-Reject');
    await radclient(['-t', '0.3', '-r', '1', `127.0.0.1:${s.radius!.authPort}`, 'auth', SECRET], `User-Name = "${code}"\nUser-Password = "${code}"\n`);
    await radclient(['-t', '3', '-r', '1', `127.0.0.1:${s.radius!.acctPort}`, 'acct', SECRET], acctInput({ status: 'Start', session: 'web-1', user: code, classHex: ok.reply.get('Class')![0]! }));
    await s.radius!.flushStats();
    await page.reload();
    await poll(() => page.getByTestId('radius-accepts').textContent()).toContain('1');
    expect(await page.getByTestId('radius-rejects').textContent()).toContain('1');
    expect(await page.getByTestId('radius-drops').textContent()).toContain('Tanpa Message-Authenticator');
    await poll(() => page.getByTestId('kick').count()).toBe(1);
    await screenshot(page, 'console-radius');
    await page.getByTestId('kick').click();
    await poll(() => page.getByTestId('radius-coa-table').textContent()).toContain('Disconnect-ACK');
    expect(await page.getByTestId('radius-coa-table').textContent()).toContain('Diputus petugas');
    expect(nas.received.length).toBe(1);
    await page.getByRole('button', { name: /English/ }).first().click().catch(() => undefined);
    await screenshot(page, 'console-radius-after-kick');
    expect(w.problems).toEqual([]);
  });
});
