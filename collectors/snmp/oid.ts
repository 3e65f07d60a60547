/** Dotted OID helpers (strings without a leading dot). */

/** Numeric arc-by-arc comparison: negative when a sorts before b. */
export function compareOids(a: string, b: string): number {
  if (a === b) return 0;
  const pa = a.split('.');
  const pb = b.split('.');
  const n = Math.min(pa.length, pb.length);
  for (let i = 0; i < n; i++) {
    const d = Number(pa[i]) - Number(pb[i]);
    if (d !== 0) return d;
  }
  return pa.length - pb.length;
}

/** True when `oid` lies strictly below `root`. */
export function isUnder(root: string, oid: string): boolean {
  return oid.length > root.length && oid.startsWith(root) && oid.charCodeAt(root.length) === 46;
}

/** The arcs after `root` as numbers (the table index), or null when oid is not below root. */
export function indexAfter(root: string, oid: string): number[] | null {
  if (!isUnder(root, oid)) return null;
  return oid
    .slice(root.length + 1)
    .split('.')
    .map(Number);
}

/** Strips one leading dot, so `.1.3.6` and `1.3.6` both work. */
export function normalizeOid(oid: string): string {
  return oid.startsWith('.') ? oid.slice(1) : oid;
}
