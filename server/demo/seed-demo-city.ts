/**
 * Puts the generated city into the demo database through the ordinary service verbs (the same rules as an operator's
 * imports): wards, residents, sites, then one device per site pointing at its simulator on loopback.
 */
import { deviceBody, siteBody } from '../../core/schemas/inventory.ts';
import type { ServiceCtx } from '../deps.ts';
import { createDevice } from '../services/devices/manage-devices.ts';
import { createSite } from '../services/sites/manage-sites.ts';
import { importResidents } from '../services/wards/import-residents.ts';
import { importWards } from '../services/wards/import-wards.ts';
import type { DemoCity } from './demo-city.ts';

/** Where the collector reaches a planned device, and the credentials the simulator expects. */
export interface DemoDeviceAccess {
  host: string;
  port: number;
  community: string;
  routerosUsername: string;
  routerosPassword: string;
}

export interface SeedOptions {
  /** Poll interval of every demo device (s); short so the map moves within a minute. */
  pollIntervalS: number;
}

export async function seedDemoCity(
  ctx: ServiceCtx,
  city: DemoCity,
  access: (deviceKey: string) => DemoDeviceAccess,
  options: SeedOptions,
): Promise<{ wards: number; sites: number; devices: number }> {
  await importWards(ctx, city.wardsGeoJson, { codeProp: 'kode', nameProp: 'nama', districtProp: 'kecamatan' });
  await importResidents(ctx, city.residentsCsv, { by: 'ward', keyColumn: 'kode', valueColumn: 'penduduk' });
  let devices = 0;
  for (const s of city.sites) {
    const site = await createSite(ctx, siteBody.parse({ name: s.name, lat: s.lat, lon: s.lon, status: s.status, provider: s.provider, notes: 'DEMO' }));
    const d = s.device;
    if (d === null) continue;
    const a = access(d.key);
    await createDevice(
      ctx,
      deviceBody.parse({
        siteId: site.id,
        name: d.name,
        role: d.role,
        vendor: d.vendor,
        model: d.protocol === 'routeros' ? 'RB4011iGS+ (simulated)' : d.vendor === 'mikrotik' ? 'hAP ac lite (simulated)' : 'U6-Lite (simulated)',
        address: a.host,
        snmp: d.protocol === 'snmp' ? { community: a.community, port: a.port, version: '2c' } : null,
        routeros: d.protocol === 'routeros' ? { username: a.routerosUsername, password: a.routerosPassword, port: a.port, tls: false } : null,
        pollIntervalS: options.pollIntervalS,
        enabled: true,
        coverage: { radiusM: d.radiusM },
      }),
    );
    devices++;
  }
  return { wards: city.wardCount, sites: city.sites.length, devices };
}
