/** Lookup helpers over a flat varbind list: scalars by OID, table columns by index suffix. */
import { isUnder } from '../snmp/oid.ts';
import type { Varbind } from '../snmp/types.ts';

export interface VarbindTable {
  scalar(oid: string): Varbind | undefined;
  /** Rows of one column: index suffix (e.g. `3` or `0.39.16.50.237.96.9`) -> varbind, in OID order. */
  column(root: string): Map<string, Varbind>;
}

export function tableOf(varbinds: readonly Varbind[]): VarbindTable {
  const byOid = new Map<string, Varbind>();
  for (const vb of varbinds) byOid.set(vb.oid, vb);
  return {
    scalar: (oid) => byOid.get(oid),
    column(root: string): Map<string, Varbind> {
      const out = new Map<string, Varbind>();
      for (const vb of varbinds) {
        if (isUnder(root, vb.oid)) out.set(vb.oid.slice(root.length + 1), vb);
      }
      return out;
    },
  };
}
