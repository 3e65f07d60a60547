import { decodeBase64, encodeBase64 } from '@oslojs/encoding';
import { AppError } from '../../core/errors.ts';
import { randomBytes } from './random.ts';

/**
 * Seals secrets at rest (device credentials, later phone numbers) with AES-256-GCM from Web Crypto, so the same code
 * runs on Node and Workers. The key comes from the environment (JANGKAU_SECRET_KEY, 32 bytes as base64 or hex).
 * Sealed form: "v1." + base64(12-byte IV || ciphertext+tag). The additional data binds a value to its purpose, so a
 * sealed community string cannot be replayed as another column's value.
 */
export interface SecretBox {
  seal(plaintext: string, purpose: string): Promise<string>;
  open(sealed: string, purpose: string): Promise<string>;
  /** Keyed hash for look-ups of a secret value (e.g. a phone number) without decrypting every row. */
  keyedHash(value: string, purpose: string): Promise<string>;
}

export function parseSecretKey(text: string): Uint8Array {
  const t = text.trim();
  let bytes: Uint8Array | null = null;
  if (/^[0-9a-fA-F]{64}$/.test(t)) {
    bytes = new Uint8Array(32);
    for (let i = 0; i < 32; i++) bytes[i] = parseInt(t.slice(i * 2, i * 2 + 2), 16);
  } else {
    try {
      bytes = decodeBase64(t);
    } catch {
      bytes = null;
    }
  }
  if (bytes === null || bytes.length !== 32) {
    throw new AppError('bad_request', 'JANGKAU_SECRET_KEY must be 32 bytes written as 64 hex digits or base64');
  }
  return bytes;
}

/** The synchronous AES-256-GCM of node:crypto, where the runtime has it (Node; Workers with nodejs_compat). */
export interface NativeGcm {
  createCipheriv(alg: 'aes-256-gcm', key: Uint8Array, iv: Uint8Array): { setAAD(a: Uint8Array): unknown; update(d: Uint8Array): Uint8Array; final(): Uint8Array; getAuthTag(): Uint8Array };
  createDecipheriv(alg: 'aes-256-gcm', key: Uint8Array, iv: Uint8Array): { setAAD(a: Uint8Array): unknown; setAuthTag(t: Uint8Array): unknown; update(d: Uint8Array): Uint8Array; final(): Uint8Array };
}

function nativeGcm(): NativeGcm | null {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const mod = proc?.getBuiltinModule?.('node:crypto') as Partial<NativeGcm> | undefined;
  return mod !== undefined && typeof mod.createCipheriv === 'function' && typeof mod.createDecipheriv === 'function' ? (mod as NativeGcm) : null;
}

function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

async function nativeAgreesWithWebCrypto(gcm: NativeGcm, raw: Uint8Array, aesKey: CryptoKey): Promise<boolean> {
  try {
    const iv = randomBytes(12);
    const aad = new TextEncoder().encode('self-check');
    const cipher = gcm.createCipheriv('aes-256-gcm', raw, iv);
    cipher.setAAD(aad);
    const sealed = concatBytes([cipher.update(new TextEncoder().encode('jangkau')), cipher.final(), cipher.getAuthTag()]);
    const opened = await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: aad }, aesKey, new Uint8Array(sealed));
    return new TextDecoder().decode(opened) === 'jangkau';
  } catch {
    return false;
  }
}

/**
 * Issue 14: the same AES-256-GCM, in the same sealed form, through node:crypto when the runtime has it: Web Crypto's
 * encrypt costs ~90 us of CPU per call on Node 20 (a job and a promise per call), createCipheriv ~14 us, and every
 * portal grant seals a password. `native: false` keeps Web Crypto (the tests check both open each other's values).
 */
export async function createSecretBox(keyBytes: Uint8Array, options: { native?: boolean; nativeImpl?: NativeGcm } = {}): Promise<SecretBox> {
  const raw = new Uint8Array(keyBytes);
  const aesKey = await crypto.subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
  const hmacKey = await crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const enc = new TextEncoder();
  let gcm = options.native === false ? null : (options.nativeImpl ?? nativeGcm());
  // A runtime may name createCipheriv and not carry it out (Workers' node:crypto has had stubs that throw): the
  // native path is kept only when its sealed form opens with Web Crypto here.
  if (gcm !== null && !(await nativeAgreesWithWebCrypto(gcm, raw, aesKey))) gcm = null;
  const openFailed = (cause: unknown): AppError => new AppError('internal', 'a sealed secret could not be opened (wrong JANGKAU_SECRET_KEY?)', { cause });
  return {
    async seal(plaintext, purpose) {
      const iv = randomBytes(12);
      if (gcm !== null) {
        const cipher = gcm.createCipheriv('aes-256-gcm', raw, iv);
        cipher.setAAD(enc.encode(purpose));
        const body = cipher.update(enc.encode(plaintext));
        const last = cipher.final();
        return `v1.${encodeBase64(concatBytes([iv, body, last, cipher.getAuthTag()]))}`;
      }
      const ct = new Uint8Array(
        await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: enc.encode(purpose) }, aesKey, enc.encode(plaintext)),
      );
      return `v1.${encodeBase64(concatBytes([iv, ct]))}`;
    },
    async open(sealed, purpose) {
      if (!sealed.startsWith('v1.')) throw new AppError('internal', 'sealed value has an unknown format');
      const bytes = decodeBase64(sealed.slice(3));
      if (gcm !== null) {
        try {
          if (bytes.length < 12 + 16) throw new Error('sealed value too short');
          const decipher = gcm.createDecipheriv('aes-256-gcm', raw, bytes.subarray(0, 12));
          decipher.setAAD(enc.encode(purpose));
          decipher.setAuthTag(bytes.subarray(bytes.length - 16));
          const body = decipher.update(bytes.subarray(12, bytes.length - 16));
          const last = decipher.final();
          return new TextDecoder().decode(concatBytes([body, last]));
        } catch (cause) {
          throw openFailed(cause);
        }
      }
      try {
        const pt = await crypto.subtle.decrypt(
          { name: 'AES-GCM', iv: bytes.slice(0, 12), additionalData: enc.encode(purpose) },
          aesKey,
          bytes.slice(12),
        );
        return new TextDecoder().decode(pt);
      } catch (cause) {
        throw openFailed(cause);
      }
    },
    async keyedHash(value, purpose) {
      const mac = new Uint8Array(await crypto.subtle.sign('HMAC', hmacKey, enc.encode(`${purpose}\u0000${value}`)));
      return encodeBase64(mac);
    },
  };
}
