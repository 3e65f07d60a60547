/**
 * The target list a standalone collector fetches holds device credentials. They never travel as plain JSON: the
 * server seals the list with AES-256-GCM under a key derived from the bearer token the collector presented, and only
 * the holder of that token can open it. A proxy or a log that records the response body records no secret.
 * Pure Web Crypto, so server (Node or Workers) and collector share this file.
 */
const enc = new TextEncoder();
const INFO = 'jangkau collector targets v1';

async function keyOf(token: string, usage: 'encrypt' | 'decrypt'): Promise<CryptoKey> {
  const digest = await crypto.subtle.digest('SHA-256', enc.encode(`${INFO}\u0000${token}`));
  return crypto.subtle.importKey('raw', digest, { name: 'AES-GCM' }, false, [usage]);
}

function toB64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function fromB64(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

export async function sealForToken(token: string, plaintext: string): Promise<string> {
  const iv = new Uint8Array(12);
  crypto.getRandomValues(iv);
  const ct = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: enc.encode(INFO) }, await keyOf(token, 'encrypt'), enc.encode(plaintext)));
  const out = new Uint8Array(12 + ct.length);
  out.set(iv, 0);
  out.set(ct, 12);
  return toB64(out);
}

/** Throws when the token is not the one the list was sealed for, or the text was altered. */
export async function openWithToken(token: string, sealed: string): Promise<string> {
  const bytes = fromB64(sealed);
  const pt = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: bytes.slice(0, 12), additionalData: enc.encode(INFO) }, await keyOf(token, 'decrypt'), bytes.slice(12));
  return new TextDecoder().decode(pt);
}
