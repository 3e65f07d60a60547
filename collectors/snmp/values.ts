/** Reading varbind values the way drivers need them, without silent precision loss. */
import type { Varbind } from './types.ts';

/** Text of an OctetString (UTF-8, NULs trimmed), or the string form of OIDs/IPs. */
export function asText(vb: Varbind | undefined): string | null {
  if (!vb) return null;
  const v = vb.value;
  if (Buffer.isBuffer(v)) return v.toString('utf8').replace(/\0+$/, '');
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  return null;
}

/** A JS number for Integer/Gauge/TimeTicks/Counter32 (Counter64 only when it is exactly representable). */
export function asNumber(vb: Varbind | undefined): number | null {
  if (!vb) return null;
  const v = vb.value;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : null;
  if (Buffer.isBuffer(v)) {
    const n = Number(v.toString('utf8').trim());
    return v.length > 0 && Number.isFinite(n) ? n : null;
  }
  return null;
}

/** A counter as bigint (Counter32 or Counter64), exact. */
export function asBigInt(vb: Varbind | undefined): bigint | null {
  if (!vb) return null;
  const v = vb.value;
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  return null;
}

/** A 6-byte OctetString as a lower-case colon-separated MAC, else null. */
export function asMac(vb: Varbind | undefined): string | null {
  if (!vb || !Buffer.isBuffer(vb.value) || vb.value.length !== 6) return null;
  return macFromBytes([...vb.value]);
}

export function macFromBytes(bytes: readonly number[]): string | null {
  if (bytes.length !== 6 || bytes.some((b) => !Number.isInteger(b) || b < 0 || b > 255)) return null;
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}
