import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { sha256 } from '@oslojs/crypto/sha2';

/**
 * Random bytes from a buffer refilled 4 KiB at a time from the system CSPRNG (crypto.getRandomValues), the way
 * Node batches randomUUID: a getRandomValues call costs ~10 us of CPU on Node 20 whatever its size, and a portal
 * sign-in draws a dozen ids and IVs (issue 14). Bytes are handed out once and wiped from the buffer. The buffer holds
 * bytes not yet used, so only values that are public once made come from it (row ids, IVs stored beside their
 * ciphertext); secrets (session, API and flow tokens, passwords) are drawn straight from the CSPRNG, so a heap
 * snapshot or core dump never holds a token before it is made.
 */
const POOL_BYTES = 4096;
let pool = new Uint8Array(0);
let poolAt = 0;

export function randomBytes(n: number): Uint8Array<ArrayBuffer> {
  if (n > POOL_BYTES / 4) {
    const big = new Uint8Array(n);
    for (let o = 0; o < n; o += 65_536) crypto.getRandomValues(big.subarray(o, Math.min(n, o + 65_536)));
    return big;
  }
  if (poolAt + n > pool.length) {
    pool = new Uint8Array(POOL_BYTES);
    crypto.getRandomValues(pool);
    poolAt = 0;
  }
  const out = pool.slice(poolAt, poolAt + n);
  pool.fill(0, poolAt, poolAt + n);
  poolAt += n;
  return out;
}

/** 128 random bits as 26 base-32 characters: ids of rows that the world may see. */
export function newId(): string {
  return encodeBase32LowerCaseNoPadding(randomBytes(16));
}

/** 160 random bits for a bearer secret (session or API token), straight from the CSPRNG (not the buffer above). */
export function newSecretToken(): string {
  return encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(20)));
}

/** node:crypto's hashes where the runtime has them (Node; Workers with nodejs_compat), for the hot paths below. */
export interface NativeHashes {
  createHash(alg: 'sha256'): { update(data: string | Uint8Array): { digest(): Uint8Array; digest(enc: 'hex'): string } };
  createHmac(alg: 'sha256', key: Uint8Array): { update(data: string | Uint8Array): { digest(): Uint8Array } };
}

export const nativeHashes: NativeHashes | null = (() => {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const mod = proc?.getBuiltinModule?.('node:crypto') as Partial<NativeHashes> | undefined;
  return mod !== undefined && typeof mod.createHash === 'function' && typeof mod.createHmac === 'function' ? (mod as NativeHashes) : null;
})();

/** SHA-256 as hex. Issue 14: node:crypto where present (1.0 us against 4.0 us for the pure-JS hash per short token). */
export function sha256Hex(text: string): string {
  if (nativeHashes !== null) return nativeHashes.createHash('sha256').update(text).digest('hex');
  return encodeHexLowerCase(sha256(new TextEncoder().encode(text)));
}

/** Compares two strings in time that depends only on their lengths. */
export function constantTimeEqual(a: string, b: string): boolean {
  const ea = new TextEncoder().encode(a);
  const eb = new TextEncoder().encode(b);
  if (ea.length !== eb.length) return false;
  let diff = 0;
  for (let i = 0; i < ea.length; i++) diff |= (ea[i] as number) ^ (eb[i] as number);
  return diff === 0;
}
