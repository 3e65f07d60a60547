/** CHAP as the router computes it, octal escapes, and the checks on posted hotspot variables (pure functions). */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { chapResponse, parseOctalEscapes } from '../../server/portal/pure/chap.ts';
import { loginUrlFor, parseHotspotVars, safeHttpUrl } from '../../server/portal/pure/hotspot-vars.ts';
import { routerErrorKey } from '../../server/portal/pure/i18n.ts';
import { normalizePhone } from '../../server/portal/pure/phone.ts';
import { normalizeVoucherCode, newVoucherCode, VOUCHER_ALPHABET } from '../../server/portal/pure/voucher-code.ts';

describe('CHAP', () => {
  it('decodes octal escapes as the hotspot prints them', () => {
    expect([...parseOctalEscapes('\\371\\024\\000\\377', { maxBytes: 16 })!]).toEqual([0o371, 0o24, 0, 255]);
    expect(parseOctalEscapes('\\38', { maxBytes: 4 })).toBeNull();
    expect(parseOctalEscapes('\\777', { maxBytes: 4 })).toBeNull();
    expect(parseOctalEscapes('\\001\\002', { maxBytes: 1 })).toBeNull();
    expect(parseOctalEscapes('a\n', { maxBytes: 4 })).toBeNull();
  });

  it('answers hex(md5(id || password || challenge)) like a RouterOS hotspot expects', () => {
    for (let i = 0; i < 50; i++) {
      const id = new Uint8Array([i * 5]);
      const challenge = crypto.getRandomValues(new Uint8Array(16));
      const password = `pw-${i}-ü`;
      const expected = createHash('md5').update(Buffer.concat([id, Buffer.from(password, 'utf8'), challenge])).digest('hex');
      expect(chapResponse(id, password, challenge)).toBe(expected);
    }
  });
});

describe('hotspot variables', () => {
  const base = { identity: 'rw03', 'server-address': '10.5.50.1:80', mac: 'AA:BB:CC:00:00:01', ip: '10.5.50.9' };
  it('keeps only http(s) destinations', () => {
    expect(safeHttpUrl('javascript:alert(1)', { maxLength: 100 })).toBeNull();
    expect(safeHttpUrl('JaVaScRiPt:alert(1)', { maxLength: 100 })).toBeNull();
    expect(safeHttpUrl('data:text/html,x', { maxLength: 100 })).toBeNull();
    expect(safeHttpUrl('http://u:p@x.test/', { maxLength: 100 })).toBeNull();
    expect(safeHttpUrl('https://x.test/a?b=1', { maxLength: 100 })!.href).toBe('https://x.test/a?b=1');
    const r = parseHotspotVars({ ...base, 'link-orig': 'javascript:alert(1)', 'link-orig-esc': encodeURIComponent('http://ok.test/') });
    expect(r.ok && r.handoff.dst).toBe('http://ok.test/');
  });

  it('bounds every field and refuses malformed MAC, IP and CHAP material', () => {
    expect(parseHotspotVars({ ...base, mac: 'AA:BB:CC:00:00:0G' })).toEqual({ ok: false, reason: 'malformed' });
    expect(parseHotspotVars({ ...base, ip: '10.5.50.256' })).toEqual({ ok: false, reason: 'malformed' });
    expect(parseHotspotVars({ ...base, 'chap-id': '\\001', 'chap-challenge': '' })).toEqual({ ok: false, reason: 'malformed' });
    expect(parseHotspotVars({ ...base, 'link-orig': `http://x.test/${'a'.repeat(1100)}` })).toEqual({ ok: false, reason: 'too_long' });
    expect(parseHotspotVars({ 'server-address': '10.5.50.1' })).toEqual({ ok: false, reason: 'no_identity' });
  });

  it('sends credentials only to the hotspot’s own address', () => {
    expect(loginUrlFor({ linkLoginOnly: 'http://10.5.50.1/login' }, '10.5.50.1')).toBe('http://10.5.50.1/login');
    expect(loginUrlFor({ linkLoginOnly: 'https://10.5.50.1:8443/login' }, '10.5.50.1')).toBe('https://10.5.50.1:8443/login');
    expect(loginUrlFor({ linkLoginOnly: 'http://evil.test/login' }, '10.5.50.1')).toBe('http://10.5.50.1/login');
    expect(loginUrlFor({ linkLoginOnly: 'http://10.5.50.1.evil.test/login' }, '10.5.50.1')).toBe('http://10.5.50.1/login');
    expect(loginUrlFor({ linkLoginOnly: 'http://10.5.50.1/login?x=javascript:1' }, '10.5.50.1')).toBe('http://10.5.50.1/login');
    expect(loginUrlFor({ linkLoginOnly: null }, 'hotspot.cilegon.test')).toBe('http://hotspot.cilegon.test/login');
  });

  it('maps router error texts to plain words', () => {
    expect(routerErrorKey('invalid username or password')).toBe('rInvalid');
    expect(routerErrorKey('no more sessions are allowed for user')).toBe('rSessions');
    expect(routerErrorKey('user jk-x has reached uptime limit')).toBe('rUptime');
    expect(routerErrorKey('user jk-x has reached traffic limit')).toBe('rTraffic');
    expect(routerErrorKey('<script>')).toBe('rOther');
  });
});

