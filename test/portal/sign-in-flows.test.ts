/** Every way of signing in, fair use, returning citizens, direct login and queued provisioning, on both engines. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portalDb } from '../../server/portal/queries/types.ts';
import type { DbHandle } from '../../server/db/types.ts';
import { runPortalProvisionJobs } from '../../collectors/hotspot-provisioner.ts';
import { DAY_EDGES, wibDay } from '../helpers/clock.ts';
import { DIALECTS, openTestDb } from '../helpers/db.ts';
import { CookieJar, csrfOf, handoffForm, hotspotVars, makePortalApp, ORIGIN, recordingProvisioner, seedHotspot, type PortalTestApp, type SeededHotspot } from './helpers.ts';

async function begin(t: PortalTestApp, h: SeededHotspot, jar: CookieJar, over: Record<string, string> = {}): Promise<string> {
  const res = await t.call('POST', '/portal/login', { form: hotspotVars(h, over), jar });
  const html = await res.text();
  expect(res.status, html).toBe(200);
  return csrfOf(html);
}

async function latestCode(t: PortalTestApp, admin: string): Promise<string> {
  const res = await t.call('GET', '/api/v1/portal/sms-outbox?limit=1', { headers: { cookie: admin } });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { items: Array<{ to: string; text: string }> };
  const m = /(\d{6})/.exec(body.items[0]!.text);
  return m![1]!;
}

describe.each(DIALECTS)('portal sign-in flows (%s)', (dialect) => {
  let handle: DbHandle;
  let t: PortalTestApp;
  let h: SeededHotspot;
  let admin: string;
  const prov = recordingProvisioner();
  beforeAll(async () => {
    handle = await openTestDb(dialect);
    t = await makePortalApp(handle, { provisioner: prov });
    h = await seedHotspot(handle, { wardCode: 'W-01' });
    admin = await t.staffCookie('admin');
  });
  afterAll(async () => handle.close());

  it('recognises a returning citizen by the portal session, rotating its token at every sign-in', async () => {
    const jar = new CookieJar();
    let csrf = await begin(t, h, jar);
    await t.call('POST', '/portal/terms', { form: { csrf, accept: 'yes' }, jar });
    const first = jar.values.get('jk_portal')!;
    // Another visit, another MAC (phones randomise them): the cookie still says who it is.
    csrf = await begin(t, h, jar, { mac: '02:00:00:00:00:99' });
    const res = await t.call('POST', '/portal/terms', { form: { csrf, accept: 'yes' }, jar });
    expect(handoffForm(await res.text())).not.toBeNull();
    const second = jar.values.get('jk_portal')!;
    expect(second).not.toBe(first);
    const grants = await portalDb(handle.db).selectFrom('portal_grants').select(['citizen_id', 'hotspot_user']).orderBy('granted_at').execute();
    expect(new Set(grants.slice(-2).map((g) => g.citizen_id)).size).toBe(1);
    const consents = await portalDb(handle.db).selectFrom('portal_consents').selectAll().where('citizen_id', '=', grants.at(-1)!.citizen_id).execute();
    expect(consents).toHaveLength(1);
    expect(consents[0]!.terms_version).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('signs in with a phone code from the development outbox; the number is sealed and hashed at rest', async () => {
    const jar = new CookieJar();
    const csrf = await begin(t, h, jar, { mac: 'AA:BB:CC:00:10:01' });
    const sent = await t.call('POST', '/portal/otp/request', { form: { csrf, phone: '0812-3456-7890', accept: 'yes' }, jar });
    const otpPage = await sent.text();
    expect(sent.status, otpPage).toBe(200);
    expect(otpPage).toContain('+62812****7890');
    const code = await latestCode(t, admin);
    const done = await t.call('POST', '/portal/otp/verify', { form: { csrf: csrfOf(otpPage), code }, jar });
    const form = handoffForm(await done.text());
    expect(form).not.toBeNull();
    const citizens = await portalDb(handle.db).selectFrom('portal_citizens').selectAll().where('kind', '=', 'phone').execute();
    expect(citizens).toHaveLength(1);
    expect(citizens[0]!.phone_sealed).not.toContain('812');
    expect(citizens[0]!.phone_hash).not.toContain('812');
    expect(await t.secrets.open(citizens[0]!.phone_sealed!, 'portal-phone')).toBe('+6281234567890');
    // The connection log holds the opaque id only.
    const grant = await portalDb(handle.db).selectFrom('portal_grants').selectAll().where('hotspot_user', '=', form!.fields.username!).executeTakeFirstOrThrow();
    expect(grant.citizen_id).toBe(citizens[0]!.id);
    expect(Object.values(grant).join(' ')).not.toContain('812');

    // Next visit: one click to continue, no new code.
    const csrf2 = await begin(t, h, jar, { mac: 'AA:BB:CC:00:10:01' });
    const again = await t.call('POST', '/portal/continue', { form: { csrf: csrf2 }, jar });
    expect(handoffForm(await again.text())).not.toBeNull();
  });

  it('prints a voucher batch and signs in with a voucher once; another browser cannot replay it', async () => {
    const made = await t.call('POST', '/api/v1/portal/voucher-batches', { headers: { cookie: admin, origin: ORIGIN }, json: { name: 'Posyandu', count: 3, timeQuotaS: 7200, dataQuotaBytes: 500_000_000 } });
    expect(made.status).toBe(201);
    const batch = (await made.json()) as { id: string };
    const sheet = await t.call('GET', `/api/v1/portal/voucher-batches/${batch.id}/sheet`, { headers: { cookie: admin } });
    const html = await sheet.text();
    expect(sheet.status).toBe(200);
    const codes = [...html.matchAll(/<div class="code">([A-Z0-9-]+)<\/div>/g)].map((m) => m[1]!);
    expect(codes).toHaveLength(3);
    for (const c of codes) expect(c).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{5}-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{5}$/);
    // A batch for every hotspot without a login host has no page its QR codes could open: printed without them.
    expect(html.match(/<svg /g)).toBeNull();
    const forHere = await t.call('POST', '/api/v1/portal/voucher-batches', { headers: { cookie: admin, origin: ORIGIN }, json: { name: 'Balai', count: 2, hotspotId: h.hotspotId } });
    const hereSheet = await (await t.call('GET', `/api/v1/portal/voucher-batches/${((await forHere.json()) as { id: string }).id}/sheet`, { headers: { cookie: admin } })).text();
    expect(hereSheet.match(/<svg /g)).toHaveLength(2);

    const jar = new CookieJar();
    const csrf = await begin(t, h, jar, { mac: 'AA:BB:CC:00:20:01' });
    const used = await t.call('POST', '/portal/voucher', { form: { csrf, code: codes[0]!.toLowerCase().replace('-', ' '), accept: 'yes' }, jar });
    const form = handoffForm(await used.text());
    expect(form).not.toBeNull();
    const upsert = prov.calls.filter((c) => c.op === 'upsert').at(-1)!;
    expect(upsert.user!.limitBytesTotal).toBe(500_000_000);
    expect(upsert.user!.limitUptime).toBe('2h0m0s');

    const other = new CookieJar();
    const csrf2 = await begin(t, h, other, { mac: 'AA:BB:CC:00:20:02' });
    const replay = await t.call('POST', '/portal/voucher', { form: { csrf: csrf2, code: codes[0]!, accept: 'yes' }, jar: other });
    const page = await replay.text();
    expect(handoffForm(page)).toBeNull();
    expect(page).toContain('Voucher ini sudah dipakai');
    // The holder's own browser may come back with it while it is valid.
    const csrf3 = await begin(t, h, jar, { mac: 'AA:BB:CC:00:20:01' });
    const back = await t.call('POST', '/portal/voucher', { form: { csrf: csrf3, code: codes[0]!, accept: 'yes' }, jar });
    expect(handoffForm(await back.text())).not.toBeNull();
  });

  // The allowance is per city day (WIB) and a session counts on the day it started: run at both sides of midnight.
  describe.each(DAY_EDGES)('at $label', (edge) => {
    it('limits devices per citizen and the daily time allowance, given back at the next midnight', async () => {
      // Its own app on a clock that stands at the edge (each reading moves it one millisecond).
      const te = await makePortalApp(handle, { provisioner: prov, startMs: edge.ms });
      const h1 = await seedHotspot(handle, { maxDevices: 1, dailyTimeS: 3600 });
      const jar = new CookieJar();
      const signIn = async (mac: string): Promise<string> => {
        const r = await te.call('POST', '/portal/login', { form: hotspotVars(h1, { mac }), jar });
        const page = await r.text();
        expect(r.status, page).toBe(200);
        return (await te.call('POST', '/portal/terms', { form: { csrf: csrfOf(page), accept: 'yes' }, jar })).text();
      };
      expect(handoffForm(await signIn('AA:BB:CC:00:30:01'))).not.toBeNull();
      const second = await signIn('AA:BB:CC:00:30:02');
      expect(handoffForm(second)).toBeNull();
      expect(second).toContain('batas maksimum');

      // The router reports the first device's session at 3590 s of uptime.
      const grant = await portalDb(handle.db).selectFrom('portal_grants').selectAll().where('hotspot_id', '=', h1.hotspotId).executeTakeFirstOrThrow();
      const token = await te.apiToken('engineer');
      const reportedAt = te.clock.nowMs();
      const posted = await te.call('POST', '/api/v1/portal/hotspot-active', {
        headers: { authorization: `Bearer ${token}` },
        json: { deviceId: h1.deviceId, active: [{ user: grant.hotspot_user, address: '10.5.50.23', mac: 'aa:bb:cc:00:30:01', uptimeS: 3590, bytesIn: '1000', bytesOut: 5000 }] },
      });
      expect(posted.status).toBe(200);
      const startedToday = wibDay(reportedAt - 3590_000) === wibDay(reportedAt);
      const third = await signIn('AA:BB:CC:00:30:01');
      if (startedToday) {
        // 23:59:30: the hour was used today, so no more time today ...
        expect(third).toContain('Jatah waktu Anda hari ini sudah habis');
        // ... until the city's midnight, one minute later, gives a new day's allowance.
        te.clock.advance(60_000);
        expect(wibDay(te.clock.nowMs())).not.toBe(wibDay(reportedAt));
        expect(handoffForm(await signIn('AA:BB:CC:00:30:01'))).not.toBeNull();
      } else {
        // 00:00:30: the session began yesterday (23:00:40), so it is yesterday's use and today's hour is whole.
        expect(edge.label).toBe('00:00:30 WIB');
        expect(handoffForm(third)).not.toBeNull();
      }
      const usage = await te.call('GET', '/api/v1/portal/usage', { headers: { cookie: await te.staffCookie('admin') } });
      const u = (await usage.json()) as { byHotspot: Array<{ hotspotId: string; uniqueUsers: number; uptimeS: number }> };
      expect(u.byHotspot.find((r) => r.hotspotId === h1.hotspotId)).toMatchObject({ uniqueUsers: 1, uptimeS: 3590 });
    });
  });

  it('sends the plain password (PAP) when the hotspot posts no chap-id', async () => {
    const jar = new CookieJar();
    const csrf = await begin(t, h, jar, { mac: 'AA:BB:CC:00:45:01', 'chap-id': '', 'chap-challenge': '' });
    const form = handoffForm(await (await t.call('POST', '/portal/terms', { form: { csrf, accept: 'yes' }, jar })).text())!;
    const upsert = prov.calls.filter((c) => c.op === 'upsert').at(-1)!;
    expect(form.fields.username).toBe(upsert.user!.name);
    expect(form.fields.password).toBe(upsert.user!.password);
    expect(form.fields.dst).toBe('http://example.com/');
    expect(form.fields.popup).toBe('true');
  });

  it('logs a host in directly over the API where the hotspot is set to direct', async () => {
    const hd = await seedHotspot(handle, { loginMode: 'direct' });
    const jar = new CookieJar();
    const csrf = await begin(t, hd, jar, { mac: 'AA:BB:CC:00:40:01', ip: '10.5.50.40' });
    const res = await t.call('POST', '/portal/terms', { form: { csrf, accept: 'yes' }, jar });
    const html = await res.text();
    expect(html).toContain('id="connected"');
    expect(html).toContain('href="http://example.com/"');
    const login = prov.calls.filter((c) => c.op === 'login').at(-1)!;
    expect(login.login).toMatchObject({ mac: 'aa:bb:cc:00:40:01', ip: '10.5.50.40' });
    expect(login.router.deviceId).toBe(hd.deviceId);
  });

  it('shows a router failure in words and keeps the flow for another try', async () => {
    const jar = new CookieJar();
    const csrf = await begin(t, h, jar, { mac: 'AA:BB:CC:00:50:01' });
    prov.failWith = new Error('connection refused');
    try {
      const res = await t.call('POST', '/portal/terms', { form: { csrf, accept: 'yes' }, jar });
      expect(res.status).toBe(503);
      expect(await res.text()).toContain('Router sedang tidak dapat dihubungi');
    } finally {
      prov.failWith = null;
    }
  });
});

describe.each(DIALECTS)('queued provisioning through an on-premises collector (%s)', (dialect) => {
  let handle: DbHandle;
  let t: PortalTestApp;
  let h: SeededHotspot;
  beforeAll(async () => {
    handle = await openTestDb(dialect);
    t = await makePortalApp(handle, { provisioner: null });
    h = await seedHotspot(handle);
  });
  afterAll(async () => handle.close());

  it('queues the hotspot user, lets a collector with an API token claim and report it, then hands off', async () => {
    const jar = new CookieJar();
    const csrf = await begin(t, h, jar);
    const waiting = await t.call('POST', '/portal/terms', { form: { csrf, accept: 'yes' }, jar });
    const wHtml = await waiting.text();
    expect(wHtml).toContain('http-equiv="refresh"');
    expect(handoffForm(wHtml)).toBeNull();
    expect(await (await t.call('GET', '/portal/wait', { jar })).text()).toContain('http-equiv="refresh"');

    // A browser session cannot claim jobs; only a collector's API token can.
    const admin = await t.staffCookie('admin');
    const bySession = await t.call('POST', '/api/v1/portal/provision-jobs/claim', { headers: { cookie: admin, origin: ORIGIN }, json: { collector: 'x' } });
    expect(bySession.status).toBe(400);

    const token = await t.apiToken('engineer');
    const collectorSide = recordingProvisioner();
    const fetchFn = (async (input: string | URL | Request, init?: RequestInit) => t.app.request(String(input), init)) as typeof fetch;
    const other = await runPortalProvisionJobs({ baseUrl: ORIGIN, token, collector: 'site-b', provisioner: collectorSide, deviceIds: ['some-other-router'], fetchFn });
    expect(other).toEqual({ done: 0, failed: 0 });
    const round = await runPortalProvisionJobs({ baseUrl: ORIGIN, token, collector: 'kantor-kecamatan', provisioner: collectorSide, deviceIds: [h.deviceId], fetchFn });
    expect(round).toEqual({ done: 1, failed: 0 });
    expect(collectorSide.calls[0]!.user!.macAddress).toBe('aa:bb:cc:11:22:33');
    // Nothing left to claim: a job is carried out once.
    expect(await runPortalProvisionJobs({ baseUrl: ORIGIN, token, collector: 'kantor-kecamatan', provisioner: collectorSide, fetchFn })).toEqual({ done: 0, failed: 0 });

    const ready = await t.call('GET', '/portal/wait', { jar });
    const form = handoffForm(await ready.text());
    expect(form).not.toBeNull();
    expect(form!.fields.username).toBe(collectorSide.calls[0]!.user!.name);
  });

  it('queues the removal of ended grants’ hotspot users for the collector', async () => {
    t.clock.advance(3 * 3600_000);
    const admin = await t.staffCookie('admin');
    const swept = await t.call('POST', '/api/v1/portal/sweep-users', { headers: { cookie: admin, origin: ORIGIN }, json: {} });
    expect(await swept.json()).toEqual({ removed: 0, queued: 1, failed: 0 });
    const token = await t.apiToken('engineer');
    const collectorSide = recordingProvisioner();
    const fetchFn = (async (input: string | URL | Request, init?: RequestInit) => t.app.request(String(input), init)) as typeof fetch;
    expect(await runPortalProvisionJobs({ baseUrl: ORIGIN, token, collector: 'c', provisioner: collectorSide, fetchFn })).toEqual({ done: 1, failed: 0 });
    expect(collectorSide.calls.map((c) => c.op)).toEqual(['remove']);
    const again = await t.call('POST', '/api/v1/portal/sweep-users', { headers: { cookie: admin, origin: ORIGIN }, json: {} });
    expect(await again.json()).toEqual({ removed: 0, queued: 0, failed: 0 });
  });

  it('puts a failed job back in the queue and gives up after three tries', async () => {
    const jar = new CookieJar();
    const csrf = await begin(t, h, jar, { mac: 'AA:BB:CC:00:60:01' });
    await t.call('POST', '/portal/terms', { form: { csrf, accept: 'yes' }, jar });
    const token = await t.apiToken('engineer');
    const failing = recordingProvisioner();
    failing.failWith = new Error('router unreachable');
    const fetchFn = (async (input: string | URL | Request, init?: RequestInit) => t.app.request(String(input), init)) as typeof fetch;
    for (let i = 0; i < 3; i++) expect(await runPortalProvisionJobs({ baseUrl: ORIGIN, token, collector: 'c', provisioner: failing, fetchFn })).toEqual({ done: 0, failed: 1 });
    const page = await t.call('GET', '/portal/wait', { jar });
    expect(page.status).toBe(503);
    expect(await page.text()).toContain('Router sedang tidak dapat dihubungi');
  });
});
