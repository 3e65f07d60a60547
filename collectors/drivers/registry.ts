/** Vendor -> driver. */
import type { Vendor } from '../../core/schemas/inventory.ts';
import { airosDriver } from './airos.ts';
import { cambiumDriver } from './cambium.ts';
import { genericDriver } from './generic.ts';
import { mikrotikDriver } from './mikrotik.ts';
import { ruckusDriver } from './ruckus.ts';
import type { SnmpDriver } from './types.ts';
import { tplinkDriver } from './tplink.ts';
import { unifiDriver } from './unifi.ts';

const DRIVERS: Record<Vendor, SnmpDriver> = {
  generic: genericDriver,
  mikrotik: mikrotikDriver,
  'ubiquiti-unifi': unifiDriver,
  'ubiquiti-airos': airosDriver,
  ruckus: ruckusDriver,
  cambium: cambiumDriver,
  tplink: tplinkDriver,
};

/** Every driver, generic first. */
export function allDrivers(): SnmpDriver[] {
  return Object.values(DRIVERS);
}

export function driverFor(vendor: Vendor | null): SnmpDriver {
  return vendor ? DRIVERS[vendor] : genericDriver;
}
