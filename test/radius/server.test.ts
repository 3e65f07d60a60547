/**
 * The RADIUS server against Debian's FreeRADIUS client tools as the NAS (radtest, radclient), and raw datagrams for
 * the hostile cases. Every database test runs on SQLite and Postgres.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portalDb } from '../../server/portal/queries/types.ts';
import type { DbHandle } from '../../server/db/types.ts';
import { STANDARD } from '../../server/radius/protocol/dictionary.ts';
import { attr, CODE, encodeRequest, parsePacket, replyValid, stringAttribute } from '../../server/radius/protocol/packet.ts';
import { DIALECTS, openTestDb } from '../helpers/db.ts';
import { acctInput, makeVouchers, radclient, radtest, SECRET, sendRaw, startRadiusTest, type RadiusTest } from './helpers.ts';

describe.each(DIALECTS)('RADIUS server with FreeRADIUS tools as the NAS (%s)', (dialect) => {
  let handle: DbHandle;
  let r: RadiusTest;
  let codes: string[];
  let batchId: string;
  beforeAll(async () => {
    handle = await openTestDb(dialect);
    r = await startRadiusTest(handle);
    ({ codes, batchId } = await makeVouchers(r, { count: 6, dataQuotaBytes: 0 }));
  });
  afterAll(async () => {
    await r.stop();
    await handle.close();
  });
  const drops = () => r.radius.metrics.totals.drops as Record<string, number>;

  it('radtest with a valid voucher code gets Access-Accept with a Session-Timeout; a wrong code gets Access-Reject', async () => {
    const ok = await radtest(codes[0]!, codes[0]!, r.radius.authPort);
    expect(ok.replyCode).toBe('Access-Accept');
    const timeout = Number(ok.reply.get('Session-Timeout')?.[0]);
    expect(timeout).toBeGreaterThan(3 * 3600);
    expect(timeout).toBeLessThanOrEqual(4 * 3600);
    expect(ok.reply.get('Mikrotik-Rate-Limit')).toEqual(['2M/5M']);
    expect(ok.reply.get('Idle-Timeout')).toEqual(['900']);
    // The printed form (with the dash, lower case) is the same code.
    const dashed = `${codes[0]!.slice(0, 5)}-${codes[0]!.slice(5)}`.toLowerCase();
    expect((await radtest(dashed, dashed, r.radius.authPort)).replyCode).toBe('Access-Accept');
    const wrong = await radtest('ABCDE-FGHJK', 'ABCDEFGHJK', r.radius.authPort);
    expect(wrong.replyCode).toBe('Access-Reject');
    expect(wrong.reply.get('Reply-Message')?.[0]).toMatch(/tidak dikenal/);
    // Right code, wrong password.
    expect((await radtest(codes[1]!, 'not-the-code', r.radius.authPort)).replyCode).toBe('Access-Reject');
  });

  it('accepts CHAP, and redeems a voucher once even when its first uses arrive at once', async () => {
    const chap = await radtest(codes[2]!, codes[2]!, r.radius.authPort, { type: 'chap' });
    expect(chap.replyCode).toBe('Access-Accept');
    const code = codes[3]!;
    const macs = ['AA-00-00-00-00-01', 'AA-00-00-00-00-02', 'AA-00-00-00-00-01', 'AA-00-00-00-00-02', 'AA-00-00-00-00-01', 'AA-00-00-00-00-03'];
    const results = await Promise.all(
      // A long wait: the three requests of one device are decided one after the other (a busy machine, Postgres).
      macs.map((mac) => radclient(['-x', '-t', '15', '-r', '1', `127.0.0.1:${r.radius.authPort}`, 'auth', SECRET], `User-Name = "${code}"\nUser-Password = "${code}"\nCalling-Station-Id = "${mac}"\nMessage-Authenticator = 0x00\n`, 30_000)),
    );
    const codesSeen = results.map((x) => x.replyCode);
    // Two devices at once (the hotspot's limit): the third MAC is refused, the others accepted.
    expect(codesSeen.filter((c) => c === 'Access-Accept')).toHaveLength(5);
    expect(codesSeen[5]).toBe('Access-Reject');
    const v = await portalDb(handle.db).selectFrom('portal_vouchers').select(['citizen_id']).where('batch_id', '=', batchId).where('seq', '=', 4).executeTakeFirstOrThrow();
    const grants = await portalDb(handle.db).selectFrom('portal_grants').select(['citizen_id', 'device_key']).where('citizen_id', '=', v.citizen_id!).execute();
    // One citizen, one grant per device (reconnects reuse it).
    expect(new Set(grants.map((g) => g.device_key)).size).toBe(2);
    expect(grants).toHaveLength(2);
    const citizens = await portalDb(handle.db).selectFrom('portal_citizens').select('id').where('kind', '=', 'voucher').execute();
    expect(citizens.length).toBeLessThanOrEqual(4);
  });

  it('drops an Access-Request without Message-Authenticator from a client that requires it; a legacy client is answered', async () => {
    const before = drops().missing_message_authenticator ?? 0;
    const res = await radclient(['-x', '-t', '0.5', '-r', '1', `127.0.0.1:${r.radius.authPort}`, 'auth', SECRET], `User-Name = "${codes[0]}"\nUser-Password = "${codes[0]}"\n`);
    expect(res.replyCode).toBeNull();
    expect(drops().missing_message_authenticator).toBeGreaterThan(before);
    const patch = await r.t.call('PATCH', `/api/v1/radius/clients/${r.clientId}`, { headers: { cookie: r.admin, origin: 'http://portal.test' }, json: { requireMessageAuthenticator: false } });
    expect(patch.status).toBe(200);
    await r.radius.reloadClients();
    const legacy = await radclient(['-x', '-t', '2', '-r', '1', `127.0.0.1:${r.radius.authPort}`, 'auth', SECRET], `User-Name = "${codes[0]}"\nUser-Password = "${codes[0]}"\n`);
    expect(legacy.replyCode).toBe('Access-Accept');
    // Replies carry Message-Authenticator even then.
    expect(legacy.reply.has('Message-Authenticator')).toBe(true);
    await r.t.call('PATCH', `/api/v1/radius/clients/${r.clientId}`, { headers: { cookie: r.admin, origin: 'http://portal.test' }, json: { requireMessageAuthenticator: true } });
    await r.radius.reloadClients();
  });

  it('accounting Start then Stop shows the session bytes in GET /api/v1/portal/usage; repeats change nothing', async () => {
    const ok = await radtest(codes[4]!, codes[4]!, r.radius.authPort);
    const classHex = ok.reply.get('Class')?.[0];
    expect(classHex).toMatch(/^0x/);
    const acct = (input: string) => radclient(['-x', '-t', '3', '-r', '1', `127.0.0.1:${r.radius.acctPort}`, 'acct', SECRET], input);
    const start = await acct(acctInput({ status: 'Start', session: '81a00001', user: codes[4]!, classHex: classHex! }));
    expect(start.replyCode).toBe('Accounting-Response');
    expect((await acct(acctInput({ status: 'Interim-Update', session: '81a00001', user: codes[4]!, classHex: classHex!, time: 60, inOctets: 1000, outOctets: 50_000 }))).replyCode).toBe('Accounting-Response');
    const stop = acctInput({ status: 'Stop', session: '81a00001', user: codes[4]!, classHex: classHex!, time: 120, inOctets: 123_456, outOctets: 7, outGiga: 1 });
    expect((await acct(stop)).replyCode).toBe('Accounting-Response');
    // A repeated Stop and a late Interim (lower counters) change nothing.
    await acct(stop);
    await acct(acctInput({ status: 'Interim-Update', session: '81a00001', user: codes[4]!, classHex: classHex!, time: 60, inOctets: 1000, outOctets: 50_000 }));
    const usage = (await (await r.t.call('GET', '/api/v1/portal/usage', { headers: { cookie: r.admin } })).json()) as { byHotspot: Array<{ hotspotId: string; sessions: number; bytesIn: number; bytesOut: number; uptimeS: number; uniqueUsers: number }> };
    const row = usage.byHotspot.find((x) => x.hotspotId === r.h.hotspotId)!;
    expect(row.sessions).toBe(1);
    expect(row.bytesIn).toBe(123_456);
    expect(row.bytesOut).toBe(2 ** 32 + 7);
    expect(row.uptimeS).toBe(120);
    expect(row.uniqueUsers).toBe(1);
    const sessions = (await (await r.t.call('GET', '/api/v1/radius/sessions?open=false', { headers: { cookie: r.admin } })).json()) as { items: Array<{ user: string; endedAt: string | null; address: string }> };
    expect(sessions.items).toHaveLength(1);
    // The usage row shows the grant's name, never the voucher code.
    expect(sessions.items[0]!.user).toMatch(/^jk-/);
    expect(sessions.items[0]!.endedAt).not.toBeNull();
    expect(JSON.stringify(sessions)).not.toContain(codes[4]!);
  });

  it('answers Status-Server on both ports', async () => {
    const auth = await radclient(['-x', '-t', '2', '-r', '1', `127.0.0.1:${r.radius.authPort}`, 'status', SECRET], 'Message-Authenticator = 0x00\n');
    expect(auth.replyCode).toBe('Access-Accept');
    const acct = await radclient(['-x', '-t', '2', '-r', '1', `127.0.0.1:${r.radius.acctPort}`, 'status', SECRET], 'Message-Authenticator = 0x00\n');
    expect(acct.replyCode).toBe('Accounting-Response');
  });

  it('drops and counts bad input (wrong secret, unknown source, truncated, wrong lengths, absurd attributes) and keeps answering', async () => {
    const before = { ...drops() };
    const delta = (k: string) => (drops()[k] ?? 0) - (before[k] ?? 0);
    const wrong = await radclient(['-x', '-t', '0.5', '-r', '1', `127.0.0.1:${r.radius.authPort}`, 'auth', 'not-the-secret-at-all'], `User-Name = "${codes[0]}"\nUser-Password = "${codes[0]}"\nMessage-Authenticator = 0x00\n`);
    expect(wrong.replyCode).toBeNull();
    expect(delta('bad_message_authenticator')).toBeGreaterThanOrEqual(1);
    const good = encodeRequest(CODE.AccessRequest, 9, [attr.string(STANDARD.UserName.type, codes[0]!)], Buffer.from(SECRET), { password: codes[0]! });
    const bad: Buffer[] = [good.subarray(0, 12), good.subarray(0, good.length - 3)];
    const lenLie = Buffer.from(good);
    lenLie.writeUInt16BE(4000, 2);
    bad.push(lenLie);
    const lenTiny = Buffer.from(good);
    lenTiny.writeUInt16BE(19, 2);
    bad.push(lenTiny);
    const absurd = Buffer.from(good);
    // The last attribute (User-Name, 2 + 10 octets) claims 255 octets.
    absurd[good.length - 11] = 255;
    bad.push(absurd);
    bad.push(Buffer.alloc(4096, 0xff));
    const answers = await Promise.all(bad.map((b) => sendRaw(r.radius.authPort, b)));
    expect(answers.every((a) => a === null)).toBe(true);
    expect(delta('truncated')).toBe(3);
    expect(delta('bad_length')).toBe(2);
    expect(delta('malformed_attribute')).toBe(1);
    expect(await sendRaw(r.radius.authPort, good, { fromHost: '127.0.0.2' })).toBeNull();
    expect(delta('unknown_client')).toBe(1);
    const acctWrong = await radclient(['-x', '-t', '0.5', '-r', '1', `127.0.0.1:${r.radius.acctPort}`, 'acct', 'wrong-secret-here'], acctInput({ status: 'Start', session: 'x1', user: 'u' }));
    expect(acctWrong.replyCode).toBeNull();
    expect(delta('bad_authenticator')).toBeGreaterThanOrEqual(1);
    const stillOk = await radtest(codes[0]!, codes[0]!, r.radius.authPort);
    expect(stillOk.replyCode).toBe('Access-Accept');
  });

  it('answers a retransmission from the duplicate cache without deciding twice', async () => {
    const req = encodeRequest(CODE.AccessRequest, 77, [attr.string(STANDARD.UserName.type, codes[5]!)], Buffer.from(SECRET), { password: codes[5]! });
    const grantsBefore = await portalDb(handle.db).selectFrom('portal_grants').select('id').execute();
    const dupBefore = r.radius.metrics.totals.counts.duplicates;
    const s = await import('node:dgram').then((d) => d.createSocket('udp4'));
    await new Promise<void>((ok) => s.bind(0, '127.0.0.1', () => ok()));
    const replies: Buffer[] = [];
    s.on('message', (m) => replies.push(m));
    // Wait on the answers, not on a clock: on a loaded machine the first decision can take longer than any sleep.
    const answered = async (n: number): Promise<void> => {
      await expect.poll(() => replies.length, { timeout: 10_000, interval: 20 }).toBeGreaterThanOrEqual(n);
    };
    s.send(req, r.radius.authPort, '127.0.0.1');
    await answered(1);
    s.send(req, r.radius.authPort, '127.0.0.1');
    await answered(2);
    // A third answer would mean the request was decided again rather than served from the cache: give it a moment.
    await new Promise((ok) => setTimeout(ok, 100));
    s.close();
    expect(replies).toHaveLength(2);
    expect(replies[0]).toEqual(replies[1]);
    const p = parsePacket(replies[0]!);
    expect(p.ok && p.packet.code).toBe(CODE.AccessAccept);
    expect(p.ok && replyValid(p.packet, req.subarray(4, 20), Buffer.from(SECRET))).toBe(true);
    expect(r.radius.metrics.totals.counts.duplicates).toBe(dupBefore + 1);
    const grantsAfter = await portalDb(handle.db).selectFrom('portal_grants').select('id').execute();
    expect(grantsAfter.length).toBe(grantsBefore.length + 1);
    expect(p.ok && stringAttribute(p.packet, STANDARD.ReplyMessage.type)).toBeUndefined();
  });

  it('shows the figures: requests, accepts, rejects, drops by reason, response time', async () => {
    await r.radius.flushStats();
    const res = await r.t.call('GET', '/api/v1/radius/stats?minutes=60', { headers: { cookie: r.admin } });
    const s = (await res.json()) as { totals: { authRequests: number; accepts: number; rejects: number; dropped: number }; drops: Record<string, number>; responseTime: { p99Ms: number; count: number }; servers: unknown[] };
    expect(s.totals.accepts).toBe(r.radius.metrics.totals.counts.accepts);
    expect(s.totals.rejects).toBeGreaterThanOrEqual(3);
    expect(s.drops.missing_message_authenticator).toBeGreaterThanOrEqual(1);
    expect(s.drops.unknown_client).toBe(1);
    expect(s.responseTime.count).toBeGreaterThan(5);
    expect(s.responseTime.p99Ms).toBeGreaterThan(0);
    expect(s.servers).toHaveLength(1);
  });
});
