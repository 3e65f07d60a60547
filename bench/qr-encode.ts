/**
 * Issue 14 item 9: the voucher sheet's QR codes, `uqr` (which replaced our hand-written encoder) behind
 * server/portal/pure/qr-code.ts, timed on voucher login links (90 bytes, version 6 at level M) against drawing the
 * same matrices as SVG (qrSvg, plain string work) as the in-process baseline. Rounds interleaved, medians reported.
 * The hand-written encoder was measured against uqr in one process before it was removed (bench/RESULTS.md).
 */
import { encodeQr, qrSvg, type QrMatrix } from '../server/portal/pure/qr-code.ts';

const link = (i: number): string => `http://login.wifi/login?dst=${encodeURIComponent(`https://wifi.cilegonkota.go.id/portal/v/${(1_000_000_000 + i * 7919).toString(36).toUpperCase().padStart(10, '7')}`)}`;
const N = Number(process.env.N ?? 200);
const matrices: QrMatrix[] = Array.from({ length: N }, (_, i) => encodeQr(link(i)));

function time(fn: (i: number) => number): number {
  let sink = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) sink ^= fn(i);
  const ns = Number(process.hrtime.bigint() - t0);
  if (sink === -1) console.log('');
  return ns / N / 1e6;
}
const encode = (i: number): number => encodeQr(link(i)).size;
const draw = (i: number): number => qrSvg(matrices[i]!, { moduleSize: 4 }).length;
time(encode);
time(draw);
const enc: number[] = [];
const svg: number[] = [];
for (let round = 0; round < 5; round++) {
  enc.push(time(encode));
  svg.push(time(draw));
}
const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const bytes = new TextEncoder().encode(link(0)).length;
console.log(`link: ${bytes} bytes, version ${matrices[0]!.version}; SVG ${Math.round(matrices.reduce((s, m) => s + qrSvg(m, { moduleSize: 4 }).length, 0) / N)} bytes on average`);
console.log(`qrSvg (baseline): ${med(svg).toFixed(3)} ms per code (median of 5 rounds of ${N})`);
console.log(`encodeQr (uqr): ${med(enc).toFixed(3)} ms per code`);
console.log(`ratio encode / draw: ${(med(enc) / med(svg)).toFixed(1)}x; a sheet of 100 vouchers: ${(100 * (med(enc) + med(svg))).toFixed(0)} ms`);
