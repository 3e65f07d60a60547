import type { Executor } from './types.ts';

export interface CoverageDeviceRow {
  id: string;
  role: string;
  site_id: string | null;
  lat: number | null;
  lon: number | null;
  site_status: string | null;
  provider: string | null;
  coverage: string | null;
  enabled: number;
  /** Issue 11: 0 for an inventory-only device (monitor off, or no polling settings and nothing ever reported by a collector). */
  monitored: number;
  status: string | null;
  last_poll_ms: number | null;
}

/** Devices with their site's location and status and their current state, for the coverage engine. */
export async function coverageDeviceRows(db: Executor): Promise<CoverageDeviceRow[]> {
  return db
    .selectFrom('devices as d')
    .leftJoin('sites as s', 's.id', 'd.site_id')
    .leftJoin('device_status as st', 'st.device_id', 'd.id')
    .select(['d.id', 'd.role', 'd.site_id', 's.lat', 's.lon', 's.status as site_status', 's.provider', 'd.coverage', 'd.enabled', 'd.monitor', 'd.snmp_port', 'd.routeros_port', 'st.status', 'st.last_poll_ms'])
    .execute()
    .then((rows) =>
      rows.map(({ monitor, snmp_port, routeros_port, ...r }) => ({ ...r, monitored: (monitor ?? 1) === 1 && (snmp_port !== null || routeros_port !== null || r.status !== null) ? 1 : 0 })),
    );
}

/** Changes whenever a ward is added or re-imported or its residents change. */
export async function wardsVersion(db: Executor): Promise<string> {
  const r = await db
    .selectFrom('wards')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('updated_at').as('latest')])
    .executeTakeFirstOrThrow();
  return `${Number(r.n)}:${String(r.latest ?? '')}`;
}
