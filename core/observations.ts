/**
 * What a collector learns from one poll of one device, whatever the protocol. Drivers (SNMP per vendor, RouterOS per
 * resource) fill the parts they know; the rest stays empty. Counters are bigint so Counter64 loses nothing; they are
 * written as decimal strings when a poll result travels as JSON (see collectors' HTTP sink and /api/v1/ingest).
 */
import type { InterfaceRole } from './interface-roles.ts';
import type { Vendor } from './schemas/inventory.ts';

/** Everything a poller needs to reach one device. Secrets are already decrypted here and never logged. */
export interface DeviceTarget {
  deviceId: string;
  address: string;
  vendor: Vendor | null;
  pollIntervalS: number;
  /** `timeoutMs`/`retries` (issue 11): this device's SNMP patience; absent: the collector's defaults. */
  snmp: { community: string; port: number; version: '2c' | '1'; timeoutMs?: number; retries?: number } | null;
  routeros: { username: string; password: string; port: number; tls: boolean } | null;
}

export interface SystemInfo {
  /** Seconds since the agent (or RouterOS) started; a decrease between polls means a reboot. */
  uptimeS: number | null;
  descr: string | null;
  objectId: string | null;
  name: string | null;
  /** Firmware/OS version when the driver knows it. */
  version: string | null;
  cpuLoadPct: number | null;
  memFreeBytes: number | null;
}

export interface InterfaceSample {
  index: number;
  name: string;
  /** ifOperStatus up (1) => true, anything else => false; null when unknown. */
  operUp: boolean | null;
  inOctets: bigint | null;
  outOctets: bigint | null;
  /** 32 for ifInOctets (wraps at 2^32), 64 for ifHCInOctets. */
  counterBits: 32 | 64;
  speedBps: number | null;
  /** Issue 11: IANA ifType (SNMP), the operator's description (ifAlias), and the role the driver gave it; absent
   * when the poller does not know (the server then assigns roles from the names: core/interface-roles.ts). */
  ifType?: number | null;
  alias?: string | null;
  role?: InterfaceRole;
}

/** Clients associated to one SSID or one radio. */
export interface SsidClients {
  ssid: string;
  radio: string | null;
  clients: number;
}

/** One associated wireless station. MACs are lower-case, colon-separated. */
export interface Station {
  mac: string;
  iface: string | null;
  signalDbm: number | null;
}

/** One signed-in hotspot user (RouterOS /ip/hotspot/active). */
export interface HotspotActive {
  user: string;
  address: string;
  mac: string | null;
  uptimeS: number;
  bytesIn: bigint;
  bytesOut: bigint;
}

export const POLL_ERROR_KINDS = ['timeout', 'refused', 'auth', 'protocol', 'malformed', 'unreachable', 'config', 'internal'] as const;
export type PollErrorKind = (typeof POLL_ERROR_KINDS)[number];

export interface PollError {
  kind: PollErrorKind;
  /** Human-readable cause, never containing a secret. */
  message: string;
}

export interface PollSuccess {
  ok: true;
  deviceId: string;
  startedAtMs: number;
  durationMs: number;
  system: SystemInfo;
  interfaces: InterfaceSample[];
  ssids: SsidClients[];
  stations: Station[];
  hotspotActive: HotspotActive[];
  /** Total associated clients (sum over SSIDs or stations, or hotspot users on a pure gateway). */
  clients: number | null;
  /**
   * Which protocol answered. Only a RouterOS API poll knows the hotspot's signed-in users; an SNMP poll's empty
   * `hotspotActive` means "not asked", not "nobody".
   */
  protocol?: 'snmp' | 'routeros';
}

export interface PollFailure {
  ok: false;
  deviceId: string;
  startedAtMs: number;
  durationMs: number;
  error: PollError;
}

export type PollResult = PollSuccess | PollFailure;
