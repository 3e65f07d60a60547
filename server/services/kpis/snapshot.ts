/**
 * The daily KPI snapshot: every ward, provider and programme KPI plus city totals, stored under today's date
 * (city time). Taking it again the same day replaces that day's rows. The Node entry calls `snapshotKpis(ctx)`
 * once a day; POST /api/v1/kpis/snapshots takes one on demand.
 */
import { groupAvailability } from '../../../core/availability.ts';
import { kpiStatus } from '../../../core/traffic-light.ts';
import { isoAt } from '../../../core/time.ts';
import { replaceSnapshotDay } from '../../db/planning.ts';
import { inTransaction } from '../../db/tx.ts';
import type { KpiSnapshotsTable } from '../../db/types.ts';
import type { ServiceCtx } from '../../deps.ts';
import { cityDay } from './city-day.ts';
import { loadKpiInputs, programmeKpisFrom, providerKpisFrom, wardKpisFrom } from './ward-kpis.ts';

export interface SnapshotResult {
  day: string;
  rows: number;
  takenAt: string;
}

export async function snapshotKpis(ctx: ServiceCtx): Promise<SnapshotResult> {
  const inputs = await loadKpiInputs(ctx);
  const day = cityDay(inputs.nowMs);
  const takenAt = isoAt(inputs.nowMs);
  const rows: KpiSnapshotsTable[] = [];
  const push = (scope: string, scopeKey: string, key: string, value: number | null, status: string): void => {
    rows.push({ day, scope, scope_key: scopeKey, key, value, status, taken_at: takenAt });
  };
  for (const w of wardKpisFrom(inputs)) for (const k of w.kpis) push('ward', w.wardCode, k.key, k.value, k.status);
  for (const p of providerKpisFrom(inputs)) for (const k of p.kpis) push('provider', p.provider, k.key, k.value, k.status);
  for (const p of programmeKpisFrom(inputs)) for (const k of p.kpis) push('programme', p.programme, k.key, k.value, k.status);
  const anySite = inputs.sites.some((s) => s.status !== 'retired');
  const live = anySite ? inputs.sites.filter((s) => s.status === 'live').length : null;
  const cityTarget = 10 * inputs.wards.length;
  push('city', 'city', 'livePoints', live, kpiStatus(live, 'higher', { green: cityTarget, red: cityTarget / 2 }));
  const city = inputs.figures.city;
  const devices = inputs.coverage.devices;
  // No access point, or none ever polled: no data, not 0 %.
  const measured = devices.total > 0 && devices.unverified < devices.total;
  const covered = measured && city.residents > 0 ? Math.round((10_000 * city.residentsCovered) / city.residents) / 100 : null;
  push('city', 'city', 'residentsCoveredPct', covered, kpiStatus(covered, 'higher', inputs.thresholds.get('residentsCoveredPct')!));
  const avail = groupAvailability(inputs.devices.map((d) => d.availability)).percent;
  const availRounded = avail === null ? null : Math.round(avail * 100) / 100;
  push('city', 'city', 'availabilityPct', availRounded, kpiStatus(availRounded, 'higher', inputs.thresholds.get('availabilityPct')!));
  await inTransaction(ctx, (trx) => replaceSnapshotDay(trx, day, rows));
  return { day, rows: rows.length, takenAt };
}
