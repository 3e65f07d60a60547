/**
 * Issue 14: codes reach phones through a generic HTTP gateway configured by an admin, tested against a real HTTP
 * server on loopback (test/portal/peers/sms-gateway.ts) that accepts, fails, refuses, holds its answer, answers 200
 * with a body that says failure, or is gone. Retries are made by the `sms-delivery` background job, never in the
 * request; a daily cost cap refuses beyond it; the citizen is offered the voucher path; no number reaches a log.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { portalDb } from '../../server/portal/queries/types.ts';
import type { DbHandle } from '../../server/db/types.ts';
import { runDueJobs } from '../../server/jobs/run-due.ts';
import { purgePortalData } from '../../server/portal/services/citizen-data.ts';
import { BACKGROUND_JOBS } from '../../server/jobs/table.ts';
import type { Logger } from '../../server/log.ts';
import { DIALECTS, openTestDb } from '../helpers/db.ts';
import { CookieJar, csrfOf, hotspotVars, makePortalApp, ORIGIN, seedHotspot, type PortalTestApp, type SeededHotspot } from './helpers.ts';
import { startFakeGateway, type FakeGateway } from './peers/sms-gateway.ts';
import { startFakeBotApi, type FakeBotApi } from '../peers/telegram/bot-api.ts';

const SMS_JOB = BACKGROUND_JOBS.filter((j) => j.name === 'sms-delivery');
const BOT_TOKEN = '123456789:AAHk-test_token_for_jangkau_0123456789';
const NOC_CHAT = '-1001234567890';
const CRITICAL_ONLY_CHAT = '-1009999999999';

interface SmsStatus {
  today: { day: string; counted: number; sent: number; failed: number; queued: number; costIdr: number; capReached: boolean };
  items: Array<{ id: string; status: string; attempts: number; lastError: string | null; nextAttemptAt: string | null }>;
}

describe.each(DIALECTS)('HTTP SMS gateway (%s)', (dialect) => {
  let handle: DbHandle;
  let t: PortalTestApp;
  let h: SeededHotspot;
  let gw: FakeGateway;
  let bot: FakeBotApi;
  let admin: string;
  const logs: string[] = [];
  const log: Logger = {
    info: (m, f) => void logs.push(`${m} ${JSON.stringify(f ?? {})}`),
    warn: (m, f) => void logs.push(`${m} ${JSON.stringify(f ?? {})}`),
    error: (m, f) => void logs.push(`${m} ${JSON.stringify(f ?? {})}`),
  };
  let clientN = 0;
  const numbersUsed: string[] = [];

  beforeAll(async () => {
    handle = await openTestDb(dialect);
    t = await makePortalApp(handle, { log });
    h = await seedHotspot(handle);
    gw = await startFakeGateway();
    bot = await startFakeBotApi({ token: BOT_TOKEN, chats: [NOC_CHAT, CRITICAL_ONLY_CHAT] });
    admin = await t.staffCookie('admin');
    // The fake gateway listens on loopback: as for a city's own gateway on its private network, an admin allows it.
    expect((await outbound(true)).status).toBe(200);
  });
  afterAll(async () => {
    await gw.close();
    await bot.close();
    await handle.close();
  });

  function outbound(allowPrivate: boolean): Promise<Response> {
    return t.call('PUT', '/api/v1/settings/outbound', { headers: { cookie: admin, origin: ORIGIN }, json: { allowPrivate } });
  }
  async function configure(sms: Record<string, unknown>): Promise<Response> {
    return t.call('PUT', '/api/v1/portal/settings', { headers: { cookie: admin, origin: ORIGIN }, json: { sms: { kind: 'http', ...sms } } });
  }
  /** A citizen at the hotspot asks for a code (each from an address of their own, so no per-address limit bites). */
  async function askCode(localNumber: string): Promise<{ res: Response; html: string }> {
    numbersUsed.push(localNumber.replace(/\D/g, '').slice(1));
    const jar = new CookieJar();
    const client = `10.5.51.${++clientN}`;
    const start = await t.call('POST', '/portal/login', { form: hotspotVars(h), jar, client });
    const res = await t.call('POST', '/portal/otp/request', { form: { csrf: csrfOf(await start.text()), phone: localNumber, accept: 'yes' }, jar, client });
    return { res, html: await res.text() };
  }
  async function status(): Promise<SmsStatus> {
    const r = await t.call('GET', '/api/v1/portal/sms/messages?limit=200', { headers: { cookie: admin } });
    expect(r.status).toBe(200);
    return (await r.json()) as SmsStatus;
  }
  async function drain(): Promise<void> {
    const [o] = await runDueJobs(t.jobCtx(), { runner: 'test', jobs: SMS_JOB });
    expect(o!.outcome).not.toBe('failed');
  }


  it('refuses a gateway on loopback or a private network until an admin allows private networks (outbound policy)', async () => {
    try {
      expect((await outbound(false)).status).toBe(200);
      const refused = await configure({ url: gw.url, token: 'sms-secret-token-0' });
      expect(refused.status).toBe(422);
      expect(await refused.text()).toMatch(/loopback addresses are refused unless an admin allows private networks/);
      // Link-local (cloud metadata) stays refused whatever the setting.
      expect((await outbound(true)).status).toBe(200);
      const metadata = await configure({ url: 'http://169.254.169.254/latest', token: 'sms-secret-token-0' });
      expect(metadata.status).toBe(422);
    } finally {
      expect((await outbound(true)).status).toBe(200);
    }
  });
  it('a bearer token as before: JSON { to, text }, the token sealed and never shown', async () => {
    gw.mode = { kind: 'ok' };
    const put = await configure({ url: gw.url, token: 'sms-secret-token' });
    expect(put.status).toBe(200);
    const shown = JSON.stringify(await put.json());
    expect(shown).not.toContain('sms-secret-token');
    expect(shown).toContain('"tokenSet":true');
    const stored = await portalDb(handle.db).selectFrom('portal_settings').selectAll().execute();
    expect(JSON.stringify(stored)).not.toContain('sms-secret-token');

    gw.received.length = 0;
    const { res, html } = await askCode('0857 1111 2222');
    expect(res.status).toBe(200);
    expect(html).toContain('Kami mengirim kode 6 angka');
    expect(gw.received).toHaveLength(1);
    expect(gw.received[0]!.headers.authorization).toBe('Bearer sms-secret-token');
    expect(gw.received[0]!.headers['content-type']).toBe('application/json');
    const body = JSON.parse(gw.received[0]!.body) as { to: string; text: string };
    expect(body.to).toBe('+6285711112222');
    expect(body.text).toMatch(/Kode Wi-Fi Cilegon: \d{6}/);
    expect(await portalDb(handle.db).selectFrom('portal_sms_outbox').selectAll().execute()).toHaveLength(0);
    expect((await status()).items[0]).toMatchObject({ status: 'sent', attempts: 1, lastError: null });
  });

  it('the Zenziva preset: a form body with sealed secrets escaped (& and = stay inside their field), the number as 08...', async () => {
    gw.mode = { kind: 'ok', body: '{"messageId":"1","to":"0857","status":"1","text":"Success"}' };
    const put = await configure({ preset: 'zenziva', url: gw.url, secrets: [{ name: 'userkey', value: 'uk-1' }, { name: 'passkey', value: 'p&ss=w rd+%' }] });
    expect(put.status).toBe(200);
    const shown = (await put.json()) as { sms: { secrets: unknown; bodyTemplate: string; phoneFormat: string } };
    expect(shown.sms.secrets).toEqual([{ name: 'userkey', set: true }, { name: 'passkey', set: true }]);
    expect(shown.sms.phoneFormat).toBe('national');
    expect(JSON.stringify(shown)).not.toContain('p&ss');
    const stored = JSON.stringify(await portalDb(handle.db).selectFrom('portal_settings').selectAll().execute());
    expect(stored).not.toContain('p&ss');
    expect(stored).not.toContain('uk-1');

    gw.received.length = 0;
    const { res } = await askCode('0857 1111 3333');
    expect(res.status).toBe(200);
    const got = gw.received[0]!;
    expect(got.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const form = new URLSearchParams(got.body);
    expect([...form.keys()]).toEqual(['userkey', 'passkey', 'to', 'message']);
    expect(form.get('passkey')).toBe('p&ss=w rd+%');
    expect(form.get('to')).toBe('085711113333');
    expect(form.get('message')).toMatch(/^Kode Wi-Fi Cilegon: \d{6} \(berlaku 5 menit\)/);

    // The same gateway answering 200 with "status":"0" did not take the message.
    gw.mode = { kind: 'ok', body: '{"status":"0","text":"Saldo tidak cukup"}' };
    const { res: res2, html } = await askCode('0857 1111 4444');
    expect(res2.status).toBe(200);
    expect(html).toContain('Kode belum terkirim');
    expect((await status()).items[0]).toMatchObject({ status: 'queued', attempts: 1 });
    expect((await status()).items[0]!.lastError).toContain('"status":"1"');
  });

  it('a JSON template: values escaped inside their strings; a template that is not JSON once filled is refused', async () => {
    const bad = await configure({ preset: 'custom', url: gw.url, contentType: 'json', bodyTemplate: '{"to":{phone},"text":"{message}"}' });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(await bad.json())).toContain('bodyTemplate');
    const noPhone = await configure({ preset: 'custom', url: gw.url, contentType: 'json', bodyTemplate: '{"text":"{message}"}' });
    expect(noPhone.status).toBe(422);
    const noSecret = await configure({ preset: 'custom', url: gw.url, contentType: 'form', bodyTemplate: 'k={secret:apikey}&to={phone}&m={message}' });
    expect(noSecret.status).toBe(422);
    const notHttp = await configure({ preset: 'custom', url: 'file:///etc/passwd' });
    expect(notHttp.status).toBe(422);

    gw.mode = { kind: 'ok', body: '{"ok": true}' };
    const put = await configure({
      preset: 'custom',
      url: gw.url,
      contentType: 'json',
      bodyTemplate: '{"key":"{secret:k}","msisdn":"{phone}","msg":"{message}","channel":"sms"}',
      phoneFormat: 'international',
      successBodyMatch: '"ok":true',
      secrets: [{ name: 'k', value: 'a"b\\c\n},"x":"y' }],
      headers: [{ name: 'X-Api-Key', value: 'hdr-secret' }],
    });
    expect(put.status).toBe(200);
    expect(JSON.stringify(await put.json())).not.toContain('hdr-secret');
    gw.received.length = 0;
    const { res } = await askCode('0857 1111 5555');
    expect(res.status).toBe(200);
    const got = gw.received[0]!;
    expect(got.headers['x-api-key']).toBe('hdr-secret');
    const body = JSON.parse(got.body) as Record<string, string>;
    expect(Object.keys(body)).toEqual(['key', 'msisdn', 'msg', 'channel']);
    expect(body.key).toBe('a"b\\c\n},"x":"y');
    expect(body.msisdn).toBe('6285711115555');
  });

  it('retries in the background with back-off until sent; a held answer times out and is retried', async () => {
    // Keep the stored headers and secrets (listed without values), switch to a gateway that does not answer in time.
    const put = await configure({ timeoutMs: 300, headers: [{ name: 'X-Api-Key' }], secrets: [{ name: 'k' }] });
    expect(put.status).toBe(200);
    gw.mode = { kind: 'hold' };
    gw.received.length = 0;
    const { html } = await askCode('0857 1111 6666');
    expect(html).toContain('Kode belum terkirim');
    expect(html).toContain('Kode tidak datang?');
    expect(html).toContain('action="/portal/voucher"');
    gw.release();
    const first = (await status()).items[0]!;
    expect(first).toMatchObject({ status: 'queued', attempts: 1, lastError: 'timeout' });

    // Not due before its back-off (15 s): the job sends nothing for it.
    gw.mode = { kind: 'ok', body: '{"ok":true}' };
    const to6666 = (): number => gw.received.filter((r) => r.body.includes('"msisdn":"6285711116666"')).length;
    t.clock.advance(5_000);
    await drain();
    expect(to6666()).toBe(1);
    t.clock.advance(11_000);
    await drain();
    expect(to6666()).toBe(2);
    const after = (await status()).items.find((i) => i.id === first.id)!;
    expect(after).toMatchObject({ status: 'sent', attempts: 2, nextAttemptAt: null });
    // Once final, neither the number nor the text is kept.
    const row = await portalDb(handle.db).selectFrom('portal_sms_messages').selectAll().where('id', '=', first.id).executeTakeFirstOrThrow();
    expect(row.phone_sealed).toBeNull();
    expect(row.body_sealed).toBeNull();
  });

  it('a slow gateway within its time limit is a success; a gateway that is gone is retried, bounded, then failed', async () => {
    await configure({ timeoutMs: 5000, headers: [{ name: 'X-Api-Key' }], secrets: [{ name: 'k' }] });
    gw.mode = { kind: 'delay', ms: 150, body: '{"ok":true}' };
    const { html } = await askCode('0857 1111 7777');
    expect(html).toContain('Kami mengirim kode 6 angka');
    expect((await status()).items[0]).toMatchObject({ status: 'sent', attempts: 1 });

    // A gateway that refuses connections (nothing listens there any more).
    const gone = await startFakeGateway();
    await gone.close();
    await configure({ url: gone.url, headers: [{ name: 'X-Api-Key' }], secrets: [{ name: 'k' }] });
    const { html: html2 } = await askCode('0857 1111 8888');
    expect(html2).toContain('Kode belum terkirim');
    const id = (await status()).items[0]!.id;
    expect((await status()).items[0]).toMatchObject({ status: 'queued', attempts: 1, lastError: 'connection refused' });
    for (const wait of [15_000, 30_000, 60_000, 120_000]) {
      t.clock.advance(wait + 100);
      await drain();
    }
    const end = (await status()).items.find((i) => i.id === id)!;
    expect(end).toMatchObject({ status: 'failed', attempts: 5, lastError: 'connection refused', nextAttemptAt: null });
    t.clock.advance(300_000);
    await drain();
    expect((await status()).items.find((i) => i.id === id)!.attempts).toBe(5);
  });

  it('a refusal (401) is not retried: the citizen is told at once and offered the voucher', async () => {
    gw.mode = { kind: 'status', status: 401, body: '{"status":false,"reason":"invalid token"}' };
    await configure({ url: gw.url, headers: [{ name: 'X-Api-Key' }], secrets: [{ name: 'k' }] });
    const { res, html } = await askCode('0857 1111 9999');
    expect(res.status).toBe(503);
    expect(html).toContain('SMS tidak dapat dikirim saat ini');
    expect(html).toContain('action="/portal/voucher"');
    expect((await status()).items[0]).toMatchObject({ status: 'failed', attempts: 1, lastError: 'HTTP 401' });
  });

  it('the daily cost cap: messages x price, refused beyond it with the voucher offered, staff told once', async () => {
    gw.mode = { kind: 'ok', body: '{"ok":true}' };
    // The cap counts from what is already spent today: price 400, cap so that exactly two more go.
    const before = (await status()).today.counted;
    await configure({ pricePerMessageIdr: 400, dailyCapIdr: 400 * (before + 2), headers: [{ name: 'X-Api-Key' }], secrets: [{ name: 'k' }] });
    expect((await askCode('0858 2222 0001')).res.status).toBe(200);
    expect((await askCode('0858 2222 0002')).res.status).toBe(200);
    const logsBefore = logs.length;
    const refused = await askCode('0858 2222 0003');
    expect(refused.res.status).toBe(503);
    expect(refused.html).toContain('Batas pengiriman kode SMS hari ini sudah tercapai');
    expect(refused.html).toContain('action="/portal/voucher"');
    expect((await askCode('0858 2222 0004')).res.status).toBe(503);
    const capLogs = logs.slice(logsBefore).filter((l) => l.includes('cost cap'));
    expect(capLogs).toHaveLength(1);
    const s = await status();
    expect(s.today.capReached).toBe(true);
    expect(s.today.counted).toBe(before + 2);
  });

  it('the cost cap reaches staff through the alert channels too: once per day and cap, in Bahasa Indonesia and English', async () => {
    const channel = async (name: string, chatId: string, minSeverity: string): Promise<string> => {
      const r = await t.call('POST', '/api/v1/alerts/channels', { headers: { cookie: admin, origin: ORIGIN }, json: { kind: 'telegram', name, settings: { chatId, apiBaseUrl: bot.baseUrl }, secret: BOT_TOKEN, minSeverity } });
      expect(r.status).toBe(201);
      return ((await r.json()) as { id: string }).id;
    };
    const noc = await channel('NOC', NOC_CHAT, 'warning');
    await channel('Kritis saja', CRITICAL_ONLY_CHAT, 'critical');
    gw.mode = { kind: 'ok', body: '{"ok":true}' };
    const before = (await status()).today.counted;
    // A cap one message above what is spent today: the next code goes, the two after it are refused.
    await configure({ pricePerMessageIdr: 500, dailyCapIdr: 500 * (before + 1), headers: [{ name: 'X-Api-Key' }], secrets: [{ name: 'k' }] });
    expect((await askCode('0858 4444 0001')).res.status).toBe(200);
    const [a, b] = await Promise.all([askCode('0858 4444 0002'), askCode('0858 4444 0003')]);
    expect([a.res.status, b.res.status]).toEqual([503, 503]);
    await vi.waitFor(() => expect(bot.messages.filter((m) => m.chatId === NOC_CHAT)).toHaveLength(1), { timeout: 10_000 });
    const text = bot.messages.find((m) => m.chatId === NOC_CHAT)!.text;
    expect(text).toContain('batas biaya SMS harian');
    expect(text).toContain('SMS daily cost cap was reached');
    expect(text).toContain(`${before + 1} pesan`);
    expect(text).not.toMatch(/0858|62858/);
    // Refused again the same day under the same cap: nobody is told twice.
    expect((await askCode('0858 4444 0004')).res.status).toBe(503);
    // A raised cap reached again is a new crossing, told once more.
    await configure({ pricePerMessageIdr: 500, dailyCapIdr: 500 * (before + 2), headers: [{ name: 'X-Api-Key' }], secrets: [{ name: 'k' }] });
    expect((await askCode('0858 4444 0005')).res.status).toBe(200);
    expect((await askCode('0858 4444 0006')).res.status).toBe(503);
    await vi.waitFor(() => expect(bot.messages.filter((m) => m.chatId === NOC_CHAT)).toHaveLength(2), { timeout: 10_000 });
    // A channel that takes only critical alerts hears nothing of it; the delivery is in the channel's log.
    expect(bot.messages.filter((m) => m.chatId === CRITICAL_ONLY_CHAT)).toHaveLength(0);
    const log = (await (await t.call('GET', `/api/v1/alerts/channels/${noc}/deliveries`, { headers: { cookie: admin } })).json()) as { items: Array<{ event: string; ok: boolean; incidentId: string | null }> };
    expect(log.items.filter((d) => d.event === 'sms-cap')).toEqual([expect.objectContaining({ ok: true, incidentId: null }), expect.objectContaining({ ok: true, incidentId: null })]);
  });

  it('an admin can send a test message and read its outcome; staff who are not admins cannot', async () => {
    await configure({ pricePerMessageIdr: 0, dailyCapIdr: null, headers: [{ name: 'X-Api-Key' }], secrets: [{ name: 'k' }] });
    gw.mode = { kind: 'ok', body: '{"ok":true}' };
    const r = await t.call('POST', '/api/v1/portal/sms/test', { headers: { cookie: admin, origin: ORIGIN }, json: { phone: '0859 3333 0001' } });
    numbersUsed.push('85933330001');
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ status: 'sent', reason: null });
    const bad = await t.call('POST', '/api/v1/portal/sms/test', { headers: { cookie: admin, origin: ORIGIN }, json: { phone: '12' } });
    expect(bad.status).toBe(422);
    const viewer = await t.staffCookie('viewer');
    expect((await t.call('GET', '/api/v1/portal/sms/messages', { headers: { cookie: viewer } })).status).toBe(403);
    const presets = (await (await t.call('GET', '/api/v1/portal/sms/presets', { headers: { cookie: admin } })).json()) as { items: Array<{ id: string }> };
    expect(presets.items.map((p) => p.id)).toEqual(['zenziva', 'fonnte', 'wablas']);
  });

  it("past days' cost counters and finished messages go with the purge; queued ones stay until final", async () => {
    const dayKeys = async (): Promise<string[]> => (await handle.db.selectFrom('rate_limits').select('key').where('key', 'like', 'portal-sms-%').execute()).map((r) => r.key);
    expect((await dayKeys()).length).toBeGreaterThan(0);
    t.clock.advance(31 * 86_400_000);
    await purgePortalData(t.jobCtx());
    expect(await dayKeys()).toEqual([]);
    const left = await portalDb(handle.db).selectFrom('portal_sms_messages').select('status').execute();
    expect(left.every((r) => r.status === 'queued')).toBe(true);
  });

  it('no phone number, in any format, reached a log line', () => {
    expect(logs.length).toBeGreaterThan(0);
    const text = logs.join('\n');
    for (const n of numbersUsed) {
      expect(text).not.toContain(n);
      expect(text).not.toContain(n.slice(1));
    }
  });
});
