/**
 * Issue 14 item 9: the MD5 of the hotspot CHAP answer, `@noble/hashes/legacy` (which replaced our hand-written MD5),
 * timed on the input a sign-in hashes (1 id byte + a 32-character grant password + a 16-byte challenge) against
 * node:crypto's native MD5 as the in-process baseline. Rounds interleaved, medians reported. The hand-written MD5 was
 * measured the same way before it was removed (bench/RESULTS.md): noble cost about 1 us more per sign-in.
 */
import { createHash } from 'node:crypto';
import { md5 as nobleMd5 } from '@noble/hashes/legacy.js';

const input = new Uint8Array(1 + 32 + 16);
crypto.getRandomValues(input);
const nativeMd5 = (b: Uint8Array): Uint8Array => createHash('md5').update(b).digest();
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
if (hex(nobleMd5(input)) !== hex(nativeMd5(input))) throw new Error('noble MD5 disagrees with node:crypto');

function time(fn: (b: Uint8Array) => Uint8Array, n: number): number {
  let sink = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    input[0] = i & 0xff;
    sink ^= fn(input)[0]!;
  }
  const ns = Number(process.hrtime.bigint() - t0);
  if (sink === 0x1ff) console.log('');
  return ns / n;
}

const N = 50_000;
time(nativeMd5, N);
time(nobleMd5, N);
const native: number[] = [];
const noble: number[] = [];
for (let round = 0; round < 7; round++) {
  native.push(time(nativeMd5, N));
  noble.push(time(nobleMd5, N));
}
const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
console.log(`node:crypto md5 (baseline): ${med(native).toFixed(0)} ns per CHAP answer (median of 7 rounds of ${N})`);
console.log(`@noble/hashes md5: ${med(noble).toFixed(0)} ns per CHAP answer`);
console.log(`ratio noble / node:crypto: ${(med(noble) / med(native)).toFixed(2)}x`);
