/** The packet codec and vendor dictionaries alone: round trips, RFC 2865 hiding, CHAP, authenticators, hostile bytes. */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHILLISPOT, MIKROTIK, PFSENSE, STANDARD, VENDOR_DICTIONARIES, WISPR } from '../../server/radius/protocol/dictionary.ts';
import {
  attr,
  chapMatches,
  chapPassword,
  CODE,
  encodeReply,
  encodeRequest,
  findAttribute,
  hidePassword,
  integerAttribute,
  messageAuthenticatorValid,
  parsePacket,
  replyValid,
  requestAuthenticatorValid,
  revealPassword,
  stringAttribute,
} from '../../server/radius/protocol/packet.ts';
import { coaAttributes, parseRateLimit, replyAttributes, sessionBytes } from '../../server/radius/protocol/vendors.ts';

const secret = Buffer.from('xyzzy5461');

describe('RADIUS packets', () => {
  it('hides and reveals User-Password as RFC 2865 5.2 says (checked against a hand computation)', () => {
    const ra = Buffer.from('0f403f9473978057bd83d5cb98f4227a', 'hex');
    const hidden = hidePassword('arctangent', secret, ra);
    // c1 = p1 xor MD5(S + RA), computed here independently of the codec.
    const b1 = createHash('md5').update(secret).update(ra).digest();
    const p1 = Buffer.alloc(16);
    Buffer.from('arctangent').copy(p1);
    expect(hidden).toEqual(Buffer.from(p1.map((x, i) => x ^ (b1[i] as number))));
    expect(revealPassword(hidden, secret, ra)?.toString()).toBe('arctangent');
    const long = 'p'.repeat(40);
    expect(revealPassword(hidePassword(long, secret, ra), secret, ra)?.toString()).toBe(long);
    expect(revealPassword(Buffer.alloc(15), secret, ra)).toBeNull();
    expect(revealPassword(Buffer.alloc(144), secret, ra)).toBeNull();
  });

  it('checks CHAP answers with the challenge attribute or the authenticator', () => {
    const challenge = randomBytes(16);
    const value = chapPassword(7, 'voucher1', challenge);
    expect(chapMatches(value, challenge, 'voucher1')).toBe(true);
    expect(chapMatches(value, challenge, 'voucher2')).toBe(false);
    expect(chapMatches(value.subarray(0, 16), challenge, 'voucher1')).toBe(false);
  });

  it('round-trips an Access-Request with a valid Message-Authenticator, and a reply with it first', () => {
    const req = encodeRequest(CODE.AccessRequest, 42, [attr.string(STANDARD.UserName.type, 'ABCDE23456'), attr.string(STANDARD.CallingStationId.type, 'AA-BB-CC-11-22-33')], secret, { password: 'ABCDE23456' });
    const p = parsePacket(req);
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    expect(p.packet.identifier).toBe(42);
    expect(stringAttribute(p.packet, STANDARD.UserName.type)).toBe('ABCDE23456');
    expect(messageAuthenticatorValid(p.packet, secret)).toBe(true);
    expect(messageAuthenticatorValid(p.packet, Buffer.from('wrong'))).toBe(false);
    expect(revealPassword(findAttribute(p.packet, STANDARD.UserPassword.type)!, secret, p.packet.authenticator)?.toString()).toBe('ABCDE23456');

    const proxy = { type: STANDARD.ProxyState.type, value: Buffer.from('proxy-1') };
    const withProxy = { ...p.packet, attributes: [...p.packet.attributes, proxy] };
    const reply = encodeReply(withProxy, CODE.AccessAccept, [attr.integer(STANDARD.SessionTimeout.type, 3600), attr.vendorString(MIKROTIK.id, MIKROTIK.attributes.RateLimit.type, '2M/5M')], secret);
    // BLAST-RADIUS: Message-Authenticator is the first attribute of every reply.
    expect(reply[20]).toBe(STANDARD.MessageAuthenticator.type);
    const r = parsePacket(reply);
    expect(r.ok && replyValid(r.packet, p.packet.authenticator, secret)).toBe(true);
    expect(r.ok && replyValid(r.packet, p.packet.authenticator, Buffer.from('other'))).toBe(false);
    if (!r.ok) return;
    expect(integerAttribute(r.packet, STANDARD.SessionTimeout.type)).toBe(3600);
    expect(findAttribute(r.packet, MIKROTIK.attributes.RateLimit.type, MIKROTIK.id)?.toString()).toBe('2M/5M');
    expect(findAttribute(r.packet, STANDARD.ProxyState.type)?.toString()).toBe('proxy-1');
    // The Message-Authenticator of the reply, recomputed by hand with the request authenticator in place.
    const copy = Buffer.from(reply);
    p.packet.authenticator.copy(copy, 4);
    copy.fill(0, 22, 38);
    expect(createHmac('md5', secret).update(copy).digest()).toEqual(reply.subarray(22, 38));
  });

  it('signs accounting, disconnect and CoA requests with the Request Authenticator', () => {
    for (const code of [CODE.AccountingRequest, CODE.DisconnectRequest, CODE.CoaRequest]) {
      const buf = encodeRequest(code, 1, [attr.string(STANDARD.AcctSessionId.type, '81000001')], secret);
      const p = parsePacket(buf);
      expect(p.ok && requestAuthenticatorValid(p.packet, secret)).toBe(true);
      expect(p.ok && messageAuthenticatorValid(p.packet, secret)).toBe(true);
      const tampered = Buffer.from(buf);
      tampered[tampered.length - 1] = (tampered[tampered.length - 1] as number) ^ 1;
      const t = parsePacket(tampered);
      expect(t.ok && requestAuthenticatorValid(t.packet, secret)).toBe(false);
    }
  });

  it('names the fault of every malformed datagram and never throws on random bytes', () => {
    const good = encodeRequest(CODE.AccessRequest, 1, [attr.string(STANDARD.UserName.type, 'x')], secret);
    expect(parsePacket(good.subarray(0, 10))).toEqual({ ok: false, fault: 'truncated' });
    expect(parsePacket(good.subarray(0, good.length - 1))).toEqual({ ok: false, fault: 'truncated' });
    const shortLen = Buffer.from(good);
    shortLen.writeUInt16BE(19, 2);
    expect(parsePacket(shortLen)).toEqual({ ok: false, fault: 'bad_length' });
    const hugeLen = Buffer.from(good);
    hugeLen.writeUInt16BE(5000, 2);
    expect(parsePacket(hugeLen)).toEqual({ ok: false, fault: 'bad_length' });
    const absurd = Buffer.from(good);
    absurd[good.length - 2] = 250; // the last attribute claims 250 octets
    expect(parsePacket(absurd)).toEqual({ ok: false, fault: 'malformed_attribute' });
    const zero = Buffer.from(good);
    zero[21] = 0;
    expect(parsePacket(zero)).toEqual({ ok: false, fault: 'malformed_attribute' });
    // Padding past the Length field is ignored.
    expect(parsePacket(Buffer.concat([good, Buffer.alloc(7)])).ok).toBe(true);
    for (let i = 0; i < 5000; i++) {
      const junk = randomBytes(1 + Math.floor(Math.random() * 300));
      if (junk.length >= 4) junk.writeUInt16BE(Math.min(junk.length, 20 + Math.floor(Math.random() * 280)), 2);
      expect(() => parsePacket(junk)).not.toThrow();
    }
  });

  it('keeps a Vendor-Specific attribute it cannot split as one opaque value', () => {
    const p = parsePacket(Buffer.concat([Buffer.from([1, 1, 0, 30]), Buffer.alloc(16), Buffer.from([26, 10, 0, 0, 0x3a, 0x8c, 8, 9, 1, 2])]));
    expect(p.ok).toBe(true);
    if (p.ok) expect(p.packet.attributes).toHaveLength(1);
  });
});

