import { describe, expect, it } from 'vitest';
import { newId, newSecretToken, randomBytes } from '../../server/crypto/random.ts';

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

  it('a returned buffer is a copy: changing it changes no later draw', () => {
    const a = randomBytes(8);
    a.fill(0);
    const b = randomBytes(8);
    expect(Buffer.from(b).equals(Buffer.from(a))).toBe(false);
  });
});
