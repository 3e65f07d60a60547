/** Lookup helpers over a flat varbind list: scalars by OID, table columns by index suffix. */
import { compareOids, isUnder } from '../snmp/oid.ts';
import type { Varbind } from '../snmp/types.ts';

export interface VarbindTable {
  scalar(oid: string): Varbind | undefined;
  /** Rows of one column: index suffix (e.g. `3` or `0.39.16.50.237.96.9`) -> varbind, in OID order. */
  column(root: string): Map<string, Varbind>;
  /**
   * The first row of a column (lowest index), whatever its index: what a GETNEXT on the column root answers. For
   * columns indexed by something the poller cannot know in advance (an ifIndex, a controller's serial number).
   */
  first(root: string): Varbind | undefined;
}

export function tableOf(varbinds: readonly Varbind[]): VarbindTable {
  const byOid = new Map<string, Varbind>();
  for (const vb of varbinds) byOid.set(vb.oid, vb);
  const column = (root: string): Map<string, Varbind> => {
    const out = new Map<string, Varbind>();
    for (const vb of varbinds) {
      if (isUnder(root, vb.oid)) out.set(vb.oid.slice(root.length + 1), vb);
    }
    return out;
  };
  return {
    scalar: (oid) => byOid.get(oid),
    column,
    first(root: string): Varbind | undefined {
      let best: Varbind | undefined;
      for (const vb of column(root).values()) {
        if (best === undefined || compareOids(vb.oid, best.oid) < 0) best = vb;
      }
      return best;
    },
  };
}
