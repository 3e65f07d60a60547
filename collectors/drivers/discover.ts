/**
 * discoverSnmpDevice: given address + community, fetch the system group, probe vendor subtrees, detect the vendor
 * and report model and firmware version. A device that does not answer is a typed failure, never a throw.
 */
import type { PollError, SystemInfo } from '../../core/observations.ts';
import type { Vendor } from '../../core/schemas/inventory.ts';
import { isUnder } from '../snmp/oid.ts';
import { SnmpError } from '../snmp/types.ts';
import type { SnmpClient, SnmpRequestOptions, SnmpTarget, Varbind } from '../snmp/types.ts';
import { asText } from '../snmp/values.ts';
import { CAMBIUM_OID } from './cambium.ts';
import { detectVendor, VENDOR_PROBES } from './detect-vendor.ts';
import { parseSystem, SYSTEM_OIDS } from './generic.ts';
import { MIKROTIK_OID } from './mikrotik.ts';
import { RUCKUS_OID } from './ruckus.ts';
import { TPLINK_OID } from './tplink.ts';
import { UNIFI_OID } from './unifi.ts';
import { tableOf } from './varbind-table.ts';

export type DiscoveryResult =
  | { ok: true; vendor: Vendor; model: string | null; version: string | null; system: SystemInfo }
  | { ok: false; error: PollError };

const DETAIL_OIDS = [MIKROTIK_OID.licVersion, MIKROTIK_OID.boardName, UNIFI_OID.apSystemModel, UNIFI_OID.apSystemVersion,
  CAMBIUM_OID.imageVersion, TPLINK_OID.hwVersion, TPLINK_OID.swVersion];

export interface DiscoveredDetails {
  vendor: Vendor;
  model: string | null;
  version: string | null;
  system: SystemInfo;
}

/** Pure part: from the fetched varbinds (system + details + probe answers) to vendor, model, version. */
export function describeDevice(gets: readonly Varbind[], probes: readonly Varbind[]): DiscoveredDetails {
  const t = tableOf(gets);
  const system = parseSystem(t);
  const present = Object.values(VENDOR_PROBES).filter((root) => probes.some((vb) => isUnder(root, vb.oid)));
  const vendor = detectVendor({ objectId: system.objectId, descr: system.descr, presentSubtrees: present });
  const descr = system.descr ?? '';
  const probeText = (root: string): string | null => asText(probes.find((vb) => isUnder(root, vb.oid)));
  let model: string | null = null;
  let version: string | null = null;
  switch (vendor) {
    case 'mikrotik':
      model = asText(t.scalar(MIKROTIK_OID.boardName)) ?? (/^RouterOS\s+(\S+)/i.exec(descr)?.[1] ?? null);
      version = asText(t.scalar(MIKROTIK_OID.licVersion));
      break;
    case 'ubiquiti-unifi': {
      const m = /^(U\S+)\s+(\S+)/.exec(descr);
      model = asText(t.scalar(UNIFI_OID.apSystemModel)) ?? m?.[1] ?? null;
      version = asText(t.scalar(UNIFI_OID.apSystemVersion)) ?? m?.[2] ?? null;
      break;
    }
    case 'ruckus':
      model = probeText(RUCKUS_OID.nodeModel);
      version = probeText(RUCKUS_OID.nodeVersion);
      break;
    case 'cambium':
      model = descr || null;
      version = asText(t.scalar(CAMBIUM_OID.imageVersion));
      break;
    case 'tplink':
      model = asText(t.scalar(TPLINK_OID.hwVersion))?.split(/\s+/)[0] ?? null;
      version = asText(t.scalar(TPLINK_OID.swVersion));
      break;
    default:
      break;
  }
  system.version = version;
  return { vendor, model, version, system };
}

export async function discoverSnmpDevice(
  client: SnmpClient,
  target: SnmpTarget,
  opts?: SnmpRequestOptions,
): Promise<DiscoveryResult> {
  try {
    const gets = await client.get(target, [...SYSTEM_OIDS, ...DETAIL_OIDS], opts);
    if (!gets.some((vb) => SYSTEM_OIDS.includes(vb.oid))) {
      return { ok: false, error: { kind: 'protocol', message: 'agent answered but has no system group' } };
    }
    const probes = await client.getNext(target, [...Object.values(VENDOR_PROBES), RUCKUS_OID.nodeModel, RUCKUS_OID.nodeVersion], opts);
    return { ok: true, ...describeDevice(gets, probes) };
  } catch (err) {
    if (err instanceof SnmpError) return { ok: false, error: { kind: err.kind, message: err.message } };
    return { ok: false, error: { kind: 'internal', message: (err as Error).message } };
  }
}
