import { scryptAsync } from '@noble/hashes/scrypt.js';
import { decodeBase64, encodeBase64 } from '@oslojs/encoding';
import { constantTimeEqual } from '../crypto/random.ts';

/**
 * Memory-hard password hashing with scrypt (pure JS from @noble/hashes, so identical on Node and Workers).
 * Stored as `$scrypt$ln=15,r=8,p=1$<salt b64>$<hash b64>`: the parameters travel with the hash, so they can be raised
 * later and old hashes still verify. ln=15 uses 32 MiB and about 150 ms of one core here.
 */
const DEFAULT = { ln: 15, r: 8, p: 1 } as const;

export async function hashPassword(password: string, params: { ln: number; r: number; p: number } = DEFAULT): Promise<string> {
  const salt = new Uint8Array(16);
  crypto.getRandomValues(salt);
  const hash = await scryptAsync(password.normalize('NFKC'), salt, { N: 2 ** params.ln, r: params.r, p: params.p, dkLen: 32 });
  return `$scrypt$ln=${params.ln},r=${params.r},p=${params.p}$${encodeBase64(salt)}$${encodeBase64(hash)}`;
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  const m = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([^$]+)\$([^$]+)$/.exec(stored);
  if (m === null) return false;
  const [, ln, r, p, saltB64, hashB64] = m as unknown as [string, string, string, string, string, string];
  const salt = decodeBase64(saltB64);
  const hash = await scryptAsync(password.normalize('NFKC'), salt, { N: 2 ** Number(ln), r: Number(r), p: Number(p), dkLen: 32 });
  return constantTimeEqual(encodeBase64(hash), hashB64);
}

/** A hash of a random password: verifying against it costs the same as against a real one (no user enumeration by timing). */
let dummyHash: Promise<string> | null = null;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(crypto.randomUUID());
  return dummyHash;
}
