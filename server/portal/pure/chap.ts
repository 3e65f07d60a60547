/**
 * CHAP for MikroTik hotspot logins. The router's login page prints `chap-id` (one byte) and `chap-challenge`
 * (16 bytes) as octal escapes ("\371\024..."); the form password the router accepts is
 * hex(md5(chap-id byte || password || challenge bytes)), lower-case. MD5 comes from `@noble/hashes/legacy` (pure JS,
 * maintained; Web Crypto has no MD5), so this runs on Node and Workers alike. Issue 14 replaced the hand-written MD5:
 * bench/chap-md5.ts measured noble at about 1 us more per sign-in, well under 1 % of a sign-in's server CPU.
 */
import { md5 } from '@noble/hashes/legacy.js';

/** Decodes "\371\024..." (three-digit octal escapes; printable ASCII taken literally). Null when malformed. */
export function parseOctalEscapes(text: string, options: { maxBytes: number }): Uint8Array | null {
  const out: number[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text.charCodeAt(i);
    if (ch === 0x5c) {
      const digits = text.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(digits)) return null;
      const value = Number.parseInt(digits, 8);
      if (value > 255) return null;
      out.push(value);
      i += 4;
    } else if (ch >= 0x20 && ch < 0x7f) {
      out.push(ch);
      i += 1;
    } else {
      return null;
    }
    if (out.length > options.maxBytes) return null;
  }
  return new Uint8Array(out);
}

export function bytesToHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

export function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** The password field of a CHAP hotspot login: lower-case hex MD5 of id || password || challenge. */
export function chapResponse(chapId: Uint8Array, password: string, challenge: Uint8Array): string {
  const pw = new TextEncoder().encode(password);
  const buf = new Uint8Array(chapId.length + pw.length + challenge.length);
  buf.set(chapId, 0);
  buf.set(pw, chapId.length);
  buf.set(challenge, chapId.length + pw.length);
  return bytesToHex(md5(buf));
}
