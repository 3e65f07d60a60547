/**
 * The captive portal flooded and replayed (issue 10, item 6), on SQLite and Postgres, through the real app and the
 * real RouterOS provisioner against the fake RouterOS router (real API wire protocol). Floods are one Promise.all of
 * many hand-offs; the counts of flows, citizens, grants and router users are asserted exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRouterOsHotspotProvisioner } from '../../collectors/hotspot-provisioner.ts';
import { createRouterOsPool, type RouterOSPool } from '../../collectors/routeros/index.ts';
import { portalDb } from '../../server/portal/queries/types.ts';
import type { DbHandle } from '../../server/db/types.ts';
import { TERMS_VERSION } from '../../server/portal/pure/i18n.ts';
import { DEFAULT_PORTAL_LIMITS, type PortalLimits } from '../../server/portal/services/portal-limits.ts';
import { DIALECTS, openTestDb } from '../helpers/db.ts';
import { startFakeRouter, type FakeRouter } from '../peers/routeros/fake-router.ts';
import { CookieJar, csrfOf, handoffForm, hotspotVars, makePortalApp, seedHotspot, type PortalTestApp, type SeededHotspot } from '../portal/helpers.ts';

// A fixed instant at the start of a limit window: the test never straddles two windows, whatever the hour it runs.
const START_MS = Date.UTC(2026, 10, 2, 3, 0, 0);

function mac(prefix: number, i: number): string {
  return `02:${prefix.toString(16).padStart(2, '0')}:00:00:${((i >> 8) & 0xff).toString(16).padStart(2, '0')}:${(i & 0xff).toString(16).padStart(2, '0')}`.toUpperCase();
}

describe.each(DIALECTS)('portal flood and replay (%s)', (dialect) => {
  let handle: DbHandle;
  let ros: FakeRouter;
  let pool: RouterOSPool;
  const apps: PortalTestApp[] = [];

  async function app(limits: Partial<PortalLimits>): Promise<PortalTestApp> {
    const provisioner = createRouterOsHotspotProvisioner({
      pool,
      resolveTarget: async (deviceId) => ({ deviceId, address: ros.host, vendor: 'mikrotik', pollIntervalS: 60, snmp: null, routeros: { username: ros.username, password: ros.password, port: ros.port, tls: false } }),
    });
    const t = await makePortalApp(handle, { provisioner, startMs: START_MS, portalLimits: limits });
    apps.push(t);
    return t;
  }

  beforeAll(async () => {
    handle = await openTestDb(dialect);
    const host = `127.${10 + Math.floor(Math.random() * 200)}.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;
    ros = await startFakeRouter({ host, state: { hotspotUsers: [], hotspotActive: [] } });
    pool = createRouterOsPool({ commandTimeoutMs: 5000, connectTimeoutMs: 5000 });
  });
  afterAll(async () => {
    await pool.close();
    await ros.close();
    await handle.close();
  });

  async function counts(h: SeededHotspot): Promise<{ flows: number; grants: number; citizens: number; routerUsers: number }> {
    const db = portalDb(handle.db);
    const flows = await db.selectFrom('portal_flows').select((eb) => eb.fn.countAll<number>().as('n')).where('hotspot_id', '=', h.hotspotId).executeTakeFirstOrThrow();
    const grants = await db.selectFrom('portal_grants').select(['hotspot_user', 'citizen_id']).where('hotspot_id', '=', h.hotspotId).execute();
    const users = new Set(grants.map((g) => g.hotspot_user));
    return {
      flows: Number(flows.n),
      grants: grants.length,
      citizens: new Set(grants.map((g) => g.citizen_id)).size,
      // Users on the router that belong to this hotspot's grants (the router is shared by the tests of this file).
      routerUsers: ros.state.hotspotUsers.filter((u) => users.has(String(u.name))).length,
    };
  }

  async function allCitizens(): Promise<number> {
    const r = await portalDb(handle.db).selectFrom('portal_citizens').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  it('holds one address to its flow and grant budgets when it floods the one-request sign-in', async () => {
    const t = await app(DEFAULT_PORTAL_LIMITS);
    const h = await seedHotspot(handle, { identity: 'rw-flood-a', methods: ['terms'] });
    const citizensBefore = await allCitizens();
    const answers = await Promise.all(
      Array.from({ length: 120 }, async (_, i) => {
        const res = await t.call('POST', '/portal/login', { form: hotspotVars(h, { mac: mac(1, i), ip: `10.5.50.${(i % 200) + 2}`, accept: 'yes', 'terms-version': TERMS_VERSION }), client: '10.77.0.1' });
        return { status: res.status, retryAfter: res.headers.get('retry-after'), form: handoffForm(await res.text()) };
      }),
    );
    const { flowsPerAddress, grantsPerAddress } = DEFAULT_PORTAL_LIMITS;
    expect(answers.filter((a) => a.status === 200 && a.form !== null)).toHaveLength(grantsPerAddress);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(120 - grantsPerAddress);
    for (const a of answers.filter((x) => x.status === 429)) expect(Number(a.retryAfter)).toBeGreaterThan(0);
    expect(await counts(h)).toEqual({ flows: flowsPerAddress, grants: grantsPerAddress, citizens: grantsPerAddress, routerUsers: grantsPerAddress });
    expect((await allCitizens()) - citizensBefore).toBe(grantsPerAddress);
    // Another address is not held by this one's budget.
    const other = await t.call('POST', '/portal/login', { form: hotspotVars(h, { mac: mac(1, 999), accept: 'yes', 'terms-version': TERMS_VERSION }), client: '10.77.0.2' });
    expect(handoffForm(await other.text())).not.toBeNull();
    expect((await counts(h)).grants).toBe(grantsPerAddress + 1);
  });

  it('holds a hotspot to its budgets when many addresses flood it at once', async () => {
    const t = await app({ ...DEFAULT_PORTAL_LIMITS, flowsPerHotspot: 40, grantsPerHotspot: 15 });
    const h = await seedHotspot(handle, { identity: 'rw-flood-b', methods: ['terms'] });
    const answers = await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        const res = await t.call('POST', '/portal/login', { form: hotspotVars(h, { mac: mac(2, i), accept: 'yes', 'terms-version': TERMS_VERSION }), client: `10.78.${i >> 8}.${(i & 0xff) + 1}` });
        return { status: res.status, form: handoffForm(await res.text()) };
      }),
    );
    expect(answers.filter((a) => a.form !== null)).toHaveLength(15);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(85);
    expect(await counts(h)).toEqual({ flows: 40, grants: 15, citizens: 15, routerUsers: 15 });
  });

  it('grants a flow once: simultaneous first uses get one grant, replays none, from any address', async () => {
    const t = await app(DEFAULT_PORTAL_LIMITS);
    const h = await seedHotspot(handle, { identity: 'rw-replay', methods: ['terms', 'otp', 'voucher'] });
    const jar = new CookieJar();
    const start = await t.call('POST', '/portal/login', { form: hotspotVars(h, { mac: mac(3, 1) }), jar, client: '10.79.0.1' });
    const csrf = csrfOf(await start.text());
    const first = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const res = await t.call('POST', '/portal/terms', { form: { csrf, accept: 'yes' }, jar, client: '10.79.0.1' });
        return { status: res.status, form: handoffForm(await res.text()) };
      }),
    );
    expect(first.filter((a) => a.status === 200 && a.form !== null)).toHaveLength(1);
    expect(first.filter((a) => a.status === 409)).toHaveLength(19);
    expect(await counts(h)).toEqual({ flows: 1, grants: 1, citizens: 1, routerUsers: 1 });

    // The completed flow replayed 20 times at once from its own address, and from another: nothing more is granted.
    const replays = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const res = await t.call('POST', '/portal/terms', { form: { csrf, accept: 'yes' }, jar, client: i % 2 === 0 ? '10.79.0.1' : '10.79.0.2' });
        return { status: res.status, html: await res.text() };
      }),
    );
    for (const [i, r] of replays.entries()) {
      expect(handoffForm(r.html)).toBeNull();
      if (i % 2 === 0) {
        expect(r.status).toBe(409);
        expect(r.html).toContain('Sesi masuk ini sudah dipakai');
      } else {
        expect(r.status).toBe(403);
        expect(r.html).toContain('dimulai dari perangkat atau jaringan lain');
      }
    }
    // The other ways in refuse the used flow too.
    const viaContinue = await t.call('POST', '/portal/continue', { form: { csrf }, jar, client: '10.79.0.1' });
    expect(handoffForm(await viaContinue.text())).toBeNull();
    const viaOtp = await t.call('POST', '/portal/otp/request', { form: { csrf, phone: '081322229999', accept: 'yes' }, jar, client: '10.79.0.1' });
    expect(viaOtp.status).toBe(409);
    expect(await counts(h)).toEqual({ flows: 1, grants: 1, citizens: 1, routerUsers: 1 });
  });

  it('refuses a started flow carried to another address, and lets its own address finish it', async () => {
    const t = await app(DEFAULT_PORTAL_LIMITS);
    const h = await seedHotspot(handle, { identity: 'rw-moved', methods: ['terms'] });
    const jar = new CookieJar();
    const start = await t.call('POST', '/portal/login', { form: hotspotVars(h, { mac: mac(4, 1) }), jar, client: '10.80.0.1' });
    const csrf = csrfOf(await start.text());
    const elsewhere = await t.call('POST', '/portal/terms', { form: { csrf, accept: 'yes' }, jar, client: '10.80.0.99' });
    expect(elsewhere.status).toBe(403);
    expect(await elsewhere.text()).toContain('Sesi masuk dari perangkat lain');
    expect((await t.call('GET', '/portal/start', { jar, client: '10.80.0.99' })).status).toBe(403);
    expect((await counts(h)).grants).toBe(0);
    const home = await t.call('POST', '/portal/terms', { form: { csrf, accept: 'yes' }, jar, client: '10.80.0.1' });
    expect(handoffForm(await home.text())).not.toBeNull();
    expect(await counts(h)).toEqual({ flows: 1, grants: 1, citizens: 1, routerUsers: 1 });
  });

  it('hands a returning device its running hotspot user instead of making another', async () => {
    const t = await app(DEFAULT_PORTAL_LIMITS);
    const h = await seedHotspot(handle, { identity: 'rw-reuse', methods: ['terms'] });
    const signIn = async (): Promise<{ user: string | undefined; password: string | undefined }> => {
      const jar = new CookieJar();
      const start = await t.call('POST', '/portal/login', { form: hotspotVars(h, { mac: mac(5, 1), ip: '10.5.50.61' }), jar, client: '10.81.0.1' });
      const res = await t.call('POST', '/portal/terms', { form: { csrf: csrfOf(await start.text()), accept: 'yes' }, jar, client: '10.81.0.1' });
      const form = handoffForm(await res.text());
      return { user: form?.fields.username, password: form?.fields.password };
    };
    const a = await signIn();
    const b = await signIn();
    const c = await signIn();
    expect(a.user).toMatch(/^jk-/);
    expect([b.user, c.user]).toEqual([a.user, a.user]);
    // Three flows, one citizen, one grant, one user on the router: each sign-in handed out the same user.
    expect(await counts(h)).toEqual({ flows: 3, grants: 1, citizens: 1, routerUsers: 1 });
    // The router user stays bound to the device's MAC.
    expect(ros.hotspotUser(a.user!)?.['mac-address']).toBe(mac(5, 1));
  });

  it('gives the flow and the grant budget back when a sign-in is refused before a grant', async () => {
    const t = await app({ ...DEFAULT_PORTAL_LIMITS, grantsPerAddress: 2 });
    const h = await seedHotspot(handle, { identity: 'rw-refund', methods: ['terms'], maxDevices: 1 });
    const begin = async (jar: CookieJar, i: number): Promise<string> =>
      csrfOf(await (await t.call('POST', '/portal/login', { form: hotspotVars(h, { mac: mac(6, i) }), jar, client: '10.82.0.1' })).text());
    const citizen = new CookieJar();
    const first = await t.call('POST', '/portal/terms', { form: { csrf: await begin(citizen, 1), accept: 'yes' }, jar: citizen, client: '10.82.0.1' });
    expect(handoffForm(await first.text())).not.toBeNull();
    // The same citizen (portal session cookie) on a second device, one device allowed: refused after the flow was
    // claimed and the budget reserved, ten times on the same flow. Each refusal gives both back.
    const csrf = await begin(citizen, 2);
    for (let i = 0; i < 10; i++) {
      const res = await t.call('POST', '/portal/terms', { form: { csrf, accept: 'yes' }, jar: citizen, client: '10.82.0.1' });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('batas maksimum');
    }
    const other = new CookieJar();
    const second = await t.call('POST', '/portal/terms', { form: { csrf: await begin(other, 3), accept: 'yes' }, jar: other, client: '10.82.0.1' });
    expect(handoffForm(await second.text())).not.toBeNull();
    const late = new CookieJar();
    const third = await t.call('POST', '/portal/terms', { form: { csrf: await begin(late, 4), accept: 'yes' }, jar: late, client: '10.82.0.1' });
    expect(third.status).toBe(429);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await third.text()).toContain('Terlalu banyak percobaan masuk');
    expect((await counts(h)).grants).toBe(2);
  });
});
