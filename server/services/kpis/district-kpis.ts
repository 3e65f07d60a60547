/**
 * KPIs per kecamatan (issue 15), from the same inputs as the ward KPIs: wards, live points, residents and residents
 * covered by the live layer (with the traffic light of the residents-covered thresholds), availability over 7 days
 * weighted by observed time. A kecamatan nobody measured is `no-data` with its reason, never red or 0 %.
 */
import { groupAvailability } from '../../../core/availability.ts';
import { kpiStatus, type KpiStatus } from '../../../core/traffic-light.ts';
import type { ServiceCtx } from '../../deps.ts';
import { loadKpiInputs, type KpiInputs } from './ward-kpis.ts';

export interface DistrictRow {
  kecamatan: string;
  wards: number;
  livePoints: number;
  residents: number | null;
  residentsCoveredPct: number | null;
  availabilityPct: number | null;
  status: KpiStatus;
  reason?: string;
}

export function districtRowsFrom(inputs: KpiInputs): DistrictRow[] {
  const figures = new Map(inputs.figures.items.map((f) => [f.code, f]));
  const devices = inputs.coverage.devices;
  const measured = devices.total > 0 && devices.unverified < devices.total;
  const names = [...new Set(inputs.wards.map((w) => w.district))].sort((a, b) => a.localeCompare(b));
  return names.map((kecamatan) => {
    const ws = inputs.wards.filter((w) => w.district === kecamatan);
    const codes = new Set(ws.map((w) => w.code));
    const figs = ws.map((w) => figures.get(w.code)).filter((f) => f !== undefined);
    const known = figs.filter((f) => f.residents !== null);
    const residents = known.length === 0 ? null : known.reduce((a, f) => a + f.residents!, 0);
    const covered = known.reduce((a, f) => a + (f.residentsCovered ?? 0), 0);
    const pct = residents === null || residents === 0 || !measured ? null : Math.round((10_000 * covered) / residents) / 100;
    const g = groupAvailability(inputs.devices.filter((d) => d.wardCode !== null && codes.has(d.wardCode)).map((d) => d.availability));
    const reason = pct !== null ? undefined : devices.total === 0 ? 'no-devices' : !measured ? 'never-polled' : 'residents-unknown';
    return {
      kecamatan, wards: ws.length,
      livePoints: inputs.sites.filter((s) => s.status === 'live' && s.ward_code !== null && codes.has(s.ward_code)).length,
      residents, residentsCoveredPct: pct, availabilityPct: g.percent === null ? null : Math.round(g.percent * 100) / 100,
      status: kpiStatus(pct, 'higher', inputs.thresholds.get('residentsCoveredPct')!), ...(reason === undefined ? {} : { reason }),
    };
  });
}

export async function districtKpis(ctx: ServiceCtx): Promise<{ asOf: string; items: DistrictRow[] }> {
  const inputs = await loadKpiInputs(ctx);
  return { asOf: new Date(inputs.nowMs).toISOString(), items: districtRowsFrom(inputs) };
}
