/** Dotted OID helpers (strings without a leading dot). */

/** Numeric arc-by-arc comparison: negative when a sorts before b. */
export function compareOids(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  // Scan arc by arc without allocating (walks compare every returned OID with the previous one).
  while (i < a.length && j < b.length) {
    let x = 0;
    while (i < a.length && a.charCodeAt(i) !== 46) x = x * 10 + (a.charCodeAt(i++) - 48);
    let y = 0;
    while (j < b.length && b.charCodeAt(j) !== 46) y = y * 10 + (b.charCodeAt(j++) - 48);
    if (x !== y) return x - y;
    i++;
    j++;
  }
  const aDone = i >= a.length;
  const bDone = j >= b.length;
  if (aDone && bDone) return 0;
  return aDone ? -1 : 1;
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
