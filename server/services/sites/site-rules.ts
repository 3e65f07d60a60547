import type { SiteBody, SiteOut, SiteStatus } from '../../../core/schemas/inventory.ts';
import type { SiteRow } from '../../db/sites.ts';

export function toSiteOut(r: SiteRow): SiteOut {
  return {
    id: r.id,
    name: r.name,
    code: r.code ?? null,
    lat: r.lat,
    lon: r.lon,
    wardCode: r.ward_code,
    outsideCity: r.outside_city === 1,
    status: r.status as SiteStatus,
    provider: r.provider,
    contractedMbps: r.contracted_mbps,
    address: r.address,
    plannedAt: r.planned_at,
    liveAt: r.live_at,
    notes: r.notes,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** The columns a site body sets, for insert and update alike. */
export function siteColumns(b: Partial<SiteBody>): Partial<SiteRow> {
  const out: Partial<SiteRow> = {};
  if (b.name !== undefined) out.name = b.name;
  if (b.code !== undefined) out.code = b.code ?? null;
  if (b.lat !== undefined) out.lat = b.lat;
  if (b.lon !== undefined) out.lon = b.lon;
  if (b.status !== undefined) out.status = b.status;
  if (b.provider !== undefined) out.provider = b.provider ?? null;
  if (b.contractedMbps !== undefined) out.contracted_mbps = b.contractedMbps ?? null;
  if (b.address !== undefined) out.address = b.address ?? null;
  if (b.plannedAt !== undefined) out.planned_at = b.plannedAt ?? null;
  if (b.liveAt !== undefined) out.live_at = b.liveAt ?? null;
  if (b.notes !== undefined) out.notes = b.notes ?? null;
  return out;
}
