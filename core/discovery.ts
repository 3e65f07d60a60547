/**
 * Finding out what a device is from its address and community: the vendor from sysObjectID / sysDescr and the
 * vendor subtrees it answers, its model and firmware. The server asks through this interface; on Node the entry
 * provides an SNMP implementation (collectors/drivers), on Workers there is none (routers are not reachable).
 */
import type { PollError } from './observations.ts';
import type { Vendor } from './schemas/inventory.ts';

export type Discovery =
  | {
      ok: true;
      vendor: Vendor;
      model: string | null;
      version: string | null;
      /** Issue 11: a hardware revision the vendor reports apart from the model (TP-Link `SG2218P 1.20` -> `1.20`). */
      hardwareRevision?: string | null;
      sysName: string | null;
      sysDescr: string | null;
      uptimeS: number | null;
    }
  | { ok: false; error: PollError };

/** The model as stored on a device: the vendor's model with its hardware revision when there is one. */
export function modelWithRevision(d: { model: string | null; hardwareRevision?: string | null }): string | null {
  if (d.model === null) return null;
  return d.hardwareRevision ? `${d.model} ${d.hardwareRevision}` : d.model;
}

export interface DeviceDiscoverer {
  discover(target: { address: string; community: string; port: number; version: '2c' | '1' }, options: { timeoutMs: number }): Promise<Discovery>;
}
