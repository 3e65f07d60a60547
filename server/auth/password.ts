import { scryptAsync } from '@noble/hashes/scrypt.js';
import { decodeBase64, encodeBase64 } from '@oslojs/encoding';
import { constantTimeEqual } from '../crypto/random.ts';
import { passwordWork, type HashPriority, type HashTicket } from './hash-queue.ts';

/**
 * Memory-hard password hashing with scrypt (pure JS from @noble/hashes, so identical on Node and Workers).
 * Stored as `$scrypt$ln=15,r=8,p=1$<salt b64>$<hash b64>`: the parameters travel with the hash, so they can be raised
 * later and old hashes still verify (`needsRehash` tells sign-in to store a new hash then). ln=15 uses 32 MiB and
 * about 150 ms of one core here, which is why every hash runs through the bounded queue (hash-queue.ts).
 */
export interface ScryptParams {
  ln: number;
  r: number;
  p: number;
}
export const PASSWORD_PARAMS: ScryptParams = { ln: 15, r: 8, p: 1 };

/** Yield to the event loop every few milliseconds, so /healthz and other requests are answered during a hash. */
const ASYNC_TICK_MS = 5;

/** scrypt with dkLen 32 over the NFKC-normalised password as UTF-8. */
export type ScryptFn = (password: string, salt: Uint8Array, params: ScryptParams) => Promise<Uint8Array>;

const pureScrypt: ScryptFn = (password, salt, params) =>
  scryptAsync(password, salt, { N: 2 ** params.ln, r: params.r, p: params.p, dkLen: 32, asyncTick: ASYNC_TICK_MS });

let scryptImpl: ScryptFn = pureScrypt;

/** The Node entry installs the native scrypt (auth/scrypt-node.ts); Workers keep the pure-JS one. Same results. */
export function useScrypt(fn: ScryptFn): void {
  scryptImpl = fn;
}

function scrypt(password: string, salt: Uint8Array, params: ScryptParams): Promise<Uint8Array> {
  return scryptImpl(password.normalize('NFKC'), salt, params);
}

export async function hashPassword(password: string, options: { params?: ScryptParams; priority?: HashPriority } = {}): Promise<string> {
  const params = options.params ?? PASSWORD_PARAMS;
  const salt = new Uint8Array(16);
  crypto.getRandomValues(salt);
  const hash = await passwordWork.run(() => scrypt(password, salt, params), options.priority ?? 'staff');
  return `$scrypt$ln=${params.ln},r=${params.r},p=${params.p}$${encodeBase64(salt)}$${encodeBase64(hash)}`;
}

const STORED = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([^$]+)\$([^$]+)$/;

function parseStored(stored: string): { params: ScryptParams; salt: string; hash: string } | null {
  const m = STORED.exec(stored);
  if (m === null) return null;
  const [, ln, r, p, salt, hash] = m as unknown as [string, string, string, string, string, string];
  const params = { ln: Number(ln), r: Number(r), p: Number(p) };
  // A stored hash is data: refuse parameters no sign-in should ever be made to compute (CPU or memory bombs).
  if (params.ln < 10 || params.ln > 20 || params.r < 1 || params.r > 32 || params.p < 1 || params.p > 4) return null;
  return { params, salt, hash };
}

/** `ticket`: the place a sign-in took in the hash queue on arrival (passwordWork.admit()). */
export async function verifyPassword(stored: string, password: string, options: { priority?: HashPriority; ticket?: HashTicket } = {}): Promise<boolean> {
  const parsed = parseStored(stored);
  if (parsed === null) {
    options.ticket?.release();
    return false;
  }
  const hash = await passwordWork.run(() => scrypt(password, decodeBase64(parsed.salt), parsed.params), options.priority ?? 'staff', options.ticket);
  return constantTimeEqual(encodeBase64(hash), parsed.hash);
}

/** True when a hash was made with other parameters than today's: the next successful sign-in stores a new one. */
export function needsRehash(stored: string): boolean {
  const parsed = parseStored(stored);
  if (parsed === null) return true;
  return parsed.params.ln !== PASSWORD_PARAMS.ln || parsed.params.r !== PASSWORD_PARAMS.r || parsed.params.p !== PASSWORD_PARAMS.p;
}

/** A hash of a random password: verifying against it costs the same as against a real one (no user enumeration by timing). */
let dummyHash: Promise<string> | null = null;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(crypto.randomUUID(), { priority: 'staff' });
  return dummyHash;
}
