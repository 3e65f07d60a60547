/**
 * Vendor from sysObjectID, sysDescr and which enterprise subtrees answer a GETNEXT probe. sysObjectID alone is not
 * enough: UniFi and airOS both report 1.3.6.1.4.1.10002.1, and some UniFi firmware reports net-snmp's
 * 1.3.6.1.4.1.8072.3.2.10 (see the recordings).
 */
import type { Vendor } from '../../core/schemas/inventory.ts';
import { isUnder } from '../snmp/oid.ts';

/** Enterprise subtrees probed during discovery (one GETNEXT each, all in one PDU). */
export const VENDOR_PROBES = {
  unifi: '1.3.6.1.4.1.41112.1.6',
  airmax: '1.3.6.1.4.1.41112.1.4',
  mikrotik: '1.3.6.1.4.1.14988.1',
  ruckus: '1.3.6.1.4.1.25053.1',
  cambium: '1.3.6.1.4.1.17713.21',
  tplink: '1.3.6.1.4.1.11863.6',
} as const;

export interface VendorEvidence {
  objectId: string | null;
  descr: string | null;
  /** Probe roots (values of VENDOR_PROBES) under which the agent has at least one object. */
  presentSubtrees?: readonly string[];
}

const ENTERPRISE = '1.3.6.1.4.1';

function underEnterprise(objectId: string, number: number): boolean {
  const root = `${ENTERPRISE}.${number}`;
  return objectId === root || isUnder(root, objectId);
}

export function detectVendor(e: VendorEvidence): Vendor {
  const oid = e.objectId ?? '';
  const descr = (e.descr ?? '').trim();
  const has = new Set(e.presentSubtrees ?? []);
  if (underEnterprise(oid, 14988) || /^RouterOS\b/i.test(descr)) return 'mikrotik';
  if (underEnterprise(oid, 25053)) return 'ruckus';
  if (underEnterprise(oid, 17713) || /^Cambium ePMP/i.test(descr)) return 'cambium';
  if (underEnterprise(oid, 11863)) return 'tplink';
  if (has.has(VENDOR_PROBES.unifi) || /^(UAP|U6|U7|UAL|UBB)-?/i.test(descr)) return 'ubiquiti-unifi';
  if (has.has(VENDOR_PROBES.airmax)) return 'ubiquiti-airos';
  if (underEnterprise(oid, 41112) || underEnterprise(oid, 10002)) return 'ubiquiti-airos';
  if (has.has(VENDOR_PROBES.mikrotik)) return 'mikrotik';
  if (has.has(VENDOR_PROBES.ruckus)) return 'ruckus';
  if (has.has(VENDOR_PROBES.cambium)) return 'cambium';
  if (has.has(VENDOR_PROBES.tplink)) return 'tplink';
  return 'generic';
}