describe('vendor replies', () => {
  const base = { sessionTimeoutS: 3600, idleTimeoutS: 600, interimS: 300, rateLimit: '2M/5M', quotaBytes: 5 * 2 ** 32 + 10, className: 'jk1:g' };
  const vsa = (attrs: ReturnType<typeof replyAttributes>, vendor: number, type: number) => attrs.find((a) => a.vendor === vendor && a.vendorType === type)?.value;
  it('says the rate and quota as each gateway expects', () => {
    expect(parseRateLimit('2M/5M 4M/8M 1M/2M 10/10')).toEqual({ upBps: 2e6, downBps: 5e6 });
    expect(parseRateLimit('512k/1M')).toEqual({ upBps: 512e3, downBps: 1e6 });
    const mk = replyAttributes('mikrotik', base);
    expect(vsa(mk, MIKROTIK.id, MIKROTIK.attributes.RateLimit.type)?.toString()).toBe('2M/5M');
    expect(vsa(mk, MIKROTIK.id, MIKROTIK.attributes.TotalLimit.type)?.readUInt32BE(0)).toBe(10);
    expect(vsa(mk, MIKROTIK.id, MIKROTIK.attributes.TotalLimitGigawords.type)?.readUInt32BE(0)).toBe(5);
    const wispr = replyAttributes('wispr', base);
    expect(vsa(wispr, WISPR.id, WISPR.attributes.BandwidthMaxUp.type)?.readUInt32BE(0)).toBe(2_000_000);
    expect(vsa(wispr, WISPR.id, WISPR.attributes.BandwidthMaxDown.type)?.readUInt32BE(0)).toBe(5_000_000);
    const coova = replyAttributes('coova', base);
    expect(vsa(coova, CHILLISPOT.id, CHILLISPOT.attributes.BandwidthMaxUp.type)?.readUInt32BE(0)).toBe(2000);
    expect(vsa(coova, CHILLISPOT.id, CHILLISPOT.attributes.MaxTotalOctets.type)?.readUInt32BE(0)).toBe(10);
    const pf = replyAttributes('pfsense', base);
    expect(vsa(pf, PFSENSE.id, PFSENSE.attributes.MaxTotalOctets.type)?.readUInt32BE(0)).toBe(2 ** 32 - 1);
    const std = replyAttributes('standard', base);
    expect(std.every((a) => a.vendor === undefined)).toBe(true);
    expect(std.find((a) => a.type === STANDARD.SessionTimeout.type)?.value.readUInt32BE(0)).toBe(3600);
    expect(coaAttributes('wispr', { rateLimit: '1M/1M' }).map((a) => a.vendorType)).toEqual([7, 8]);
  });
  it('adds Gigawords and knows CoovaChilli counts input as the client receives it', () => {
    expect(sessionBytes('mikrotik', { inOctets: 5, inGigawords: 1, outOctets: 7, outGigawords: 2 })).toEqual({ up: 2 ** 32 + 5, down: 2 * 2 ** 32 + 7 });
    expect(sessionBytes('coova', { inOctets: 5, inGigawords: 0, outOctets: 7, outGigawords: 0 })).toEqual({ up: 7, down: 5 });
  });
});

