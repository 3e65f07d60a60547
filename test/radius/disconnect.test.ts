/**
 * Disconnect-Request and CoA-Request (RFC 5176) to a UDP listener playing the NAS: staff kick, quota and daily time
 * used up, a voucher revoked, a citizen deleting their data, a rate change; ACK, NAK with Error-Cause, and silence
 * are each recorded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../server/db/types.ts';
import { radiusDb } from '../../server/db/radius.ts';
import { silentLogger } from '../../server/log.ts';
import { MIKROTIK, STANDARD } from '../../server/radius/protocol/dictionary.ts';
import { attr, CODE, encodeReply, findAttribute, ipv4Attribute, messageAuthenticatorValid, parsePacket, requestAuthenticatorValid, stringAttribute, type Packet } from '../../server/radius/protocol/packet.ts';
import { systemServiceCtx } from '../../server/service-ctx.ts';
import { deleteCitizenData } from '../../server/portal/services/citizen-data.ts';
import { DIALECTS, openTestDb } from '../helpers/db.ts';
import { acctInput, drainWhenQueued, makeVouchers, nasListener, radclient, radtest, SECRET, startRadiusTest, type RadiusTest } from './helpers.ts';

describe.each(DIALECTS)('Disconnect and CoA to the NAS (%s)', (dialect) => {
  let handle: DbHandle;
  let r: RadiusTest;
  let nas: Awaited<ReturnType<typeof nasListener>>;
  let codes: string[];
  let batchId: string;
  /** What the NAS does with the next requests: 'ack', a NAK Error-Cause, or 'silent'. */
  let mode: 'ack' | 'silent' | number = 'ack';
  const seen: Packet[] = [];
  let seq = 0;

  beforeAll(async () => {
    handle = await openTestDb(dialect);
    nas = await nasListener((msg) => {
      const p = parsePacket(msg);
      if (!p.ok) return null;
      // The NAS checks what we sent: Request Authenticator and Message-Authenticator under the shared secret.
      if (!requestAuthenticatorValid(p.packet, Buffer.from(SECRET)) || !messageAuthenticatorValid(p.packet, Buffer.from(SECRET))) return null;
      seen.push(p.packet);
      if (mode === 'silent') return null;
      const ack = p.packet.code === CODE.DisconnectRequest ? CODE.DisconnectAck : CODE.CoaAck;
      const nak = p.packet.code === CODE.DisconnectRequest ? CODE.DisconnectNak : CODE.CoaNak;
      return mode === 'ack' ? encodeReply(p.packet, ack, [], Buffer.from(SECRET)) : encodeReply(p.packet, nak, [attr.integer(STANDARD.ErrorCause.type, mode)], Buffer.from(SECRET));
    });
    r = await startRadiusTest(handle, { coaPort: nas.port, dailyBytes: 5_000_000 });
    ({ codes, batchId } = await makeVouchers(r, { count: 8 }));
  });
  afterAll(async () => {
    await r.stop();
    await nas.close();
    await handle.close();
  });

  /** A voucher signs in and its session starts; returns the session id as the API lists it. */
  async function openSession(code: string, options: { ip?: string; bytes?: number; time?: number } = {}): Promise<string> {
    const ok = await radtest(code, code, r.radius.authPort);
    expect(ok.replyCode).toBe('Access-Accept');
    const acct = `s-${++seq}`;
    const res = await radclient(['-x', '-t', '3', '-r', '1', `127.0.0.1:${r.radius.acctPort}`, 'acct', SECRET], acctInput({ status: 'Start', session: acct, user: code, classHex: ok.reply.get('Class')![0]!, ip: options.ip ?? `10.5.50.${seq}` }));
    expect(res.replyCode).toBe('Accounting-Response');
    const row = await radiusDb(handle.db).selectFrom('radius_sessions').select('id').where('acct_session_id', '=', acct).executeTakeFirstOrThrow();
    return row.id;
  }

  async function requests(): Promise<Array<{ sessionId: string; kind: string; reason: string; status: string; answer: string | null; errorCause: number | null; errorCauseName: string | null }>> {
    return ((await (await r.t.call('GET', '/api/v1/radius/disconnects', { headers: { cookie: r.admin } })).json()) as { items: never[] }).items;
  }

  it('kicks a session: Disconnect-Request with the session identity, the ACK recorded (and waited for)', async () => {
    const id = await openSession(codes[0]!, { ip: '10.5.50.200' });
    const call = r.t.call('POST', `/api/v1/radius/sessions/${id}/disconnect`, { headers: { cookie: r.admin, origin: 'http://portal.test' }, json: { waitMs: 5000 } });
    await drainWhenQueued(r);
    const res = await call;
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; answer: string; reason: string };
    expect(body).toMatchObject({ status: 'ack', answer: 'Disconnect-ACK', reason: 'staff' });
    const p = seen.at(-1)!;
    expect(p.code).toBe(CODE.DisconnectRequest);
    expect(stringAttribute(p, STANDARD.UserName.type)).toBe(codes[0]);
    expect(stringAttribute(p, STANDARD.AcctSessionId.type)).toBe(`s-${seq}`);
    expect(ipv4Attribute(p, STANDARD.FramedIpAddress.type)).toBe('10.5.50.200');
    // A viewer may look but not kick.
    const viewer = await r.t.staffCookie('viewer');
    expect((await r.t.call('POST', `/api/v1/radius/sessions/${id}/disconnect`, { headers: { cookie: viewer, origin: 'http://portal.test' }, json: {} })).status).toBe(403);
  });

  it('records a NAK with its Error-Cause, and silence as a timeout', async () => {
    const a = await openSession(codes[1]!);
    mode = 503;
    await r.t.call('POST', `/api/v1/radius/sessions/${a}/disconnect`, { headers: { cookie: r.admin, origin: 'http://portal.test' }, json: { waitMs: 0 } });
    await r.radius.drainCoa();
    const b = await openSession(codes[2]!);
    mode = 'silent';
    const before = seen.length;
    await r.t.call('POST', `/api/v1/radius/sessions/${b}/disconnect`, { headers: { cookie: r.admin, origin: 'http://portal.test' }, json: { waitMs: 0 } });
    await r.radius.drainCoa();
    mode = 'ack';
    expect(seen.length - before).toBe(2); // retransmitted once (two tries), never answered
    const list = await requests();
    expect(list.find((x) => x.sessionId === a)).toMatchObject({ status: 'nak', answer: 'Disconnect-NAK', errorCause: 503, errorCauseName: 'Session-Context-Not-Found' });
    expect(list.find((x) => x.sessionId === b)).toMatchObject({ status: 'timeout', answer: null });
  });

  it('disconnects when the day\'s data runs out (Interim-Update over the allowance), at once', async () => {
    const ok = await radtest(codes[3]!, codes[3]!, r.radius.authPort);
    const cls = ok.reply.get('Class')![0]!;
    // Mikrotik-Total-Limit tells the router the bytes left (5 MB daily).
    expect(Number(ok.reply.get('Mikrotik-Total-Limit')![0])).toBeLessThanOrEqual(5_000_000);
    const acct = (i: string) => radclient(['-x', '-t', '3', '-r', '1', `127.0.0.1:${r.radius.acctPort}`, 'acct', SECRET], i);
    await acct(acctInput({ status: 'Start', session: 'q-1', user: codes[3]!, classHex: cls }));
    const before = seen.length;
    await acct(acctInput({ status: 'Interim-Update', session: 'q-1', user: codes[3]!, classHex: cls, time: 300, inOctets: 1_000_000, outOctets: 4_500_000 }));
    const answered = async () => (await requests()).find((x) => x.reason === 'quota_data' && x.status !== 'queued' && x.status !== 'sending');
    for (let i = 0; i < 60 && (await answered()) === undefined; i++) await new Promise((ok2) => setTimeout(ok2, 50));
    expect(seen.length).toBe(before + 1);
    expect(stringAttribute(seen.at(-1)!, STANDARD.UserName.type)).toBe(codes[3]);
    const list = await requests();
    expect(list.find((x) => x.reason === 'quota_data')).toMatchObject({ kind: 'disconnect', status: 'ack' });
    // The next sign-in with that voucher is refused: no data left today.
    const again = await radtest(codes[3]!, codes[3]!, r.radius.authPort);
    expect(again.replyCode).toBe('Access-Reject');
    expect(again.reply.get('Reply-Message')?.[0]).toMatch(/data/);
  });

  it('disconnects when the voucher\'s time is used up (the minute check) and ends sessions whose NAS went silent', async () => {
    const { codes: short } = await makeVouchers(r, { count: 1, timeQuotaS: 600 });
    const ok = await radtest(short[0]!, short[0]!, r.radius.authPort);
    expect(Number(ok.reply.get('Session-Timeout')![0])).toBeLessThanOrEqual(600);
    const cls = ok.reply.get('Class')![0]!;
    const acct = (i: string) => radclient(['-x', '-t', '3', '-r', '1', `127.0.0.1:${r.radius.acctPort}`, 'acct', SECRET], i);
    await acct(acctInput({ status: 'Start', session: 't-1', user: short[0]!, classHex: cls }));
    r.t.clock.advance(700_000);
    await acct(acctInput({ status: 'Interim-Update', session: 't-1', user: short[0]!, classHex: cls, time: 700, inOctets: 10, outOctets: 10 }));
    await new Promise((ok2) => setTimeout(ok2, 300));
    const out = await r.radius.enforceLimits();
    expect(out.checked).toBeGreaterThan(0);
    await r.radius.drainCoa();
    const list = await requests();
    expect(list.find((x) => x.reason === 'quota_time')).toMatchObject({ status: 'ack' });
    // A session the NAS stopped reporting about is ended by the check (here: after 1 hour of silence).
    r.t.clock.advance(2 * 3_600_000);
    const later = await r.radius.enforceLimits();
    expect(later.ended).toBeGreaterThan(0);
  });

  it('disconnects the sessions of a revoked voucher, which then signs nobody in', async () => {
    await openSession(codes[4]!);
    const sentFor = (code: string) => seen.filter((p) => stringAttribute(p, STANDARD.UserName.type) === code).length;
    const before = sentFor(codes[4]!);
    const res = await r.t.call('POST', `/api/v1/portal/voucher-batches/${batchId}/revoke`, { headers: { cookie: r.admin, origin: 'http://portal.test' }, json: { seqs: [5] } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ revoked: 1, disconnects: 1 });
    await r.radius.drainCoa();
    expect(sentFor(codes[4]!)).toBe(before + 1);
    expect((await requests()).find((x) => x.reason === 'voucher_revoked')).toMatchObject({ status: 'ack' });
    const again = await radtest(codes[4]!, codes[4]!, r.radius.authPort);
    expect(again.replyCode).toBe('Access-Reject');
    expect(again.reply.get('Reply-Message')?.[0]).toMatch(/dicabut/);
  });

  it('disconnects a citizen who deletes their data, and forgets the user names kept for their sessions', async () => {
    const id = await openSession(codes[5]!);
    const citizen = await radiusDb(handle.db).selectFrom('portal_usage_sessions').select('citizen_id').where('id', '=', id).executeTakeFirstOrThrow();
    const ctx = systemServiceCtx({ clock: r.t.clock, secrets: r.t.secrets, log: silentLogger, config: { trustedOrigins: [], cookieSecure: null, sessionDays: 30, maxBodyBytes: 1 << 20 } }, handle, { requestId: 't' });
    await deleteCitizenData(ctx, citizen.citizen_id!);
    const row = await radiusDb(handle.db).selectFrom('radius_sessions').select('user_sealed').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.user_sealed).toBeNull();
    const before = seen.length;
    await r.radius.drainCoa();
    expect(seen.length).toBe(before + 1);
    expect(stringAttribute(seen.at(-1)!, STANDARD.UserName.type)).toBe(codes[5]);
    const done = (await requests()).find((x) => x.reason === 'citizen_deleted');
    expect(done).toMatchObject({ status: 'ack' });
    // Once sent, the request keeps no copy of the user name either.
    const q = await radiusDb(handle.db).selectFrom('radius_coa_requests').select('target_sealed').where('reason', '=', 'citizen_deleted').executeTakeFirstOrThrow();
    expect(q.target_sealed).toBe('');
  });

  it('changes a live session\'s rate with a CoA-Request in the vendor\'s dialect', async () => {
    const id = await openSession(codes[6]!);
    const call = r.t.call('POST', `/api/v1/radius/sessions/${id}/coa`, { headers: { cookie: r.admin, origin: 'http://portal.test' }, json: { rateLimit: '1M/1M' } });
    await drainWhenQueued(r);
    const body = (await (await call).json()) as { status: string; answer: string };
    expect(body).toMatchObject({ status: 'ack', answer: 'CoA-ACK' });
    const p = seen.at(-1)!;
    expect(p.code).toBe(CODE.CoaRequest);
    expect(findAttribute(p, MIKROTIK.attributes.RateLimit.type, MIKROTIK.id)?.toString()).toBe('1M/1M');
  });
});
