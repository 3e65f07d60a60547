/**
 * Webhook signatures with Web Crypto only (crypto.subtle), so this file runs on Node and on Workers.
 *
 * Header `X-Jangkau-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`.
 * A receiver recomputes v1 over the raw body bytes, compares in constant time and refuses a `t` older than its
 * tolerance (default 300 s) to stop replays. Several v1 entries may appear during a secret rotation.
 */
export const SIGNATURE_HEADER = 'X-Jangkau-Signature';
export const EVENT_HEADER = 'X-Jangkau-Event';
export const DELIVERY_HEADER = 'X-Jangkau-Delivery';

const encoder = new TextEncoder();

function hex(bytes: ArrayBuffer): string {
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function fromHex(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^(?:[0-9a-f]{2})+$/i.test(text)) return null;
  const out = new Uint8Array(new ArrayBuffer(text.length / 2));
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function hmacKey(secret: string, usage: 'sign' | 'verify'): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [usage]);
}

export async function signatureHeaderValue(secret: string, timestampS: number, body: string): Promise<string> {
  const key = await hmacKey(secret, 'sign');
  const mac = await crypto.subtle.sign('HMAC', key, encoder.encode(`${timestampS}.${body}`));
  return `t=${timestampS},v1=${hex(mac)}`;
}

export type SignatureCheck = { ok: true; timestampS: number } | { ok: false; reason: 'malformed' | 'stale' | 'mismatch' };

/** For receivers (and our tests): checks a signature header against the raw body. */
export async function verifySignatureHeader(
  secret: string,
  header: string | null | undefined,
  body: string,
  options: { nowS: number; toleranceS?: number },
): Promise<SignatureCheck> {
  if (header === null || header === undefined) return { ok: false, reason: 'malformed' };
  let timestampS: number | null = null;
  const macs: Array<Uint8Array<ArrayBuffer>> = [];
  for (const part of header.split(',')) {
    const [k, v] = part.trim().split('=', 2);
    if (k === 't' && v !== undefined && /^\d{1,12}$/.test(v)) timestampS = Number(v);
    if (k === 'v1' && v !== undefined) {
      const bytes = fromHex(v);
      if (bytes !== null) macs.push(bytes);
    }
  }
  if (timestampS === null || macs.length === 0) return { ok: false, reason: 'malformed' };
  if (Math.abs(options.nowS - timestampS) > (options.toleranceS ?? 300)) return { ok: false, reason: 'stale' };
  const key = await hmacKey(secret, 'verify');
  const data = encoder.encode(`${timestampS}.${body}`);
  for (const mac of macs) {
    // subtle.verify compares in constant time.
    if (await crypto.subtle.verify('HMAC', key, mac, data)) return { ok: true, timestampS };
  }
  return { ok: false, reason: 'mismatch' };
}
