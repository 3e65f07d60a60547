/**
 * The portal under attack: hostile hotspot variables, credential-leaking login links, script URLs, one-time code
 * guessing and replay, voucher replay, CSRF and session fixation. On both engines.
 */
import { describe, expect, it } from 'vitest';
import { portalDb } from '../../server/portal/queries/types.ts';
import { HOTSPOT_VAR_LIMITS } from '../../server/portal/pure/hotspot-vars.ts';
import { DIALECTS } from '../helpers/db.ts';
import { CookieJar, csrfOf, handoffForm, hotspotVars, recordingProvisioner, usePortalSuite } from './helpers.ts';

const PAYLOADS = [
  '"><script>alert(1)</script>',
  "'><img src=x onerror=alert(1)>",
  'javascript:alert(1)',
  '</title><svg onload=alert(1)>',
  '{{constructor.constructor("alert(1)")()}}',
];

function assertInert(html: string, label: string): void {
  expect(html, label).not.toMatch(/<script(?![^>]*src="\/portal\/assets\/handoff\.js")/i);
  expect(html, label).not.toMatch(/<img|<svg|onerror=|onload=/i);
  expect(html, label).not.toContain('javascript:');
  expect(html, label).not.toContain('alert(1)');
}

describe.each(DIALECTS)('portal security (%s)', (dialect) => {
  const s = usePortalSuite(dialect, { app: { provisioner: recordingProvisioner() } });

  async function begin(jar: CookieJar, over: Record<string, string> = {}, client?: string): Promise<{ status: number; html: string }> {
    const res = await s.t.call('POST', '/portal/login', { form: hotspotVars(s.h, over), jar, ...(client === undefined ? {} : { client }) });
    return { status: res.status, html: await res.text() };
  }

  it('never reflects or runs script payloads posted in any hotspot variable, through to the hand-off page', async () => {
    for (const name of Object.keys(HOTSPOT_VAR_LIMITS)) {
      for (const payload of PAYLOADS) {
        const jar = new CookieJar();
        const start = await begin(jar, { [name]: payload.slice(0, HOTSPOT_VAR_LIMITS[name]) });
        assertInert(start.html, `${name} start ${start.status}`);
        if (start.status !== 200) continue;
        const done = await s.t.call('POST', '/portal/terms', { form: { csrf: csrfOf(start.html), accept: 'yes' }, jar });
        const html = await done.text();
        assertInert(html, `${name} hand-off`);
        expect(done.headers.get('content-security-policy')).toContain("script-src 'self'");
      }
    }
  });

  it('never sends credentials to another host, nor follows a javascript: destination', async () => {
    const cases: Array<Record<string, string>> = [
      { 'link-login-only': 'http://evil.example/login', 'link-login': 'http://evil.example/login?dst=x' },
      { 'link-login-only': `http://${s.h.address}.evil.example/login` },
      { 'link-login-only': `http://user@evil.example/login` },
      { 'link-login-only': `javascript:alert(1)//${s.h.address}/login` },
      { 'link-orig': 'javascript:alert(1)', 'link-orig-esc': 'javascript%3Aalert(1)' },
      { 'link-orig': 'data:text/html,<script>alert(1)</script>', 'link-orig-esc': '' },
    ];
    for (const over of cases) {
      const jar = new CookieJar();
      const start = await begin(jar, over);
      expect(start.status).toBe(200);
      const html = await (await s.t.call('POST', '/portal/terms', { form: { csrf: csrfOf(start.html), accept: 'yes' }, jar })).text();
      const form = handoffForm(html)!;
      expect(new URL(form.action).hostname).toBe(s.h.address);
      expect(html).not.toContain('evil.example');
      expect(html).not.toContain('javascript:');
      expect(html).not.toContain('data:text');
      if (form.fields.dst !== undefined) expect(form.fields.dst).toMatch(/^https?:\/\//);
    }
  });

  it('refuses unknown hotspots and oversized or malformed variables with a page, not a stack trace', async () => {
    const unknown = await begin(new CookieJar(), { identity: 'not-registered' });
    expect(unknown.status).toBe(403);
    expect(unknown.html).toContain('Hotspot tidak dikenal');
    const wrongAddress = await begin(new CookieJar(), { 'server-address': '10.9.9.9:80' });
    expect(wrongAddress.status).toBe(403);
    const long = await begin(new CookieJar(), { mac: 'A'.repeat(18) });
    expect(long.status).toBe(400);
    const badChap = await begin(new CookieJar(), { 'chap-id': '\\999' });
    expect(badChap.status).toBe(400);
    const huge = await s.t.call('POST', '/portal/login', { form: { ...hotspotVars(s.h), pad: 'x'.repeat(20_000) } });
    expect(huge.status).toBe(413);
  });

  it('shows router errors in plain words, never the raw text', async () => {
    const jar = new CookieJar();
    const a = await begin(jar, { error: 'no more sessions are allowed for user' });
    expect(a.html).toContain('Akun ini sedang dipakai di perangkat lain');
    expect(a.html).not.toContain('no more sessions');
    const b = await begin(new CookieJar(), { error: 'user jk-abc has reached uptime limit' });
    expect(b.html).toContain('Jatah waktu Anda sudah habis');
    const en = await s.t.call('GET', '/portal/start?lang=en', { jar });
    expect(await en.text()).toContain('This account is in use on another device');
  });

  it('rejects portal forms without the flow CSRF token, or with another flow’s token', async () => {
    const jar = new CookieJar();
    const start = await begin(jar);
    const none = await s.t.call('POST', '/portal/terms', { form: { accept: 'yes' }, jar });
    expect(none.status).toBe(403);
    const otherJar = new CookieJar();
    const other = await begin(otherJar);
    const crossed = await s.t.call('POST', '/portal/terms', { form: { csrf: csrfOf(other.html), accept: 'yes' }, jar });
    expect(crossed.status).toBe(403);
    const noCookie = await s.t.call('POST', '/portal/terms', { form: { csrf: csrfOf(start.html), accept: 'yes' } });
    expect(noCookie.status).toBe(400);
    const ok = await s.t.call('POST', '/portal/terms', { form: { csrf: csrfOf(start.html), accept: 'yes' }, jar });
    expect(ok.status).toBe(200);
  });

  it('never adopts a flow or portal session token planted in the browser (session fixation)', async () => {
    const jar = new CookieJar();
    const planted = 'a'.repeat(32);
    jar.values.set('jk_portal_flow', planted);
    jar.values.set('jk_portal', planted);
    const start = await begin(jar);
    expect(jar.values.get('jk_portal_flow')).not.toBe(planted);
    await s.t.call('POST', '/portal/terms', { form: { csrf: csrfOf(start.html), accept: 'yes' }, jar });
    const session = jar.values.get('jk_portal')!;
    expect(session).not.toBe(planted);
    // A session an attacker obtained before the victim signs in is ended by the sign-in (rotated).
    const victim = new CookieJar();
    victim.values.set('jk_portal', session);
    const s2 = await begin(victim, { mac: 'AA:BB:CC:99:00:01' });
    await s.t.call('POST', '/portal/terms', { form: { csrf: csrfOf(s2.html), accept: 'yes' }, jar: victim });
    expect(victim.values.get('jk_portal')).not.toBe(session);
    const old = new CookieJar();
    old.values.set('jk_portal', session);
    const s3 = await begin(old, { mac: 'AA:BB:CC:99:00:02' });
    const oldForm = handoffForm(await (await s.t.call('POST', '/portal/terms', { form: { csrf: csrfOf(s3.html), accept: 'yes' }, jar: old })).text())!;
    const citizenOf = async (user: string) =>
      (await portalDb(s.handle.db).selectFrom('portal_grants').select('citizen_id').where('hotspot_user', '=', user).executeTakeFirstOrThrow()).citizen_id;
    const firstGrant = await portalDb(s.handle.db).selectFrom('portal_grants').select('citizen_id').orderBy('granted_at', 'desc').limit(3).execute();
    expect(await citizenOf(oldForm.fields.username!)).not.toBe(firstGrant[1]!.citizen_id);
  });

  async function requestCode(jar: CookieJar, phone: string, client = '10.5.50.77'): Promise<{ status: number; html: string }> {
    const start = await begin(jar, {}, client);
    const res = await s.t.call('POST', '/portal/otp/request', { form: { csrf: csrfOf(start.html), phone, accept: 'yes' }, jar, client });
    return { status: res.status, html: await res.text() };
  }

  async function outboxCode(): Promise<string> {
    const res = await s.t.call('GET', '/api/v1/portal/sms-outbox?limit=1', { headers: { cookie: s.admin } });
    return /(\d{6})/.exec(((await res.json()) as { items: Array<{ text: string }> }).items[0]!.text)![1]!;
  }

  it('stores one-time codes only hashed, expires them in minutes and never accepts one twice', async () => {
    const jar = new CookieJar();
    const sent = await requestCode(jar, '081311110001');
    const code = await outboxCode();
    const rows = await portalDb(s.handle.db).selectFrom('portal_otps').selectAll().execute();
    for (const r of rows) expect(JSON.stringify(r)).not.toContain(code);
    s.t.clock.advance(5 * 60_000 + 1000);
    const late = await s.t.call('POST', '/portal/otp/verify', { form: { csrf: csrfOf(sent.html), code }, jar });
    expect(await late.text()).toContain('Kode sudah kedaluwarsa');
    s.t.clock.advance(-(5 * 60_000 + 1000));

    const jar2 = new CookieJar();
    const sent2 = await requestCode(jar2, '081311110002');
    const code2 = await outboxCode();
    const ok = await s.t.call('POST', '/portal/otp/verify', { form: { csrf: csrfOf(sent2.html), code: code2 }, jar: jar2 });
    expect(handoffForm(await ok.text())).not.toBeNull();
    const replay = await s.t.call('POST', '/portal/otp/verify', { form: { csrf: csrfOf(sent2.html), code: code2 }, jar: jar2 });
    const replayHtml = await replay.text();
    expect(handoffForm(replayHtml)).toBeNull();
    expect(replayHtml).toContain('Kode ini sudah dipakai');
  });

  it('locks a number after 5 wrong codes, even for the right code and for new codes', async () => {
    const jar = new CookieJar();
    const sent = await requestCode(jar, '081311110003');
    const code = await outboxCode();
    const wrong = code === '000000' ? '111111' : '000000';
    let last = '';
    for (let i = 0; i < 5; i++) last = await (await s.t.call('POST', '/portal/otp/verify', { form: { csrf: csrfOf(sent.html), code: wrong }, jar })).text();
    expect(last).toContain('Terlalu banyak kode salah');
    const right = await s.t.call('POST', '/portal/otp/verify', { form: { csrf: csrfOf(sent.html), code }, jar });
    expect(right.status).toBe(429);
    expect(handoffForm(await right.text())).toBeNull();
    const fresh = await requestCode(new CookieJar(), '0813-1111-0003');
    expect(fresh.html).toContain('Terlalu banyak kode salah');
  });

  it('limits code requests per number and per client address', async () => {
    for (let i = 0; i < 3; i++) expect((await requestCode(new CookieJar(), '081311110004', '10.5.50.101')).status).toBe(200);
    const fourth = await requestCode(new CookieJar(), '081311110004', '10.5.50.102');
    expect(fourth.status).toBe(429);
    expect(fourth.html).toContain('Terlalu banyak permintaan kode');
    for (let i = 0; i < 10; i++) expect((await requestCode(new CookieJar(), `08131112${String(i).padStart(4, '0')}`, '10.5.50.200')).status).toBe(200);
    const eleventh = await requestCode(new CookieJar(), '081311129999', '10.5.50.200');
    expect(eleventh.status).toBe(429);
  });

  it('limits voucher guessing per client address', async () => {
    const jar = new CookieJar();
    let last = 0;
    let html = '';
    for (let i = 0; i < 11; i++) {
      const start = await begin(jar, {}, '10.5.50.150');
      const res = await s.t.call('POST', '/portal/voucher', { form: { csrf: csrfOf(start.html), code: 'ABCDE-FGHJK', accept: 'yes' }, jar, client: '10.5.50.150' });
      last = res.status;
      html = await res.text();
    }
    expect(last).toBe(200);
    expect(html).toContain('Terlalu banyak percobaan voucher');
  });

  it('keeps every citizen page under 30 KB with no external assets and no inline script', async () => {
    const jar = new CookieJar();
    const start = await begin(jar);
    const pages = [start.html];
    pages.push(await (await s.t.call('GET', '/portal/terms')).text());
    pages.push(await (await s.t.call('GET', '/portal/my-data')).text());
    pages.push(await (await s.t.call('POST', '/portal/otp/request', { form: { csrf: csrfOf(start.html), phone: '081399990000', accept: 'yes' }, jar })).text());
    const j2 = new CookieJar();
    const s2 = await begin(j2, { mac: 'AA:BB:CC:77:00:01' });
    pages.push(await (await s.t.call('POST', '/portal/terms', { form: { csrf: csrfOf(s2.html), accept: 'yes' }, jar: j2 })).text());
    for (const p of pages) {
      expect(new TextEncoder().encode(p).length).toBeLessThanOrEqual(30 * 1024);
      expect(p).not.toMatch(/<(link|img|iframe)\b/i);
      for (const m of p.matchAll(/<script\b([^>]*)>/gi)) expect(m[1]).toContain('src="/portal/assets/handoff.js"');
    }
  });
});
