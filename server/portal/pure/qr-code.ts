/**
 * QR codes for voucher sign-in links (issue 14): the `uqr` package (ISO/IEC 18004, zero dependencies, ESM, runs on
 * Node and Workers) encodes; this file pins what the sheet relies on: byte mode (the text's UTF-8 bytes), error
 * correction level M (never boosted), versions 1-10 (up to 213 bytes), no border in the matrix, and draws it as one
 * SVG path with a four-module quiet zone. Replaced our own encoder, which was 13x slower (bench/RESULTS.md).
 */
import { encode } from 'uqr';

export const QR_MAX_VERSION = 10;

export interface QrMatrix {
  version: number;
  size: number;
  mask: number;
  /** modules[y][x]: true = dark. */
  modules: boolean[][];
}

/** Bytes that fit in byte mode at level M, versions 1-10 (ISO/IEC 18004 table 7). */
const BYTE_CAPACITY_M = [14, 26, 42, 62, 84, 106, 122, 152, 180, 213];

/** Bytes that fit in byte mode at level M for a version (1-10). */
export function qrByteCapacity(version: number): number {
  const c = BYTE_CAPACITY_M[version - 1];
  if (c === undefined) throw new RangeError(`QR version ${version} is outside 1-${QR_MAX_VERSION}`);
  return c;
}

/** The smallest code (from `minVersion`) holding the text; RangeError when it needs more than version 10. */
export function encodeQr(text: string, options: { minVersion?: number } = {}): QrMatrix {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length > qrByteCapacity(QR_MAX_VERSION)) throw new RangeError(`QR payload of ${bytes.length} bytes exceeds version ${QR_MAX_VERSION} at level M`);
  // An array of numbers is encoded as one byte-mode segment (a string could become numeric or alphanumeric mode).
  const q = encode(Array.from(bytes), { ecc: 'M', boostEcc: false, border: 0, minVersion: Math.max(1, options.minVersion ?? 1), maxVersion: QR_MAX_VERSION });
  return { version: q.version, size: q.size, mask: q.maskPattern, modules: q.data };
}

/** An SVG of the code with a four-module quiet zone; `moduleSize` in SVG user units. */
export function qrSvg(matrix: QrMatrix, options: { moduleSize?: number; label?: string } = {}): string {
  const m = options.moduleSize ?? 4;
  const quiet = 4;
  const full = (matrix.size + quiet * 2) * m;
  let path = '';
  for (let y = 0; y < matrix.size; y++) {
    for (let x = 0; x < matrix.size; x++) {
      if (matrix.modules[y]![x]) path += `M${(x + quiet) * m} ${(y + quiet) * m}h${m}v${m}h-${m}z`;
    }
  }
  const title = options.label === undefined ? '' : `<title>${options.label.replace(/[<>&"']/g, '')}</title>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${full} ${full}" width="${full}" height="${full}" shape-rendering="crispEdges">${title}<rect width="${full}" height="${full}" fill="#fff"/><path fill="#000" d="${path}"/></svg>`;
}
