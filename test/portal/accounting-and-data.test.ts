/** Usage accounting from hotspot-active snapshots; a citizen's own data (see, delete); DPO export; retention purge. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HotspotActive } from '../../core/observations.ts';
import { portalDb } from '../../server/portal/queries/types.ts';
import type { DbHandle } from '../../server/db/types.ts';
import { diffHotspotActive, type OpenSession } from '../../server/portal/services/accounting.ts';
import { wibDay } from '../helpers/clock.ts';
import { DIALECTS, openTestDb } from '../helpers/db.ts';
import { CookieJar, csrfOf, handoffForm, hotspotVars, makePortalApp, ORIGIN, recordingProvisioner, seedHotspot, type PortalTestApp, type SeededHotspot } from './helpers.ts';

const act = (user: string, address: string, uptimeS: number, bytesIn = 0, bytesOut = 0): HotspotActive => ({ user, address, mac: null, uptimeS, bytesIn: BigInt(bytesIn), bytesOut: BigInt(bytesOut) });

describe('diffHotspotActive', () => {
  const open: OpenSession[] = [
    { id: 's1', user: 'a', address: '10.0.0.1', startedAtMs: 1_000_000, uptimeS: 60, bytesIn: 10, bytesOut: 20 },
    { id: 's2', user: 'b', address: '10.0.0.2', startedAtMs: 1_000_000, uptimeS: 600, bytesIn: 10, bytesOut: 20 },
    { id: 's3', user: 'c', address: '10.0.0.3', startedAtMs: 1_000_000, uptimeS: 30, bytesIn: 1, bytesOut: 1 },
  ];
  it('continues, restarts, ends and starts sessions', () => {
    const d = diffHotspotActive(open, [act('a', '10.0.0.1', 120, 100, 200), act('b', '10.0.0.2', 5, 1, 1), act('d', '10.0.0.4', 10), act('d', '10.0.0.4', 10)], 2_000_000);
    expect(d.updated).toEqual([{ id: 's1', uptimeS: 120, bytesIn: 100, bytesOut: 200 }]);
    expect(d.started.map((s) => [s.user, s.startedAtMs])).toEqual([
      ['b', 1_995_000],
      ['d', 1_990_000],
    ]);
    expect(d.ended).toEqual([
      { id: 's2', endedAtMs: 1_600_000 },
      { id: 's3', endedAtMs: 1_030_000 },
    ]);
  });
  it('ends everything on an empty snapshot and starts nothing', () => {
    const d = diffHotspotActive(open, [], 5_000_000);
    expect(d.ended).toHaveLength(3);
    expect(d.started).toHaveLength(0);
  });
});

describe.each(DIALECTS)('accounting and personal data (%s)', (dialect) => {
  let handle: DbHandle;
  let t: PortalTestApp;
  let h: SeededHotspot;
  let h2: SeededHotspot;
  let admin: string;
  let token: string;
  beforeAll(async () => {
    handle = await openTestDb(dialect);
    t = await makePortalApp(handle, { provisioner: recordingProvisioner() });
    h = await seedHotspot(handle, { wardCode: 'W-01' });
    h2 = await seedHotspot(handle, { wardCode: 'W-01', address: '10.6.50.1' });
    admin = await t.staffCookie('admin');
    token = await t.apiToken('engineer');
  });
  afterAll(async () => handle.close());

  async function signInByPhone(hs: SeededHotspot, phone: string, mac: string): Promise<string> {
    const jar = new CookieJar();
    const start = await t.call('POST', '/portal/login', { form: hotspotVars(hs, { mac }), jar });
    const sent = await t.call('POST', '/portal/otp/request', { form: { csrf: csrfOf(await start.text()), phone, accept: 'yes' }, jar });
    const otpPage = await sent.text();
    const out = (await (await t.call('GET', '/api/v1/portal/sms-outbox?limit=1', { headers: { cookie: admin } })).json()) as { items: Array<{ text: string }> };
    const code = /(\d{6})/.exec(out.items[0]!.text)![1]!;
    const done = await t.call('POST', '/portal/otp/verify', { form: { csrf: csrfOf(otpPage), code }, jar });
    return handoffForm(await done.text())!.fields.username!;
  }

  async function report(hs: SeededHotspot, active: Array<{ user: string; address: string; uptimeS: number; bytesIn: number; bytesOut: number }>): Promise<unknown> {
    const res = await t.call('POST', '/api/v1/portal/hotspot-active', { headers: { authorization: `Bearer ${token}` }, json: { deviceId: hs.deviceId, active: active.map((a) => ({ ...a, mac: null })) } });
    expect(res.status).toBe(200);
    return res.json();
  }

  it('turns snapshots into sessions and counts unique users per day per hotspot and per ward', async () => {
    const u1 = await signInByPhone(h, '081200000001', 'AA:00:00:00:00:01');
    const u2 = await signInByPhone(h, '081200000002', 'AA:00:00:00:00:02');
    const u1b = await signInByPhone(h2, '081200000001', 'AA:00:00:00:00:01');
    // A session counts on the city day (WIB) it began: near midnight these fall on two days (test/helpers/clock.ts).
    const startDay = (uptimeS: number): string => wibDay(t.clock.nowMs() - uptimeS * 1000);
    const u1Day = startDay(60);
    expect(await report(h, [{ user: u1, address: '10.5.50.10', uptimeS: 60, bytesIn: 1000, bytesOut: 5000 }])).toEqual({ started: 1, updated: 0, ended: 0 });
    const u2Day = startDay(10);
    expect(await report(h, [{ user: u1, address: '10.5.50.10', uptimeS: 120, bytesIn: 2000, bytesOut: 9000 }, { user: u2, address: '10.5.50.11', uptimeS: 10, bytesIn: 1, bytesOut: 1 }])).toEqual({ started: 1, updated: 1, ended: 0 });
    expect(await report(h, [{ user: u2, address: '10.5.50.11', uptimeS: 70, bytesIn: 5, bytesOut: 5 }])).toEqual({ started: 0, updated: 1, ended: 1 });
    const u1bDay = startDay(20);
    await report(h2, [{ user: u1b, address: '10.6.50.10', uptimeS: 20, bytesIn: 1, bytesOut: 1 }]);
    const active = (await (await t.call('GET', '/api/v1/portal/sessions/active', { headers: { cookie: admin } })).json()) as { items: Array<{ user: string }> };
    expect(active.items.map((i) => i.user).sort()).toEqual([u1b, u2].sort());
    const usage = (await (await t.call('GET', '/api/v1/portal/usage', { headers: { cookie: admin } })).json()) as {
      byHotspot: Array<{ day: string; hotspotId: string; uniqueUsers: number; sessions: number; bytesIn: number }>;
      byWard: Array<{ day: string; wardCode: string; uniqueUsers: number }>;
    };
    const ofH = usage.byHotspot.filter((r) => r.hotspotId === h.hotspotId).map((r) => ({ day: r.day, uniqueUsers: r.uniqueUsers, sessions: r.sessions, bytesIn: r.bytesIn }));
    if (u1Day === u2Day) expect(ofH).toEqual([{ day: u1Day, uniqueUsers: 2, sessions: 2, bytesIn: 2005 }]);
    else expect(ofH.sort((a, b) => a.day.localeCompare(b.day))).toEqual([{ day: u1Day, uniqueUsers: 1, sessions: 1, bytesIn: 2000 }, { day: u2Day, uniqueUsers: 1, sessions: 1, bytesIn: 5 }]);
    expect(usage.byHotspot.filter((r) => r.hotspotId === h2.hotspotId)).toMatchObject([{ day: u1bDay, uniqueUsers: 1, sessions: 1 }]);
    // The same citizen at two hotspots of one ward counts once for the ward (per day).
    const wardDays = new Map<string, Set<string>>();
    for (const [day, who] of [[u1Day, 'c1'], [u2Day, 'c2'], [u1bDay, 'c1']] as const) wardDays.set(day, (wardDays.get(day) ?? new Set()).add(who));
    const ofWard = usage.byWard.filter((r) => r.wardCode === 'W-01').map((r) => [r.day, r.uniqueUsers]).sort();
    expect(ofWard).toEqual([...wardDays].map(([day, who]) => [day, who.size]).sort());
  });

  it('lets a citizen see and delete their data after proving the number', async () => {
    const jar = new CookieJar();
    const first = await t.call('GET', '/portal/my-data?lang=en', { jar });
    const req = await t.call('POST', '/portal/my-data/request', { form: { csrf: csrfOf(await first.text()), phone: '0812 0000 0001' }, jar });
    const otpPage = await req.text();
    expect(otpPage).toContain('+62812****0001');
    const out = (await (await t.call('GET', '/api/v1/portal/sms-outbox?limit=1', { headers: { cookie: admin } })).json()) as { items: Array<{ text: string }> };
    const code = /(\d{6})/.exec(out.items[0]!.text)![1]!;
    const view = await t.call('POST', '/portal/my-data/verify', { form: { csrf: csrfOf(otpPage), code }, jar });
    const html = await view.text();
    expect(html).toContain('+62812****0001');
    expect(html).toMatch(/Wi-Fi sessions recorded<\/th><td>2</);
    const citizen = await portalDb(handle.db).selectFrom('portal_citizens').selectAll().where('phone_hash', '=', await t.secrets.keyedHash('+6281200000001', 'portal-phone')).executeTakeFirstOrThrow();
    // "Delete all my data" asks first and deletes nothing until confirmed.
    const ask = await t.call('POST', '/portal/my-data/delete', { form: { csrf: csrfOf(html) }, jar });
    const askHtml = await ask.text();
    expect(ask.status).toBe(200);
    expect(askHtml).toContain('Delete all your data?');
    expect(askHtml).toContain('name="confirm" value="yes"');
    expect(askHtml).toContain('href="/portal/my-data"');
    expect(await portalDb(handle.db).selectFrom('portal_citizens').selectAll().where('id', '=', citizen.id).execute()).toHaveLength(1);
    const del = await t.call('POST', '/portal/my-data/delete', { form: { csrf: csrfOf(askHtml), confirm: 'yes' }, jar });
    expect(await del.text()).toContain('Your data has been deleted');
    const p = portalDb(handle.db);
    expect(await p.selectFrom('portal_citizens').selectAll().where('id', '=', citizen.id).execute()).toHaveLength(0);
    expect(await p.selectFrom('portal_consents').selectAll().where('citizen_id', '=', citizen.id).execute()).toHaveLength(0);
    expect(await p.selectFrom('portal_grants').selectAll().where('citizen_id', '=', citizen.id).execute()).toHaveLength(0);
    expect(await p.selectFrom('portal_usage_sessions').selectAll().where('citizen_id', '=', citizen.id).execute()).toHaveLength(0);
    // Statistics keep the sessions, without the identity.
    expect((await p.selectFrom('portal_usage_sessions').selectAll().where('citizen_id', 'is', null).execute()).length).toBeGreaterThanOrEqual(2);
    // Issue 10 (UU PDP): nothing else names them: no code, no SMS (sealed number and text), no sign-in flow.
    expect(await p.selectFrom('portal_otps').selectAll().where('phone_hash', '=', citizen.phone_hash!).execute()).toHaveLength(0);
    expect(await p.selectFrom('portal_sms_outbox').selectAll().where('phone_hash', '=', citizen.phone_hash!).execute()).toHaveLength(0);
    expect(await p.selectFrom('portal_flows').selectAll().where('phone_hash', '=', citizen.phone_hash!).execute()).toHaveLength(0);
    expect(await p.selectFrom('portal_flows').selectAll().where('citizen_id', '=', citizen.id).execute()).toHaveLength(0);
  });

  it('exports identities for the data protection officer (admin only) and purges on the retention schedule', async () => {
    const engineer = await t.staffCookie('engineer');
    expect((await t.call('GET', '/api/v1/portal/dpo-export', { headers: { cookie: engineer } })).status).toBe(403);
    const json = (await (await t.call('GET', '/api/v1/portal/dpo-export', { headers: { cookie: admin } })).json()) as { citizens: Array<{ phone: string; consents: string }> };
    expect(json.citizens.map((c) => c.phone)).toContain('+6281200000002');
    expect(json.citizens.every((c) => /^\d{4}-\d{2}-\d{2}@/.test(c.consents))).toBe(true);
    const csv = await t.call('GET', '/api/v1/portal/dpo-export?format=csv', { headers: { cookie: admin } });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const text = await csv.text();
    expect(text.split('\r\n')[0]).toBe('citizenId,kind,phone,createdAt,lastSeenAt,consents');
    expect(text).toContain('6281200000002');

    t.clock.advance(40 * 86_400_000);
    const admin2 = await t.staffCookie('admin');
    const purged = await t.call('POST', '/api/v1/portal/purge', { headers: { cookie: admin2, origin: ORIGIN }, json: { identityDays: 30, logDays: 30 } });
    const r = (await purged.json()) as { citizens: number; connectionRows: number };
    expect(r.citizens).toBeGreaterThanOrEqual(1);
    expect(await portalDb(handle.db).selectFrom('portal_citizens').selectAll().execute()).toHaveLength(0);
    const left = await portalDb(handle.db).selectFrom('portal_usage_sessions').selectAll().where('ended_at', 'is not', null).execute();
    expect(left).toHaveLength(0);
  });
});
