import { describe, expect, it, vi } from 'vitest';
import { hmac } from '@oslojs/crypto/hmac';
import { sha256, SHA256 } from '@oslojs/crypto/sha2';
import { decodeBase64, encodeBase64urlNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { nativeHashes, newId, newSecretToken, randomBytes, sha256Hex } from '../../server/crypto/random.ts';
import { createSecretBox } from '../../server/crypto/secret-box.ts';
import { portalHash } from '../../server/portal/pure/portal-keys.ts';

// Issue 14: ids and tokens come from a buffered CSPRNG pool; every draw must still be fresh.
describe('buffered random bytes', () => {
  it('hands out each byte once, across pool refills, in any size', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const b = randomBytes(16);
      expect(b).toHaveLength(16);
      seen.add(Buffer.from(b).toString('hex'));
    }
    expect(seen.size).toBe(5000);
    expect(randomBytes(3000)).toHaveLength(3000);
    expect(randomBytes(200_000).some((x) => x !== 0)).toBe(true);
    const ids = new Set(Array.from({ length: 2000 }, () => newId()));
    expect(ids.size).toBe(2000);
    for (const id of ids) expect(id).toMatch(/^[a-z2-7]{26}$/);
    expect(newSecretToken()).toMatch(/^[a-z2-7]{32}$/);
  });

  it('draws secret tokens straight from the CSPRNG, never from the buffered bytes a heap dump could show', () => {
    const spy = vi.spyOn(globalThis.crypto, 'getRandomValues');
    try {
      const token = newSecretToken();
      expect(token).toMatch(/^[a-z2-7]{32}$/);
      // Exactly one draw of the token's own 20 bytes; the pool (refilled in 4 KiB draws) was not used for it.
      expect(spy.mock.calls.map(([a]) => (a as Uint8Array).length)).toEqual([20]);
    } finally {
      spy.mockRestore();
    }
  });

  it('a returned buffer is a copy: it shares no memory with the pool or with another draw', () => {
    const draws = Array.from({ length: 64 }, () => randomBytes(8));
    // Each draw owns its bytes: no view into a shared pool buffer that a later draw (or a caller's fill) would change.
    for (const d of draws) expect(d.byteOffset === 0 && d.buffer.byteLength === 8, 'a draw is its own 8-byte buffer').toBe(true);
    const kept = draws.map((d) => Buffer.from(d).toString('hex'));
    for (const d of draws) d.fill(0);
    const later = Array.from({ length: 64 }, () => Buffer.from(randomBytes(8)).toString('hex'));
    expect(later.filter((h) => h === '0000000000000000')).toEqual([]);
    expect(new Set([...kept, ...later]).size).toBe(128);
  });
});

// Issue 14: node:crypto's SHA-256 and HMAC where present; stored hashes (flow ids, device keys, address hashes) must
// come out exactly as the pure-JS functions made them.
describe('hashes through node:crypto are the same values', () => {
  it('sha256Hex and portalHash match the pure-JS results', async () => {
    expect(nativeHashes).not.toBeNull();
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('kata ✓')).toBe(encodeHexLowerCase(sha256(new TextEncoder().encode('kata ✓'))));
    const box = await createSecretBox(new Uint8Array(32).fill(5));
    const key = decodeBase64(await box.keyedHash('portal-subkey-v1', 'portal'));
    for (const [value, purpose] of [['10.5.50.23', 'portal-limit-address'], ['AA:BB:CC:00:00:01', 'portal-device'], ['ä✓', 'x']] as const) {
      expect(await portalHash(box, value, purpose)).toBe(encodeBase64urlNoPadding(hmac(SHA256, key, new TextEncoder().encode(`${purpose}\u0000${value}`))));
    }
  });
});
