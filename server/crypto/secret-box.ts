import { decodeBase64, encodeBase64 } from '@oslojs/encoding';
import { AppError } from '../../core/errors.ts';

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

export async function createSecretBox(keyBytes: Uint8Array): Promise<SecretBox> {
  const raw = new Uint8Array(keyBytes);
  const aesKey = await crypto.subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
  const hmacKey = await crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const enc = new TextEncoder();
  return {
    async seal(plaintext, purpose) {
      const iv = new Uint8Array(12);
      crypto.getRandomValues(iv);
      const ct = new Uint8Array(
        await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: enc.encode(purpose) }, aesKey, enc.encode(plaintext)),
      );
      const out = new Uint8Array(iv.length + ct.length);
      out.set(iv, 0);
      out.set(ct, iv.length);
      return `v1.${encodeBase64(out)}`;
    },
    async open(sealed, purpose) {
      if (!sealed.startsWith('v1.')) throw new AppError('internal', 'sealed value has an unknown format');
      const bytes = decodeBase64(sealed.slice(3));
      try {
        const pt = await crypto.subtle.decrypt(
          { name: 'AES-GCM', iv: bytes.slice(0, 12), additionalData: enc.encode(purpose) },
          aesKey,
          bytes.slice(12),
        );
        return new TextDecoder().decode(pt);
      } catch (cause) {
        throw new AppError('internal', 'a sealed secret could not be opened (wrong JANGKAU_SECRET_KEY?)', { cause });
      }
    },
    async keyedHash(value, purpose) {
      const mac = new Uint8Array(await crypto.subtle.sign('HMAC', hmacKey, enc.encode(`${purpose}\u0000${value}`)));
      return encodeBase64(mac);
    },
  };
}
