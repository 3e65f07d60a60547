/**
 * Alert channels against real local peers, on SQLite and Postgres: a Telegram Bot API server on loopback speaking
 * sendMessage, an SMTP server with STARTTLS and AUTH (smtp-server), and a webhook receiver. Incidents arrive through
 * the real ingest route; acknowledgements through the API. Messages are in Bahasa Indonesia; filters (ward,
 * severity, events) decide who hears what; secrets are never returned.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeMailer } from '../../../server/notify/smtp-node.ts';
import { verifySignatureHeader } from '../../../server/notify/signature.ts';
import { makeTestApp, type TestApp } from '../../helpers/app.ts';
import { DIALECTS, openTestDb } from '../../helpers/db.ts';
import { startFakeBotApi, type FakeBotApi } from '../../peers/telegram/bot-api.ts';
import { startSmtpPeer, type SmtpPeer } from '../../peers/smtp/smtp-peer.ts';

const TOKEN = '123456789:AAHk-test_token_for_jangkau_0123456789';
const CHAT = '-1001234567890';
const OTHER_CHAT = '-1009999999999';
const WEBHOOK_SECRET = 'a-webhook-secret-of-32-characters!';

interface Hook {
  url: string;
  got: { headers: Record<string, string | string[] | undefined>; body: string }[];
  server: Server;
}

async function webhookReceiver(): Promise<Hook> {
  const got: Hook['got'] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jangkau`, got, server };
}

async function until<T>(fn: () => T | Promise<T>, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out; last value ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each(DIALECTS)('alert channels on %s', (dialect) => {
  let t: TestApp;
  let admin: string;
  let engineer: string;
  let viewer: string;
  let bot: FakeBotApi;
  let smtp: SmtpPeer;
  let plainSmtp: SmtpPeer;
  let hook: Hook;
  const ids = { ap: '', router: '', siteA: '', siteB: '' };
  const wardA = 'W-A';
  const wardB = 'W-B';

  const json = async <T>(res: Response): Promise<T> => {
    const text = await res.text();
    if (!res.ok) throw new Error(`${res.status} ${text}`);
    return JSON.parse(text) as T;
  };

  beforeAll(async () => {
    [bot, smtp, plainSmtp, hook] = await Promise.all([
      startFakeBotApi({ token: TOKEN, chats: [CHAT, OTHER_CHAT] }),
      startSmtpPeer({ user: 'noc@cilegon.go.id', pass: 'smtp-password-1' }),
      startSmtpPeer({ user: 'noc@cilegon.go.id', pass: 'smtp-password-1', starttls: false }),
      webhookReceiver(),
    ]);
    t = await makeTestApp(await openTestDb(dialect), { deps: { mailer: nodeMailer } });
    [admin, engineer, viewer] = await Promise.all([t.signIn('admin'), t.signIn('engineer'), t.signIn('viewer')]);
    // The peers (bot API, webhook receiver) live on loopback: an admin allows private networks first (issue 10).
    await json(await t.call('PUT', '/api/v1/settings/outbound', { as: admin, json: { allowPrivate: true } }));
    // Two wards (squares side by side) with a site each: an access point in A, a router in B.
    const square = (x0: number): number[][][] => [[[x0, -6.0], [x0 + 0.01, -6.0], [x0 + 0.01, -5.99], [x0, -5.99], [x0, -6.0]]];
    const wards = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { code: wardA, name: 'Citangkil', district: 'Citangkil' }, geometry: { type: 'Polygon', coordinates: square(106.0) } },
        { type: 'Feature', properties: { code: wardB, name: 'Kebonsari', district: 'Citangkil' }, geometry: { type: 'Polygon', coordinates: square(106.02) } },
      ],
    };
    await json(await t.call('POST', '/api/v1/wards/import?codeProp=code&nameProp=name&districtProp=district', { as: admin, body: JSON.stringify(wards), contentType: 'application/geo+json' }));
    ids.siteA = (await json<{ id: string }>(await t.call('POST', '/api/v1/sites', { as: admin, json: { name: 'Balai Citangkil', lat: -5.995, lon: 106.005, status: 'live' } }))).id;
    ids.siteB = (await json<{ id: string }>(await t.call('POST', '/api/v1/sites', { as: admin, json: { name: 'Pasar Kebonsari', lat: -5.995, lon: 106.025, status: 'live' } }))).id;
    ids.ap = (await json<{ id: string }>(await t.call('POST', '/api/v1/devices', { as: admin, json: { name: 'AP Balai <Citangkil>', role: 'ap', address: '127.0.0.1', siteId: ids.siteA, vendor: 'generic', snmp: { community: 'c' } } }))).id;
    ids.router = (await json<{ id: string }>(await t.call('POST', '/api/v1/devices', { as: admin, json: { name: 'Router Pasar', role: 'router', address: '127.0.0.2', siteId: ids.siteB, vendor: 'generic', snmp: { community: 'c' } } }))).id;
  }, 60_000);

  afterAll(async () => {
    await Promise.all([bot.close(), smtp.close(), plainSmtp.close(), new Promise<void>((ok) => hook.server.close(() => ok()))]);
    await t.handle.close();
  });

  const ingest = async (events: unknown[], batchId: string): Promise<void> => {
    await json(await t.call('POST', '/api/v1/ingest', { as: admin, body: JSON.stringify({ collectorId: 'test', batchId, createdAtMs: t.clock.nowMs(), items: [], events }), contentType: 'application/json' }));
  };

  let telegramId = '';
  let emailId = '';
  let webhookId = '';

  it('sets up Telegram, e-mail and webhook channels; secrets are write-only and a viewer may not see them', async () => {
    const tg = await json<{ id: string; secretSet: boolean; target: string }>(
      await t.call('POST', '/api/v1/alerts/channels', {
        as: engineer,
        json: { kind: 'telegram', name: 'Grup NOC Diskominfo', settings: { chatId: CHAT, apiBaseUrl: bot.baseUrl }, secret: TOKEN, minSeverity: 'warning' },
      }),
    );
    telegramId = tg.id;
    expect(tg.secretSet).toBe(true);
    expect(tg.target).toBe(CHAT);
    const mail = await json<{ id: string }>(
      await t.call('POST', '/api/v1/alerts/channels', {
        as: engineer,
        json: {
          kind: 'email', name: 'Email piket', wardCodes: [wardB], minSeverity: 'critical',
          settings: { host: smtp.host, port: smtp.port, security: 'starttls', username: 'noc@cilegon.go.id', from: 'jangkau@cilegon.go.id', to: ['piket@cilegon.go.id', 'kabid@cilegon.go.id'], caPem: smtp.certPem },
          secret: 'smtp-password-1',
        },
      }),
    );
    emailId = mail.id;
    const wh = await json<{ id: string }>(
      await t.call('POST', '/api/v1/alerts/channels', { as: admin, json: { kind: 'webhook', name: 'Command centre', settings: { url: hook.url }, secret: WEBHOOK_SECRET, events: ['opened', 'acknowledged'] } }),
    );
    webhookId = wh.id;
    const list = await t.call('GET', '/api/v1/alerts/channels', { as: admin });
    const text = await list.text();
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain('smtp-password-1');
    expect(text).not.toContain(WEBHOOK_SECRET);
    expect((JSON.parse(text) as { items: unknown[] }).items).toHaveLength(3);
    expect((await t.call('GET', '/api/v1/alerts/channels', { as: viewer })).status).toBe(403);
    // The old webhook list sees the webhook channel.
    expect(((await json<{ items: { id: string }[] }>(await t.call('GET', '/api/v1/webhooks', { as: admin }))).items.map((w) => w.id))).toEqual([webhookId]);
  });

  it('refuses bad settings with a clear error and stores nothing', async () => {
    const bad = [
      { kind: 'telegram', name: 'x', settings: { chatId: 'not a chat' }, secret: TOKEN },
      { kind: 'telegram', name: 'x', settings: { chatId: CHAT }, secret: 'not-a-token' },
      { kind: 'telegram', name: 'x', settings: { chatId: CHAT, apiBaseUrl: 'ftp://api.telegram.org' }, secret: TOKEN },
      { kind: 'webhook', name: 'x', settings: { url: 'http://user:pw@example.org/hook' }, secret: WEBHOOK_SECRET },
      { kind: 'email', name: 'x', settings: { host: 'smtp.example.org', from: 'a@b.id', to: [] } },
    ];
    const answers = await Promise.all(bad.map((json) => t.call('POST', '/api/v1/alerts/channels', { as: admin, json })));
    for (const r of answers) {
      expect(r.status).toBe(422);
      const body = (await r.json()) as { details?: unknown[] };
      expect(body.details?.length ?? 0).toBeGreaterThan(0);
    }
    expect((await json<{ items: unknown[] }>(await t.call('GET', '/api/v1/alerts/channels', { as: admin }))).items).toHaveLength(3);
  });

  it('sends a test message through each real peer, and says why when it cannot', async () => {
    const [tg, mail, wh] = await Promise.all([telegramId, emailId, webhookId].map(async (id) => json<{ delivered: boolean; error: string | null }>(await t.call('POST', `/api/v1/alerts/channels/${id}/test`, { as: engineer }))));
    expect(tg).toMatchObject({ delivered: true });
    expect(mail).toMatchObject({ delivered: true });
    expect(wh).toMatchObject({ delivered: true });
    expect(bot.messages.at(-1)!.text).toContain('Pesan uji dari Jangkau');
    const m = smtp.received.at(-1)!;
    expect(m.secure).toBe(true); // STARTTLS was used before AUTH and DATA
    expect(m.to.sort()).toEqual(['kabid@cilegon.go.id', 'piket@cilegon.go.id']);
    expect(m.raw).toMatch(/Subject: =\?UTF-8\?Q\?=5BJangkau=5D_Uji_saluran_peringatan/);
    expect(m.raw).toContain('Pesan uji dari Jangkau');
    const testHook = hook.got.at(-1)!;
    expect(testHook.headers['x-jangkau-event']).toBe('test');
    // A wrong chat, a server without STARTTLS, a wrong password: refused with the peer's reason.
    const wrongChat = await json<{ id: string }>(await t.call('POST', '/api/v1/alerts/channels', { as: admin, json: { kind: 'telegram', name: 'salah', settings: { chatId: '-1000000000001', apiBaseUrl: bot.baseUrl }, secret: TOKEN } }));
    const noTls = await json<{ id: string }>(
      await t.call('POST', '/api/v1/alerts/channels', {
        as: admin,
        json: { kind: 'email', name: 'tanpa TLS', settings: { host: plainSmtp.host, port: plainSmtp.port, from: 'jangkau@cilegon.go.id', to: ['a@cilegon.go.id'], username: 'noc@cilegon.go.id' }, secret: 'smtp-password-1' },
      }),
    );
    const wrongPass = await json<{ id: string }>(
      await t.call('POST', '/api/v1/alerts/channels', {
        as: admin,
        json: { kind: 'email', name: 'sandi salah', settings: { host: smtp.host, port: smtp.port, from: 'jangkau@cilegon.go.id', to: ['a@cilegon.go.id'], username: 'noc@cilegon.go.id', caPem: smtp.certPem }, secret: 'wrong' },
      }),
    );
    const [a, b, c] = (await Promise.all([wrongChat.id, noTls.id, wrongPass.id].map(async (id) => json<{ delivered: boolean; error: string | null }>(await t.call('POST', `/api/v1/alerts/channels/${id}/test`, { as: admin }))))) as [{ delivered: boolean; error: string | null }, { delivered: boolean; error: string | null }, { delivered: boolean; error: string | null }];
    expect(a.delivered).toBe(false);
    expect(a.error).toContain('chat not found');
    expect(b.delivered).toBe(false);
    expect(b.error).toMatch(/STARTTLS/i);
    expect(plainSmtp.received).toHaveLength(0);
    expect(c.delivered).toBe(false);
    expect(c.error).toMatch(/535|Invalid/);
    for (const id of [wrongChat.id, noTls.id, wrongPass.id]) expect((await t.call('DELETE', `/api/v1/alerts/channels/${id}`, { as: admin })).status).toBe(200);
    // Each test is in the channel's delivery log.
    const log = await json<{ items: { event: string; ok: boolean }[] }>(await t.call('GET', `/api/v1/alerts/channels/${telegramId}/deliveries`, { as: admin }));
    expect(log.items[0]).toMatchObject({ event: 'test', ok: true });
  }, 60_000);

  it('sends incident start and end in Bahasa Indonesia to the channels whose filters match', async () => {
    const tgBefore = bot.messages.length;
    const mailBefore = smtp.received.length;
    const hookBefore = hook.got.length;
    const start = t.clock.nowMs() - 20 * 60_000;
    const apInc = `${ids.ap}@${start}`;
    const routerInc = `${ids.router}@${start}`;
    await ingest(
      [
        { type: 'incident_opened', deviceId: ids.ap, incidentId: apInc, startedAtMs: start, detectedAtMs: start + 90_000, cause: { kind: 'timeout', message: 'no answer within 1500 ms' } },
        { type: 'incident_opened', deviceId: ids.router, incidentId: routerInc, startedAtMs: start, detectedAtMs: start + 90_000, cause: { kind: 'refused', message: 'connection refused' } },
      ],
      `b-open-${dialect}`,
    );
    // Telegram (every ward, warning and up): both. E-mail (ward B, critical only): the router. Webhook (opened): both.
    await until(() => bot.messages.length - tgBefore, (n) => n >= 2);
    await until(() => smtp.received.length - mailBefore, (n) => n >= 1);
    await until(() => hook.got.length - hookBefore, (n) => n >= 2);
    const tg = bot.messages.slice(tgBefore).map((m) => m.text);
    expect(tg.some((x) => x.includes('GANGGUAN') && x.includes('AP Balai <Citangkil> mati') && x.includes('Kel. Citangkil') && x.includes('tidak ada jawaban'))).toBe(true);
    expect(tg.some((x) => x.includes('KRITIS') && x.includes('Router Pasar'))).toBe(true);
    expect(smtp.received.slice(mailBefore).map((m) => m.raw).join('\n')).toMatch(/Router Pasar/);
    expect(smtp.received.slice(mailBefore).map((m) => m.raw).join('\n')).not.toMatch(/AP Balai/);
    const payload = JSON.parse(hook.got[hookBefore]!.body) as { type: string; severity: string; text: string };
    expect(payload.type).toBe('incident.opened');
    expect(['warning', 'critical']).toContain(payload.severity);
    const sig = await verifySignatureHeader(WEBHOOK_SECRET, hook.got[hookBefore]!.headers['x-jangkau-signature'] as string, hook.got[hookBefore]!.body, { nowS: Math.floor(t.clock.nowMs() / 1000) });
    expect(sig.ok).toBe(true);

    // The end: Telegram hears it ("PULIH" with how long), the webhook (opened + acknowledged only) does not.
    const hookAfterOpen = hook.got.length;
    await ingest([{ type: 'incident_closed', deviceId: ids.ap, incidentId: apInc, startedAtMs: start, detectedAtMs: start + 90_000, endedAtMs: start + (2 * 60 + 14) * 60_000, cause: { kind: 'timeout', message: 'x' } }], `b-close-${dialect}`);
    await until(() => bot.messages.slice(tgBefore).filter((m) => m.text.includes('PULIH')).length, (n) => n >= 1);
    expect(bot.messages.find((m) => m.text.includes('PULIH'))!.text).toContain('2 jam 14 menit');
    await new Promise((r) => setTimeout(r, 300));
    expect(hook.got.length).toBe(hookAfterOpen);
  }, 60_000);

  it('records who acknowledged an incident (one winner when two try at once) and tells the channels', async () => {
    const open = await json<{ items: { id: string; deviceId: string; acknowledged: unknown }[] }>(await t.call('GET', `/api/v1/incidents?open=true&deviceId=${ids.router}`, { as: admin }));
    const id = open.items[0]!.id;
    expect(open.items[0]!.acknowledged).toBeNull();
    const tgBefore = bot.messages.length;
    const hookBefore = hook.got.length;
    const [r1, r2] = await Promise.all([
      t.call('POST', `/api/v1/incidents/${encodeURIComponent(id)}/ack`, { as: engineer, json: { note: 'Teknisi menuju lokasi' } }),
      t.call('POST', `/api/v1/incidents/${encodeURIComponent(id)}/ack`, { as: admin, json: {} }),
    ]);
    expect([r1.status, r2.status].sort()).toEqual([200, 409]);
    expect((await t.call('POST', `/api/v1/incidents/${encodeURIComponent(id)}/ack`, { as: viewer, json: {} })).status).toBe(403);
    const after = await json<{ items: { acknowledged: { by: string; at: string; note: string | null } | null }[] }>(await t.call('GET', `/api/v1/incidents?acknowledged=true&deviceId=${ids.router}`, { as: viewer }));
    expect(after.items).toHaveLength(1);
    expect(after.items[0]!.acknowledged!.by).toMatch(/@test\.local/);
    await until(() => bot.messages.slice(tgBefore).filter((m) => m.text.includes('DITANGANI')).length, (n) => n >= 1);
    await until(() => hook.got.length - hookBefore, (n) => n >= 1);
    expect(JSON.parse(hook.got[hookBefore]!.body)).toMatchObject({ type: 'incident.acknowledged' });
  }, 30_000);

  it('filters the fleet-wide incident list by ward, site, provider, cause, state and period', async () => {
    const q = async (qs: string): Promise<string[]> => (await json<{ items: { deviceId: string }[] }>(await t.call('GET', `/api/v1/incidents?${qs}`, { as: viewer }))).items.map((i) => i.deviceId);
    expect(await q(`wardCode=${wardA}`)).toEqual([ids.ap]);
    expect(await q(`siteId=${ids.siteB}`)).toEqual([ids.router]);
    expect(await q('cause=refused')).toEqual([ids.router]);
    expect(await q('open=false')).toEqual([ids.ap]);
    expect(await q('open=true')).toEqual([ids.router]);
    expect(await q(`to=${new Date(t.clock.nowMs() - 3_600_000).toISOString()}`)).toEqual([]);
    expect((await t.call('GET', '/api/v1/incidents?from=yesterday', { as: viewer })).status).toBe(422);
  });

  it('mutes start and end inside a maintenance window, and ends a window early from the API', async () => {
    const now = t.clock.nowMs();
    const mw = await json<{ id: string }>(await t.call('POST', '/api/v1/maintenance', { as: engineer, json: { siteId: ids.siteA, startsAt: new Date(now - 60_000).toISOString(), endsAt: new Date(now + 3_600_000).toISOString(), reason: 'Ganti kabel' } }));
    const before = bot.messages.length;
    const start = now - 30_000;
    await ingest([{ type: 'incident_opened', deviceId: ids.ap, incidentId: `${ids.ap}@${start}`, startedAtMs: start, detectedAtMs: now - 1000, cause: { kind: 'timeout', message: 'x' } }], `b-mw-${dialect}`);
    // Its end is muted too: nobody hears "restored" for an alert they never got.
    await ingest([{ type: 'incident_closed', deviceId: ids.ap, incidentId: `${ids.ap}@${start}`, startedAtMs: start, detectedAtMs: now - 1000, endedAtMs: now - 500, cause: { kind: 'timeout', message: 'x' } }], `b-mw-close-${dialect}`);
    await new Promise((r) => setTimeout(r, 500));
    expect(bot.messages.length).toBe(before);
    const list = await json<{ items: { id: string; state: string; siteName: string | null }[] }>(await t.call('GET', '/api/v1/maintenance?state=active', { as: viewer }));
    expect(list.items.find((m) => m.id === mw.id)).toMatchObject({ state: 'active', siteName: 'Balai Citangkil' });
    const ended = await json<{ state: string }>(await t.call('POST', `/api/v1/maintenance/${mw.id}/end`, { as: engineer }));
    expect(ended.state).toBe('past');
    expect((await t.call('POST', `/api/v1/maintenance/${mw.id}/end`, { as: engineer })).status).toBe(409);
  });
});
