/** What the demo fleet simulates: one entry per device, all behaviour derived from its seed (no randomness). */

/** How a simulated device misbehaves over time, counted from the fleet's start. */
export type SimFault =
  | { kind: 'none' }
  /** Never answers (a power cut that lasts). */
  | { kind: 'down' }
  /** Silent for `silentMs` every `periodMs`, the first time `offsetMs` after the start; comes back rebooted. */
  | { kind: 'flap'; periodMs: number; silentMs: number; offsetMs: number };

export type SimSnmpVendor = 'ubiquiti-unifi' | 'mikrotik';

interface SimCommon {
  /** The caller's name for the device; endpoints come back under it. */
  key: string;
  /** sysName / RouterOS identity. */
  name: string;
  /** Any integer: clients, traffic, MACs and boot time follow from it. */
  seed: number;
  fault: SimFault;
  /** Typical number of clients (the count waves around it). */
  clientsBase: number;
}

export interface SimSnmpDevice extends SimCommon {
  kind: 'snmp';
  vendor: SimSnmpVendor;
  community: string;
}

export interface SimRouterOsDevice extends SimCommon {
  kind: 'routeros';
  username: string;
  password: string;
}

export type SimDevice = SimSnmpDevice | SimRouterOsDevice;

/** Where a simulated device listens. */
export interface SimEndpoint {
  key: string;
  host: string;
  port: number;
}
