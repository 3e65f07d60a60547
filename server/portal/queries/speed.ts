/** Issue 14: citizens' speed tests per hotspot and ward. No personal data in these rows. */
import type { Executor } from '../../db/types.ts';
import { portalDb, type PortalSpeedTestsTable } from './types.ts';

export type SpeedTestRow = PortalSpeedTestsTable;

export async function insertSpeedTest(db: Executor, row: SpeedTestRow): Promise<void> {
  await portalDb(db).insertInto('portal_speed_tests').values(row).execute();
}

/** The ward a hotspot lies in now (through its device's site), or null. */
export async function wardOfHotspot(db: Executor, hotspotId: string): Promise<string | null> {
  const r = await portalDb(db)
    .selectFrom('portal_hotspots as h')
    .innerJoin('devices as d', 'd.id', 'h.device_id')
    .leftJoin('sites as s', 's.id', 'd.site_id')
    .select('s.ward_code')
    .where('h.id', '=', hotspotId)
    .executeTakeFirst();
  return r?.ward_code ?? null;
}

/** Tests in [fromMs, toMs), only the figures and where. */
export async function speedTestsBetween(db: Executor, fromMs: number, toMs: number): Promise<Array<Pick<SpeedTestRow, 'hotspot_id' | 'ward_code' | 'down_mbps' | 'up_mbps' | 'latency_ms'>>> {
  return portalDb(db)
    .selectFrom('portal_speed_tests')
    .select(['hotspot_id', 'ward_code', 'down_mbps', 'up_mbps', 'latency_ms'])
    .where('created_at', '>=', fromMs)
    .where('created_at', '<', toMs)
    .execute();
}

export async function purgeSpeedTests(db: Executor, beforeMs: number): Promise<number> {
  const r = await portalDb(db).deleteFrom('portal_speed_tests').where('created_at', '<', beforeMs).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** The newest grant of a device (keyed hash of its MAC) at a hotspot still running at `nowMs`. */
export async function liveGrantOfDevice(db: Executor, hotspotId: string, deviceKey: string, nowMs: number): Promise<{ id: string; limit_uptime_s: number; limit_bytes: number } | undefined> {
  return portalDb(db)
    .selectFrom('portal_grants')
    .select(['id', 'limit_uptime_s', 'limit_bytes'])
    .where('device_key', '=', deviceKey)
    .where('hotspot_id', '=', hotspotId)
    .where('expires_at', '>', nowMs)
    .orderBy('granted_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}
