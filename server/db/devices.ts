import { trafficSelection } from '../../core/interface-roles.ts';
import type { TrafficSelection } from '../../core/interface-roles.ts';
import type { DevicesTable, Executor } from './types.ts';

export type DeviceRow = DevicesTable;

export async function insertDevice(db: Executor, row: DeviceRow): Promise<void> {
  await db.insertInto('devices').values(row).execute();
}

export async function insertDevices(db: Executor, rows: DeviceRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 40) await db.insertInto('devices').values(rows.slice(i, i + 40)).execute();
}

export async function findDevice(db: Executor, id: string): Promise<DeviceRow | undefined> {
  return db.selectFrom('devices').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Every device, for matching a CSV re-import against what is stored (issue 10). */
export async function allDevices(db: Executor): Promise<DeviceRow[]> {
  return db.selectFrom('devices').selectAll().execute();
}

export async function updateDevice(db: Executor, id: string, patch: Partial<Omit<DeviceRow, 'id'>>): Promise<void> {
  await db.updateTable('devices').set(patch).where('id', '=', id).execute();
}

export async function deleteDevice(db: Executor, id: string): Promise<number> {
  const r = await db.deleteFrom('devices').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function listDevices(
  db: Executor,
  filter: { limit: number; offset: number; siteId?: string | undefined; role?: string | undefined; q?: string | undefined; cityCode?: string | undefined },
): Promise<{ rows: DeviceRow[]; total: number }> {
  let q = db.selectFrom('devices');
  if (filter.cityCode !== undefined) {
    const city = filter.cityCode;
    q = q.where('devices.site_id', 'in', (eb) => eb.selectFrom('sites as s').innerJoin('wards as w', 'w.code', 's.ward_code').select('s.id').where('w.city_code', '=', city));
  }
  if (filter.siteId !== undefined) q = q.where('site_id', '=', filter.siteId);
  if (filter.role !== undefined) q = q.where('role', '=', filter.role);
  if (filter.q !== undefined) {
    // Name or address of the device, or the name, kelurahan or kecamatan of its site.
    const like = `%${filter.q.toLowerCase()}%`;
    q = q.where((eb) =>
      eb.or([
        eb(eb.fn('lower', ['devices.name']), 'like', like),
        eb(eb.fn('lower', ['devices.address']), 'like', like),
        eb(
          'devices.site_id',
          'in',
          eb
            .selectFrom('sites as s')
            .leftJoin('wards as w', 'w.code', 's.ward_code')
            .select('s.id')
            .where((e) => e.or([e(e.fn('lower', ['s.name']), 'like', like), e(e.fn('lower', ['w.name']), 'like', like), e(e.fn('lower', ['w.district']), 'like', like)])),
        ),
      ]),
    );
  }
  const rows = await q.selectAll().orderBy('name').orderBy('id').limit(filter.limit).offset(filter.offset).execute();
  const c = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { rows, total: Number(c.n) };
}

export async function listEnabledDevices(db: Executor): Promise<DeviceRow[]> {
  return db.selectFrom('devices').selectAll().where('enabled', '=', 1).execute();
}

/**
 * The devices collectors poll (issue 11): enabled, monitored, and with SNMP or RouterOS settings. The others are
 * inventory only (`unmonitored`): never polled, never an incident.
 */
export async function listPolledDevices(db: Executor): Promise<DeviceRow[]> {
  return db
    .selectFrom('devices')
    .selectAll()
    .where('enabled', '=', 1)
    .where('monitor', '=', 1)
    .where((eb) => eb.or([eb('snmp_port', 'is not', null), eb('routeros_port', 'is not', null)]))
    .execute();
}

/**
 * Whether a device is watched (issue 11): monitor on, and polling settings here, or a collector reporting on it
 * anyway (`polled`: it has a status; a standalone collector with its own target file polls devices whose settings
 * the server does not hold). Without `polled`, the rule of listPolledDevices: whether this server's collectors poll it.
 */
export function isMonitored(r: Pick<DeviceRow, 'monitor' | 'snmp_port' | 'routeros_port'>, polled = false): boolean {
  return (r.monitor ?? 1) === 1 && (r.snmp_port !== null || r.routeros_port !== null || polled);
}

/** Issue 11: of these ids, the devices that exist and are watched (enabled, monitor on): ingest stores only theirs. */
export async function watchedDeviceIds(db: Executor, ids: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    if (chunk.length === 0) continue;
    const rows = await db.selectFrom('devices').select(['id', 'enabled', 'monitor']).where('id', 'in', chunk).execute();
    for (const r of rows) if (r.enabled === 1 && (r.monitor ?? 1) === 1) out.add(r.id);
  }
  return out;
}

export async function existingDeviceIds(db: Executor, ids: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    if (chunk.length === 0) continue;
    const rows = await db.selectFrom('devices').select('id').where('id', 'in', chunk).execute();
    for (const r of rows) out.add(r.id);
  }
  return out;
}

/** Changes whenever a device is added, changed or removed: count and newest update. */
export async function inventoryVersion(db: Executor): Promise<string> {
  const r = await db
    .selectFrom('devices')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('updated_at').as('latest')])
    .executeTakeFirstOrThrow();
  return `${Number(r.n)}:${String(r.latest ?? '')}`;
}

export async function setDevicesEnabled(db: Executor, ids: readonly string[], enabled: boolean, at: string): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) await db.updateTable('devices').set({ enabled: enabled ? 1 : 0, updated_at: at }).where('id', 'in', ids.slice(i, i + 500)).execute();
}

export async function moveDevices(db: Executor, ids: readonly string[], siteId: string | null, at: string): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) await db.updateTable('devices').set({ site_id: siteId, updated_at: at }).where('id', 'in', ids.slice(i, i + 500)).execute();
}

/**
 * Issue 11: each device's own choice of the interfaces its traffic totals add (devices.traffic_interfaces), for the
 * given ids; a device absent from the map, or with a value that no longer parses, takes the default.
 */
export async function trafficSelections(db: Executor, ids: readonly string[]): Promise<Map<string, TrafficSelection>> {
  const out = new Map<string, TrafficSelection>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    if (chunk.length === 0) continue;
    const rows = await db.selectFrom('devices').select(['id', 'traffic_interfaces']).where('id', 'in', chunk).where('traffic_interfaces', 'is not', null).execute();
    for (const r of rows) {
      let json: unknown = null;
      try {
        json = JSON.parse(r.traffic_interfaces ?? 'null');
      } catch {
        continue;
      }
      const parsed = trafficSelection.safeParse(json);
      if (parsed.success) out.set(r.id, parsed.data);
    }
  }
  return out;
}
