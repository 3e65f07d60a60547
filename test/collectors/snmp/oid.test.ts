import { describe, expect, it } from 'vitest';
import { compareOids, indexAfter, isUnder } from '../../../collectors/snmp/oid.ts';

function reference(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) if (pa[i] !== pb[i]) return (pa[i] as number) - (pb[i] as number);
  return pa.length - pb.length;
}

describe('OID helpers', () => {
  it('compareOids orders numerically arc by arc, like the reference on random OIDs', () => {
    let seed = 7;
    const rnd = (n: number): number => ((seed = (seed * 48271) % 2147483647), seed % n);
    const oid = (): string => Array.from({ length: 1 + rnd(8) }, () => rnd(3) === 0 ? rnd(300000) : rnd(12)).join('.');
    for (let i = 0; i < 5000; i++) {
      const a = oid();
      const b = rnd(4) === 0 ? a + '.' + rnd(5) : oid();
      expect(Math.sign(compareOids(a, b)), `${a} vs ${b}`).toBe(Math.sign(reference(a, b)));
      expect(Math.sign(compareOids(b, a))).toBe(Math.sign(reference(b, a)));
    }
    expect(compareOids('1.3.6.1.2.1.2.2.1.9.48', '1.3.6.1.2.1.2.2.1.10')).toBeLessThan(0);
  });

  it('isUnder and indexAfter respect arc boundaries', () => {
    expect(isUnder('1.3.6.1.2.1.2.2.1.1', '1.3.6.1.2.1.2.2.1.1.5')).toBe(true);
    expect(isUnder('1.3.6.1.2.1.2.2.1.1', '1.3.6.1.2.1.2.2.1.10.5')).toBe(false);
    expect(isUnder('1.3.6.1.2.1.2.2.1.1', '1.3.6.1.2.1.2.2.1.1')).toBe(false);
    expect(indexAfter('1.3.6.1.4.1.14988.1.1.1.2.1.3', '1.3.6.1.4.1.14988.1.1.1.2.1.3.0.39.16.50.237.96.9')).toEqual([0, 39, 16, 50, 237, 96, 9]);
  });
});
