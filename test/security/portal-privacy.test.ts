/**
 * Personal data the portal leaves behind (issue 10, item 10; UU PDP), on SQLite and Postgres: a used sign-in flow
 * keeps no MAC, address or destination; expired flows are purged; rate-limit counters name no client address; the
 * SMS outbox (one-time codes) opens only on a server in development mode.
 */
import { describe, expect, it } from 'vitest';
import { parseNodeEnv } from '../../server/config.ts';
import { portalDb } from '../../server/portal/queries/types.ts';
import { TERMS_VERSION } from '../../server/portal/pure/i18n.ts';
import { FLOW_TTL_MS } from '../../server/portal/services/flow.ts';
import { DIALECTS } from '../helpers/db.ts';
import { CookieJar, csrfOf, handoffForm, hotspotVars, makePortalApp, usePortalSuite } from '../portal/helpers.ts';

const MAC = 'AA:BB:CC:5E:C0:01';
const IP = '10.5.50.91';
const DST = 'http://berita.example/halaman-rahasia';

describe.each(DIALECTS)('portal personal data left behind (%s)', (dialect) => {
  const s = usePortalSuite(dialect, { hotspot: { maxDevices: 1 } });

  const flows = async (): Promise<Array<{ state: string; vars: string }>> => portalDb(s.handle.db).selectFrom('portal_flows').select(['state', 'vars']).where('hotspot_id', '=', s.h.hotspotId).execute();
  const holdsClient = (vars: string): boolean => vars.toUpperCase().includes(MAC) || vars.includes(IP) || vars.includes('berita.example') || vars.includes('10.5.50.1/login');

  it('drops the MAC, address and destination of a flow once it has granted, and keeps them while it may still', async () => {
    const jar = new CookieJar();
    const start = await s.t.call('POST', '/portal/login', { form: hotspotVars(s.h, { mac: MAC, ip: IP, 'link-orig': DST, 'link-login': `http://${s.h.address}/login?dst=${encodeURIComponent(DST)}` }), jar });
    const csrf = csrfOf(await start.text());
    // Started, not used: the hand-off still needs them.
    expect((await flows()).map((f) => [f.state, holdsClient(f.vars)])).toEqual([['start', true]]);
    const res = await s.t.call('POST', '/portal/terms', { form: { csrf, accept: 'yes' }, jar });
    const form = handoffForm(await res.text());
    // The hand-off itself still carried them (this request had them in memory).
    expect(form?.fields.dst).toBe(DST);
    const [used] = await flows();
    expect(used!.state).toBe('granted');
    expect(holdsClient(used!.vars)).toBe(false);
    expect(JSON.parse(used!.vars).handoff).toMatchObject({ mac: null, ip: null, dst: null, linkLoginOnly: null, identity: s.h.identity });
  });

  it('puts them back when the sign-in is refused, so the same page can try again', async () => {
    const jar = new CookieJar();
    // The citizen's portal session from the first test is not in this jar: a new citizen; a second device of a
    // known citizen is refused instead (one device allowed), after the flow was claimed.
    const first = new CookieJar();
    const a = await s.t.call('POST', '/portal/login', { form: hotspotVars(s.h, { mac: 'AA:BB:CC:5E:C0:02' }), jar: first });
    await s.t.call('POST', '/portal/terms', { form: { csrf: csrfOf(await a.text()), accept: 'yes' }, jar: first });
    jar.values.set('jk_portal', first.values.get('jk_portal')!);
    const b = await s.t.call('POST', '/portal/login', { form: hotspotVars(s.h, { mac: 'AA:BB:CC:5E:C0:03', ip: '10.5.50.93' }), jar });
    const refused = await s.t.call('POST', '/portal/terms', { form: { csrf: csrfOf(await b.text()), accept: 'yes' }, jar });
    expect(await refused.text()).toContain('batas maksimum');
    const kept = (await flows()).find((f) => f.vars.includes('10.5.50.93'));
    expect(kept?.state).toBe('start');
    expect(JSON.parse(kept!.vars).handoff.mac).toMatch(/5e:c0:03/i);
  });

  it('keeps nothing of the client in a one-request sign-in flow, and purges flows that expired unused', async () => {
    const before = (await flows()).length;
    const res = await s.t.call('POST', '/portal/login', { form: hotspotVars(s.h, { mac: MAC.replace('01', '09'), ip: '10.5.50.99', accept: 'yes', 'terms-version': TERMS_VERSION }), jar: new CookieJar() });
    expect(handoffForm(await res.text())).not.toBeNull();
    const all = await flows();
    expect(all).toHaveLength(before + 1);
    expect(all.filter((f) => f.vars.includes('10.5.50.99'))).toEqual([]);
    // An unused flow past its expiry is deleted by the purge (which runs at start and every 6 hours).
    await s.t.call('POST', '/portal/login', { form: hotspotVars(s.h, { mac: 'AA:BB:CC:5E:C0:0F', ip: '10.5.50.95' }), jar: new CookieJar() });
    expect((await flows()).some((f) => f.vars.includes('10.5.50.95'))).toBe(true);
    s.t.clock.advance(FLOW_TTL_MS + 60_000);
    const purge = await s.t.call('POST', '/api/v1/portal/purge', { json: {}, headers: { cookie: s.admin, origin: 'http://portal.test' } });
    expect(purge.status).toBe(200);
    expect((await flows()).filter((f) => f.state === 'start')).toEqual([]);
  });

  it('keeps client addresses in rate-limit counters only as keyed hashes', async () => {
    const client = '10.83.7.21';
    const jar = new CookieJar();
    const start = await s.t.call('POST', '/portal/login', { form: hotspotVars(s.h, { mac: 'AA:BB:CC:5E:C0:21' }), jar, client });
    const csrf = csrfOf(await start.text());
    await s.t.call('POST', '/portal/otp/request', { form: { csrf, phone: '081322227777', accept: 'yes' }, jar, client });
    await s.t.call('POST', '/portal/voucher', { form: { csrf, code: 'ABCD-EFGH-JK', accept: 'yes' }, jar, client });
    const keys = (await s.handle.db.selectFrom('rate_limits').select('key').execute()).map((r) => r.key);
    expect(keys.some((k) => k.startsWith('portal-otp-ip:'))).toBe(true);
    expect(keys.some((k) => k.startsWith('portal-voucher-fail:'))).toBe(true);
    expect(keys.some((k) => k.startsWith('portal-flow-a:'))).toBe(true);
    expect(keys.filter((k) => k.includes(client) || k.includes('10.5.50.77'))).toEqual([]);
  });

  it('opens the SMS outbox only on a server in development mode', async () => {
    const dev = await s.t.call('GET', '/api/v1/portal/sms-outbox?limit=1', { headers: { cookie: s.admin } });
    expect(dev.status).toBe(200);
    const prod = await makePortalApp(s.handle, { development: false });
    const prodAdmin = await prod.staffCookie('admin');
    const res = await prod.call('GET', '/api/v1/portal/sms-outbox?limit=1', { headers: { cookie: prodAdmin } });
    expect(res.status).toBe(404);
    const body = (await res.json()) as { reason?: string; message?: string; items?: unknown };
    expect(body.reason).toBe('portal.outboxDevelopmentOnly');
    expect(body.message).toMatch(/development mode/);
    expect(body.items).toBeUndefined();
  });
});

describe('development mode is chosen, never assumed', () => {
  it('defaults to production and refuses development together with NODE_ENV=production', () => {
    expect(parseNodeEnv({}).JANGKAU_MODE).toBe('production');
    expect(parseNodeEnv({ JANGKAU_MODE: 'development' }).JANGKAU_MODE).toBe('development');
    expect(() => parseNodeEnv({ JANGKAU_MODE: 'development', NODE_ENV: 'production' })).toThrow(/JANGKAU_MODE=development cannot run with NODE_ENV=production/);
  });
});
