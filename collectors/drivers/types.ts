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

export interface DriverOutput {
  system: SystemInfo;
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
}
