/**
 * How each kind of hotspot wants its limits said (pure). One allowance (time, idle, rate, data) becomes the
 * attributes that vendor's gateway acts on; a vendor without a data-quota attribute is held to its quota by a
 * Disconnect-Request when accounting shows it used up (server/radius/README.md).
 */
import { attr, type Attribute } from './packet.ts';
import { CHILLISPOT, CHILLISPOT_COOVA_EXTRA, MIKROTIK, PFSENSE, STANDARD, WISPR } from './dictionary.ts';

import type { NasVendor } from '../../../core/schemas/radius.ts';

export { NAS_VENDOR_IDS as NAS_VENDORS, type NasVendor } from '../../../core/schemas/radius.ts';

export interface VendorProfile {
  label: string;
  /** The gateway stops a session at a data quota itself. */
  enforcesQuota: boolean;
  /** Acct-Input-Octets counts what the client received (CoovaChilli's default), not what it sent. */
  inputIsDownload: boolean;
}

export const VENDOR_PROFILES: Record<NasVendor, VendorProfile> = {
  mikrotik: { label: 'MikroTik RouterOS', enforcesQuota: true, inputIsDownload: false },
  coova: { label: 'CoovaChilli / ChilliSpot', enforcesQuota: true, inputIsDownload: true },
  pfsense: { label: 'pfSense captive portal', enforcesQuota: true, inputIsDownload: false },
  wispr: { label: 'WISPr (TP-Link Omada, UniFi, Ruijie, FortiGate, ...)', enforcesQuota: false, inputIsDownload: false },
  standard: { label: 'RFC 2865 only', enforcesQuota: false, inputIsDownload: false },
};

export interface Allowance {
  sessionTimeoutS: number;
  idleTimeoutS: number;
  interimS: number;
  /** MikroTik rate-limit text ("rx/tx ..."), or null for no limit. */
  rateLimit: string | null;
  /** Bytes left (both directions), 0 = no data limit. */
  quotaBytes: number;
  /** Echoed by the NAS in accounting: ties sessions to the grant. */
  className: string;
}

const UNIT: Record<string, number> = { '': 1, k: 1e3, K: 1e3, m: 1e6, M: 1e6, g: 1e9, G: 1e9 };

/** "2M/5M ..." -> { upBps: 2e6, downBps: 5e6 }: the first pair is the steady rate (rx = upload, tx = download). */
export function parseRateLimit(text: string): { upBps: number; downBps: number } | null {
  const m = /^(\d+)([kKmMgG]?)\/(\d+)([kKmMgG]?)/.exec(text.trim());
  if (m === null) return null;
  return { upBps: Number(m[1]) * (UNIT[m[2] as string] as number), downBps: Number(m[3]) * (UNIT[m[4] as string] as number) };
}

const GIGA = 2 ** 32;

/** The Access-Accept attributes for this vendor. */
export function replyAttributes(vendor: NasVendor, a: Allowance): Attribute[] {
  const out: Attribute[] = [
    attr.integer(STANDARD.SessionTimeout.type, Math.max(1, Math.floor(a.sessionTimeoutS))),
    attr.integer(STANDARD.IdleTimeout.type, a.idleTimeoutS),
    attr.integer(STANDARD.AcctInterimInterval.type, a.interimS),
    attr.string(STANDARD.Class.type, a.className),
  ];
  const rate = a.rateLimit === null ? null : parseRateLimit(a.rateLimit);
  const quota = Math.max(0, Math.floor(a.quotaBytes));
  switch (vendor) {
    case 'mikrotik':
      if (a.rateLimit !== null) out.push(attr.vendorString(MIKROTIK.id, MIKROTIK.attributes.RateLimit.type, a.rateLimit));
      if (quota > 0) {
        out.push(attr.vendorInteger(MIKROTIK.id, MIKROTIK.attributes.TotalLimit.type, quota % GIGA));
        if (quota >= GIGA) out.push(attr.vendorInteger(MIKROTIK.id, MIKROTIK.attributes.TotalLimitGigawords.type, Math.floor(quota / GIGA)));
      }
      break;
    case 'coova':
      if (rate !== null) {
        out.push(attr.vendorInteger(CHILLISPOT.id, CHILLISPOT.attributes.BandwidthMaxUp.type, Math.ceil(rate.upBps / 1000)));
        out.push(attr.vendorInteger(CHILLISPOT.id, CHILLISPOT.attributes.BandwidthMaxDown.type, Math.ceil(rate.downBps / 1000)));
      }
      if (quota > 0) {
        out.push(attr.vendorInteger(CHILLISPOT.id, CHILLISPOT.attributes.MaxTotalOctets.type, quota % GIGA));
        if (quota >= GIGA) out.push(attr.vendorInteger(CHILLISPOT.id, CHILLISPOT_COOVA_EXTRA.MaxTotalGigawords.type, Math.floor(quota / GIGA)));
      }
      break;
    case 'pfsense':
      if (rate !== null) {
        out.push(attr.vendorInteger(WISPR.id, WISPR.attributes.BandwidthMaxUp.type, rate.upBps));
        out.push(attr.vendorInteger(WISPR.id, WISPR.attributes.BandwidthMaxDown.type, rate.downBps));
      }
      // 32 bits only: above 4 GiB the session is held to its quota by a Disconnect-Request instead.
      if (quota > 0) out.push(attr.vendorInteger(PFSENSE.id, PFSENSE.attributes.MaxTotalOctets.type, Math.min(quota, GIGA - 1)));
      break;
    case 'wispr':
      if (rate !== null) {
        out.push(attr.vendorInteger(WISPR.id, WISPR.attributes.BandwidthMaxUp.type, rate.upBps));
        out.push(attr.vendorInteger(WISPR.id, WISPR.attributes.BandwidthMaxDown.type, rate.downBps));
      }
      break;
    case 'standard':
      break;
  }
  return out;
}

/** The attributes of a CoA-Request that changes a live session's limits. */
export function coaAttributes(vendor: NasVendor, change: { rateLimit?: string | null; sessionTimeoutS?: number }): Attribute[] {
  const out: Attribute[] = [];
  if (change.sessionTimeoutS !== undefined) out.push(attr.integer(STANDARD.SessionTimeout.type, Math.max(1, Math.floor(change.sessionTimeoutS))));
  if (change.rateLimit !== undefined && change.rateLimit !== null) {
    const all = replyAttributes(vendor, { sessionTimeoutS: 1, idleTimeoutS: 0, interimS: 0, rateLimit: change.rateLimit, quotaBytes: 0, className: '' });
    out.push(...all.filter((x) => x.vendor !== undefined));
  }
  return out;
}

/** Upload and download bytes of an accounting packet, with Gigawords, in the client's terms. */
export function sessionBytes(vendor: NasVendor, c: { inOctets: number; inGigawords: number; outOctets: number; outGigawords: number }): { up: number; down: number } {
  const input = c.inGigawords * GIGA + c.inOctets;
  const output = c.outGigawords * GIGA + c.outOctets;
  return VENDOR_PROFILES[vendor].inputIsDownload ? { up: output, down: input } : { up: input, down: output };
}