describe('phone numbers and voucher codes', () => {
  it('reads Indonesian mobile numbers however they are typed', () => {
    for (const s of ['0812-3456-7890', '+62 812 3456 7890', '6281234567890', '81234567890']) expect(normalizePhone(s)).toBe('+6281234567890');
    for (const s of ['0212345678', '+1 555 1234', '08', 'x'.repeat(40)]) expect(normalizePhone(s)).toBeNull();
  });

  it('makes codes without look-alike characters', () => {
    for (const bad of ['0', 'O', '1', 'I', 'L']) expect(VOUCHER_ALPHABET).not.toContain(bad);
    const counts = new Map<string, number>();
    for (let i = 0; i < 2000; i++) {
      const c = newVoucherCode();
      expect(c).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{10}$/);
      for (const ch of c) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    }
    expect(counts.size).toBe(VOUCHER_ALPHABET.length);
    expect(normalizeVoucherCode('abcde fghjk')).toBe('ABCDEFGHJK');
    expect(normalizeVoucherCode('ABCDE-FGHJ0')).toBeNull();
  });
});

describe('md5 of the CHAP answer (@noble/hashes/legacy since issue 14)', () => {
  it('matches the RFC 1321 test suite and node:crypto on every length around block edges', async () => {
    const { md5 } = await import('@noble/hashes/legacy.js');
    const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
    const enc = new TextEncoder();
    expect(hex(md5(enc.encode('')))).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(hex(md5(enc.encode('abc')))).toBe('900150983cd24fb0d6963f7d28e17f72');
    expect(hex(md5(enc.encode('12345678901234567890123456789012345678901234567890123456789012345678901234567890')))).toBe('57edf4a22be3c955ac49da2e2107b67a');
    for (let n = 0; n < 200; n++) {
      const data = crypto.getRandomValues(new Uint8Array(n));
      expect(hex(md5(data))).toBe(createHash('md5').update(data).digest('hex'));
    }
  });

  it('gives the same CHAP answers as the hand-written MD5 it replaced (vectors recorded from it)', () => {
    const id = parseOctalEscapes('\\371', { maxBytes: 1 })!;
    const challenge = parseOctalEscapes('\\024\\215\\342\\037\\260\\017\\231\\146\\301\\012\\377\\000\\123\\200\\055\\007', { maxBytes: 16 })!;
    expect(chapResponse(id, 'jk-Kata_sandi-2026', challenge)).toBe('44e973156e97528681a31f937d2c4d8f');
    expect(chapResponse(id, 'sandi warga ü', challenge)).toBe('d913381d5cdc6e92080c29ba9fb44210');
  });
});
