/**
 * RFC 8908 captive-portal API (issue 14): a device asking from its hotspot address is captive until it signs in,
 * then not, with the time and data it has left; captive again once the router reports its session ended. Issue 10
 * (UU PDP): the address is kept only while of use: emptied on an ended session, dropped from an ended grant.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../server/db/types.ts';
import { DIALECTS, openTestDb } from '../helpers/db.ts';
import { portalDb } from '../../server/portal/queries/types.ts';
import { sweepHotspotUsers } from '../../server/portal/services/sweep-users.ts';
import { purgePortalData } from '../../server/portal/services/citizen-data.ts';
import { CookieJar, csrfOf, handoffForm, hotspotVars, makePortalApp, type PortalTestApp, type SeededHotspot, seedHotspot } from './helpers.ts';

const CAPTIVE = { accept: 'application/captive+json' };

describe.each(DIALECTS)('RFC 8908 captive-portal API (%s)', (dialect) => {
  let handle: DbHandle;
  let t: PortalTestApp;
  let h: SeededHotspot;
  beforeAll(async () => {
    handle = await openTestDb(dialect);
    t = await makePortalApp(handle);
    h = await seedHotspot(handle, { dailyBytes: 2e9 });
  });
  afterAll(async () => handle.close());

  async function ask(client: string): Promise<{ status: number; type: string | null; body: Record<string, unknown> }> {
    const res = await t.call('GET', '/portal/api/captive', { headers: CAPTIVE, client });
    return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as Record<string, unknown> };
  }

  it('says captive with the portal URL to a device that has not signed in', async () => {
    const r = await ask('10.5.50.61');
    expect(r.status).toBe(200);
    expect(r.type).toBe('application/captive+json');
    expect(r.body).toEqual({ captive: true, 'user-portal-url': 'http://portal.test/portal' });
  });

  it('says not captive, with seconds and bytes left, once the device at that address signed in; captive again after the router ends it', async () => {
    const jar = new CookieJar();
    const client = '10.5.50.62';
    const start = await t.call('POST', '/portal/login', { form: hotspotVars(h, { ip: client, mac: 'AA:BB:CC:62:62:62' }), jar });
    const done = await t.call('POST', '/portal/terms', { form: { csrf: csrfOf(await start.text()), accept: 'yes' }, jar });
    const form = handoffForm(await done.text());
    expect(form).not.toBeNull();

    const signedIn = await ask(client);
    expect(signedIn.body.captive).toBe(false);
    expect(signedIn.body['user-portal-url']).toBe('http://portal.test/portal');
    // The terms session is one hour (the seeded hotspot's terms_session_s).
    expect(signedIn.body['seconds-remaining']).toBeGreaterThan(3500);
    expect(signedIn.body['seconds-remaining']).toBeLessThanOrEqual(3600);
    expect(signedIn.body['bytes-remaining']).toBe(2e9);
    // Another address in the same hotspot is still captive: the answer is per device.
    expect((await ask('10.5.50.63')).body.captive).toBe(true);

    // The router reports the session with 300 MB used, then reports it gone (logged out).
    const token = await t.apiToken('engineer');
    const active = [{ user: form!.fields.username!, address: client, mac: null, uptimeS: 120, bytesIn: 100e6, bytesOut: 200e6 }];
    expect((await t.call('POST', '/api/v1/portal/hotspot-active', { headers: { authorization: `Bearer ${token}` }, json: { deviceId: h.deviceId, active } })).status).toBe(200);
    const during = await ask(client);
    expect(during.body.captive).toBe(false);
    expect(during.body['bytes-remaining']).toBe(2e9 - 300e6);
    t.clock.advance(60_000);
    expect((await t.call('POST', '/api/v1/portal/hotspot-active', { headers: { authorization: `Bearer ${token}` }, json: { deviceId: h.deviceId, active: [] } })).status).toBe(200);
    expect((await ask(client)).body).toEqual({ captive: true, 'user-portal-url': 'http://portal.test/portal' });
  });

  it('says captive once the grant has run out', async () => {
    const jar = new CookieJar();
    const client = '10.5.50.64';
    const start = await t.call('POST', '/portal/login', { form: hotspotVars(h, { ip: client, mac: 'AA:BB:CC:64:64:64' }), jar });
    await t.call('POST', '/portal/terms', { form: { csrf: csrfOf(await start.text()), accept: 'yes' }, jar });
    expect((await ask(client)).body.captive).toBe(false);
    t.clock.advance(3601_000);
    expect((await ask(client)).body.captive).toBe(true);
  });

  it('keeps a device address only while its session and grant run (issue 10, UU PDP)', async () => {
    const signIn = async (client: string, mac: string): Promise<string> => {
      const jar = new CookieJar();
      const start = await t.call('POST', '/portal/login', { form: hotspotVars(h, { ip: client, mac }), jar });
      const done = await t.call('POST', '/portal/terms', { form: { csrf: csrfOf(await start.text()), accept: 'yes' }, jar });
      return handoffForm(await done.text())!.fields.username!;
    };
    const grantAddress = async (user: string): Promise<string | null | undefined> =>
      (await portalDb(handle.db).selectFrom('portal_grants').select('client_address').where('hotspot_user', '=', user).executeTakeFirstOrThrow()).client_address;
    const sessionAddresses = async (user: string): Promise<string[]> =>
      (await portalDb(handle.db).selectFrom('portal_usage_sessions').select('address').where('hotspot_user', '=', user).execute()).map((r) => r.address);
    const ended = await signIn('10.5.50.71', 'AA:BB:CC:71:71:71');
    const token = await t.apiToken('engineer');
    const report = async (active: unknown[]) =>
      expect((await t.call('POST', '/api/v1/portal/hotspot-active', { headers: { authorization: `Bearer ${token}` }, json: { deviceId: h.deviceId, active } })).status).toBe(200);
    await report([{ user: ended, address: '10.5.50.71', mac: null, uptimeS: 60, bytesIn: 1e6, bytesOut: 1e6 }]);
    expect(await sessionAddresses(ended)).toEqual(['10.5.50.71']);
    t.clock.advance(60_000);
    await report([]);
    // The session ended: its address goes at once; the grant still runs and keeps its own for the captive look-up.
    expect(await sessionAddresses(ended)).toEqual(['']);
    expect(await grantAddress(ended)).toBe('10.5.50.71');
    t.clock.advance(30 * 60_000);
    const live = await signIn('10.5.50.72', 'AA:BB:CC:72:72:72');
    t.clock.advance(31 * 60_000);
    // The first grant (one hour) has ended, the second runs: the sweep drops only the ended one's address.
    await sweepHotspotUsers(t.jobCtx());
    expect(await grantAddress(ended)).toBeNull();
    expect(await grantAddress(live)).toBe('10.5.50.72');
    expect((await ask('10.5.50.72')).body.captive).toBe(false);
    // The retention purge (at start, then every 6 hours) drops them too, once the second grant has ended.
    t.clock.advance(30 * 60_000);
    await purgePortalData(t.jobCtx());
    expect(await grantAddress(live)).toBeNull();
    expect((await ask('10.5.50.72')).body.captive).toBe(true);
  });

  it('answers an address outside IPv4 as captive, never an error', async () => {
    expect((await ask('fe80::1')).body.captive).toBe(true);
    expect((await ask('not-an-address')).body.captive).toBe(true);
  });
});
