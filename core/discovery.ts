/**
 * Finding out what a device is from its address and community: the vendor from sysObjectID / sysDescr and the
 * vendor subtrees it answers, its model and firmware. The server asks through this interface; on Node the entry
 * provides an SNMP implementation (collectors/drivers), on Workers there is none (routers are not reachable).
 */
import type { PollError } from './observations.ts';
import type { Vendor } from './schemas/inventory.ts';

export type Discovery =
  | { ok: true; vendor: Vendor; model: string | null; version: string | null; sysName: string | null; sysDescr: string | null; uptimeS: number | null }
  | { ok: false; error: PollError };

export interface DeviceDiscoverer {
  discover(target: { address: string; community: string; port: number; version: '2c' | '1' }, options: { timeoutMs: number }): Promise<Discovery>;
}
