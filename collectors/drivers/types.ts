/** What every SNMP driver declares (what to ask) and returns (observations), all pure. */
import type { InterfaceSample, SsidClients, Station, SystemInfo } from '../../core/observations.ts';
import type { Vendor } from '../../core/schemas/inventory.ts';
import type { Varbind } from '../snmp/types.ts';

export interface DriverPlan {
  /** Scalars fetched with GET (absent ones are simply missing). */
  gets: readonly string[];
  /** Groups of table columns; each group is walked side by side (one GETBULK fetches rows of all its columns). */
  walks: ReadonlyArray<readonly string[]>;
}

/** What a device says it is. Each field null when the device does not say. */
export interface DeviceIdentity {
  model: string | null;
  /** Firmware / OS version, as the vendor writes it (Ruckus: with the controller's country code). */
  version: string | null;
  /** Hardware revision when the vendor reports one apart from the model (TP-Link JetStream `SG2218P 1.20` -> `1.20`). */
  hardwareRevision: string | null;
}

/**
 * What discovery must fetch for `identify`: scalars by GET, and columns of which only the first row matters (one
 * GETNEXT on the column root; their index is an ifIndex or a serial number that nobody knows beforehand).
 */
export interface IdentityPlan {
  gets: readonly string[];
  firstOf: readonly string[];
}

export interface DriverOutput {
  system: SystemInfo;
  identity: DeviceIdentity;
  interfaces: InterfaceSample[];
  ssids: SsidClients[];
  stations: Station[];
  clients: number | null;
  /** Vendor figures that have no slot in PollSuccess (e.g. Ruckus `apCount`, airOS link `signalDbm`). */
  gauges: Record<string, number>;
}

export interface SnmpDriver {
  vendor: Vendor;
  plan: DriverPlan;
  /** Pure: from every varbind fetched by `plan` (in any order) to observations. */
  parse(varbinds: readonly Varbind[]): DriverOutput;
  /** What discovery asks for this vendor's identity; `plan` always covers it too, so a poll knows the same. */
  identityPlan: IdentityPlan;
  /** Pure: model, version and hardware revision from the system group plus `identityPlan`'s answers. */
  identify(varbinds: readonly Varbind[]): DeviceIdentity;
}
