/**
 * The value lists the forms offer. core's schema modules build zod objects at import, which would ship zod to the
 * browser, so the lists are repeated here and checked against core's types at compile time.
 */
import type { DeviceRole, SiteStatus, Vendor } from '../../../core/schemas/inventory.ts';

export const SITE_STATUSES = ['planned', 'approved', 'installing', 'live', 'retired'] as const satisfies readonly SiteStatus[];
export const DEVICE_ROLES = ['ap', 'router', 'gateway', 'switch'] as const satisfies readonly DeviceRole[];
export const VENDORS = ['generic', 'mikrotik', 'ubiquiti-unifi', 'ubiquiti-airos', 'ruckus', 'cambium', 'tplink'] as const satisfies readonly Vendor[];

/** Compile-time check that no value of core's unions is missing here. */
type Missing<All, Listed> = Exclude<All, Listed> extends never ? true : Exclude<All, Listed>;
export const COMPLETE: [Missing<SiteStatus, (typeof SITE_STATUSES)[number]>, Missing<DeviceRole, (typeof DEVICE_ROLES)[number]>, Missing<Vendor, (typeof VENDORS)[number]>] = [true, true, true];
