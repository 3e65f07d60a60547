import { describe, expect, it } from 'vitest';
import { createSecretBox } from '../../server/crypto/secret-box.ts';

// Issue 14: on Node the box seals through node:crypto; Workers (and `native: false`) use Web Crypto. Both write the
// same form, so a value sealed by one runtime opens in the other.
describe('SecretBox: node:crypto and Web Crypto seal the same way', () => {
  const key = new Uint8Array(32).map((_, i) => i * 7 + 1);

  it('each opens what the other sealed, bound to the purpose', async () => {
    const native = await createSecretBox(key);
    const web = await createSecretBox(key, { native: false });
    for (const [a, b] of [
      [native, web],
      [web, native],
    ] as const) {
      const sealed = await a.seal('kata sandi rahasia ✓', 'portal-grant-password:g1');
      expect(sealed).toMatch(/^v1\./);
      expect(await b.open(sealed, 'portal-grant-password:g1')).toBe('kata sandi rahasia ✓');
      await expect(b.open(sealed, 'portal-grant-password:g2')).rejects.toMatchObject({ code: 'internal' });
    }
  });

  it('refuses a tampered or truncated value and a wrong key', async () => {
    const native = await createSecretBox(key);
    const other = await createSecretBox(new Uint8Array(32).fill(9));
    const sealed = await native.seal('secret', 'p');
    const bytes = Buffer.from(sealed.slice(3), 'base64');
    bytes[14] = bytes[14]! ^ 1;
    for (const box of [native, await createSecretBox(key, { native: false })]) {
      await expect(box.open(`v1.${bytes.toString('base64')}`, 'p')).rejects.toMatchObject({ code: 'internal' });
      await expect(box.open(`v1.${Buffer.from(sealed.slice(3), 'base64').subarray(0, 20).toString('base64')}`, 'p')).rejects.toMatchObject({ code: 'internal' });
    }
    await expect(other.open(sealed, 'p')).rejects.toMatchObject({ code: 'internal' });
    // Two seals of one value differ (a fresh IV each time).
    expect(await native.seal('secret', 'p')).not.toBe(sealed);
  });

  it('keeps Web Crypto where node:crypto is named but not carried out (a runtime stub that throws)', async () => {
    const stub = {
      createCipheriv: () => {
        throw new Error('[unenv] crypto.createCipheriv is not implemented yet!');
      },
      createDecipheriv: () => {
        throw new Error('[unenv] crypto.createDecipheriv is not implemented yet!');
      },
    };
    const box = await createSecretBox(key, { nativeImpl: stub as never });
    const sealed = await box.seal('kunci', 'p');
    expect(await box.open(sealed, 'p')).toBe('kunci');
    expect(await (await createSecretBox(key, { native: false })).open(sealed, 'p')).toBe('kunci');
  });
});