describe('dictionaries match the published ones (Debian freeradius-common)', () => {
  function read(file: string): Map<string, { num: number; type: string }> {
    const out = new Map<string, { num: number; type: string }>();
    for (const line of readFileSync(`/usr/share/freeradius/${file}`, 'utf8').split('\n')) {
      const m = /^ATTRIBUTE\s+(\S+)\s+(\d+)\s+(\S+)/.exec(line);
      if (m !== null) out.set(m[1] as string, { num: Number(m[2]), type: m[3] as string });
    }
    return out;
  }
  it('has the same numbers and value types', () => {
    const std = new Map([...read('dictionary.rfc2865'), ...read('dictionary.rfc2866'), ...read('dictionary.rfc2869'), ...read('dictionary.rfc5176'), ...read('dictionary.rfc3576')]);
    for (const a of Object.values(STANDARD)) {
      const d = std.get(a.name);
      expect(d, a.name).toBeDefined();
      expect(d!.num, a.name).toBe(a.type);
      expect(d!.type, a.name).toBe(a.kind);
    }
    const files: Record<string, string> = { Mikrotik: 'dictionary.mikrotik', WISPr: 'dictionary.wispr', ChilliSpot: 'dictionary.chillispot', pfSense: 'dictionary.pfsense' };
    for (const v of VENDOR_DICTIONARIES) {
      const text = readFileSync(`/usr/share/freeradius/${files[v.name]}`, 'utf8');
      expect(new RegExp(`^VENDOR\\s+${v.name}\\s+${v.id}\\b`, 'm').test(text), v.name).toBe(true);
      const d = read(files[v.name]!);
      for (const a of Object.values(v.attributes)) {
        expect(d.get(a.name)?.num, a.name).toBe(a.type);
        expect(d.get(a.name)?.type, a.name).toBe(a.kind);
      }
    }
  });
});
