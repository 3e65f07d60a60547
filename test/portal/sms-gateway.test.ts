/** The HTTP SMS gateway against a real HTTP peer on loopback, configured through the settings API (token sealed). */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portalDb } from '../../server/db/portal-types.ts';
import type { DbHandle } from '../../server/db/types.ts';
import { DIALECTS, openTestDb } from '../helpers/db.ts';
import { CookieJar, csrfOf, hotspotVars, makePortalApp, ORIGIN, seedHotspot, type PortalTestApp, type SeededHotspot } from './helpers.ts';

describe.each(DIALECTS)('HTTP SMS gateway (%s)', (dialect) => {
  let handle: DbHandle;
  let t: PortalTestApp;
  let h: SeededHotspot;
  let peer: Server;
  let peerUrl: string;
  let status = 202;
  const received: Array<{ auth: string | undefined; body: { to: string; text: string } }> = [];
  beforeAll(async () => {
    handle = await openTestDb(dialect);
    t = await makePortalApp(handle);
    h = await seedHotspot(handle);
    peer = createServer((req, res) => {
      let data = '';
      req.on('data', (c: Buffer) => (data += c.toString()));
      req.on('end', () => {
        try {
          received.push({ auth: req.headers.authorization, body: JSON.parse(data) as { to: string; text: string } });
        } catch {
          // a malformed body is recorded as nothing
        }
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((ok) => peer.listen({ host: '127.0.0.6', port: 0 }, () => ok()));
    peerUrl = `http://127.0.0.6:${(peer.address() as AddressInfo).port}/send`;
  });
  afterAll(async () => {
    await new Promise<void>((ok) => peer.close(() => ok()));
    await handle.close();
  });

  it('posts the code as JSON with the sealed bearer token, and says so plainly when the gateway fails', async () => {
    const admin = await t.staffCookie('admin');
    const put = await t.call('PUT', '/api/v1/portal/settings', { headers: { cookie: admin, origin: ORIGIN }, json: { sms: { kind: 'http', url: peerUrl, token: 'sms-secret-token' } } });
    expect(put.status).toBe(200);
    expect(JSON.stringify(await put.json())).not.toContain('sms-secret-token');
    const stored = await portalDb(handle.db).selectFrom('portal_settings').selectAll().execute();
    expect(JSON.stringify(stored)).not.toContain('sms-secret-token');

    const jar = new CookieJar();
    const start = await t.call('POST', '/portal/login', { form: hotspotVars(h), jar });
    const res = await t.call('POST', '/portal/otp/request', { form: { csrf: csrfOf(await start.text()), phone: '0857 1111 2222', accept: 'yes' }, jar });
    expect(res.status).toBe(200);
    expect(received).toHaveLength(1);
    expect(received[0]!.auth).toBe('Bearer sms-secret-token');
    expect(received[0]!.body.to).toBe('+6285711112222');
    expect(received[0]!.body.text).toMatch(/Kode Wi-Fi Cilegon: \d{6}/);
    expect(await portalDb(handle.db).selectFrom('portal_sms_outbox').selectAll().execute()).toHaveLength(0);

    status = 500;
    const start2 = await t.call('POST', '/portal/login', { form: hotspotVars(h), jar });
    const failed = await t.call('POST', '/portal/otp/request', { form: { csrf: csrfOf(await start2.text()), phone: '0857 1111 3333', accept: 'yes' }, jar });
    expect(failed.status).toBe(503);
    expect(await failed.text()).toContain('SMS tidak dapat dikirim saat ini');
  });
});
