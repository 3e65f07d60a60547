/**
 * discoverSnmpDevice: given address + community, fetch the system group, probe vendor subtrees, detect the vendor
 * and report model and firmware version. A device that does not answer is a typed failure, never a throw.
 */
import type { PollError, SystemInfo } from '../../core/observations.ts';
import type { Vendor } from '../../core/schemas/inventory.ts';
import { isUnder } from '../snmp/oid.ts';
import { SnmpError } from '../snmp/types.ts';
import type { SnmpClient, SnmpRequestOptions, SnmpTarget, Varbind } from '../snmp/types.ts';
import { detectVendor, VENDOR_PROBES } from './detect-vendor.ts';
import { parseSystem, SYSTEM_OIDS } from './generic.ts';
import { allDrivers, driverFor } from './registry.ts';
import { tableOf } from './varbind-table.ts';

export type DiscoveryResult =
  | { ok: true; vendor: Vendor; model: string | null; version: string | null; hardwareRevision: string | null; system: SystemInfo }
  | { ok: false; error: PollError };

const unique = (xs: readonly string[]): string[] => [...new Set(xs)];
/** Every vendor's identity scalars, asked in the same GET as the system group (an agent answers noSuch* for others). */
const DETAIL_OIDS = unique(allDrivers().flatMap((d) => d.identityPlan.gets));
/** Vendor subtree probes and the identity columns read by their first row, in one GETNEXT. */
const NEXT_OIDS = unique([...Object.values(VENDOR_PROBES), ...allDrivers().flatMap((d) => d.identityPlan.firstOf)]);

export interface DiscoveredDetails {
  vendor: Vendor;
  model: string | null;
  version: string | null;
  hardwareRevision: string | null;
  system: SystemInfo;
}

/** Pure part: from the fetched varbinds (system + details + probe answers) to vendor, model, version. */
export function describeDevice(gets: readonly Varbind[], probes: readonly Varbind[]): DiscoveredDetails {
  const system = parseSystem(tableOf(gets));
  const present = Object.values(VENDOR_PROBES).filter((root) => probes.some((vb) => isUnder(root, vb.oid)));
  const vendor = detectVendor({ objectId: system.objectId, descr: system.descr, presentSubtrees: present });
  const identity = driverFor(vendor).identify([...gets, ...probes]);
  system.version = identity.version;
  return { vendor, model: identity.model, version: identity.version, hardwareRevision: identity.hardwareRevision, system };
}

export async function discoverSnmpDevice(
  client: SnmpClient,
  target: SnmpTarget,
  opts?: SnmpRequestOptions,
): Promise<DiscoveryResult> {
  try {
    const gets = await client.get(target, unique([...SYSTEM_OIDS, ...DETAIL_OIDS]), opts);
    if (!gets.some((vb) => SYSTEM_OIDS.includes(vb.oid))) {
      return { ok: false, error: { kind: 'protocol', message: 'agent answered but has no system group' } };
    }
    const probes = await client.getNext(target, NEXT_OIDS, opts);
    return { ok: true, ...describeDevice(gets, probes) };
  } catch (err) {
    if (err instanceof SnmpError) return { ok: false, error: { kind: err.kind, message: err.message } };
    return { ok: false, error: { kind: 'internal', message: (err as Error).message } };
  }
}
