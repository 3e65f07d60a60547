/** KPI thresholds (stored over the defaults of core/traffic-light.ts) and KPI history from the daily snapshots. */
import { AppError } from '../../../core/errors.ts';
import { assertThresholds, KPI_DEFINITIONS, kpiDefinition, type KpiThreshold } from '../../../core/traffic-light.ts';
import { isoAt } from '../../../core/time.ts';
import { listThresholds, snapshotHistory, upsertThresholds } from '../../db/planning.ts';
import { inTransaction } from '../../db/tx.ts';
import type { ServiceCtx } from '../../deps.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { insertProgrammeChange } from '../../db/satu-data.ts';
import { newId } from '../../crypto/random.ts';

export async function loadThresholds(ctx: ServiceCtx): Promise<Map<string, KpiThreshold>> {
  const out = new Map<string, KpiThreshold>(KPI_DEFINITIONS.map((d) => [d.key, { green: d.green, red: d.red }]));
  for (const r of await listThresholds(ctx.db)) if (out.has(r.key)) out.set(r.key, { green: Number(r.green), red: Number(r.red) });
  return out;
}

export interface ThresholdOut {
  key: string;
  label: string;
  unit: string;
  scope: string;
  direction: 'higher' | 'lower';
  target: number | null;
  green: number;
  red: number;
  defaults: KpiThreshold;
}

export async function kpiThresholds(ctx: ServiceCtx): Promise<{ items: ThresholdOut[] }> {
  const current = await loadThresholds(ctx);
  return {
    items: KPI_DEFINITIONS.map((d) => ({
      key: d.key, label: d.label, unit: d.unit, scope: d.scope, direction: d.direction, target: d.target, ...current.get(d.key)!, defaults: { green: d.green, red: d.red },
    })),
  };
}

/** Sets thresholds of the KPIs named; all checked first (order, known key), nothing stored when one is wrong. */
export async function setKpiThresholds(ctx: ServiceCtx, body: Record<string, KpiThreshold>): Promise<{ items: ThresholdOut[] }> {
  if (Object.keys(body).length === 0) throw new AppError('validation_failed', 'give at least one KPI: { "availabilityPct": { "green": 98, "red": 95 } }');
  assertThresholds(body);
  const now = isoAt(ctx.clock.nowMs());
  const before = await loadThresholds(ctx);
  await inTransaction(ctx, async (trx) => {
    await upsertThresholds(trx, Object.entries(body).map(([key, t]) => ({ key, green: t.green, red: t.red, updated_at: now })));
    // Issue 15: the KPI programme keeps every threshold change with who and when (GET /api/v1/kpis/programme/:key/changes).
    for (const [key, t] of Object.entries(body)) {
      const b = before.get(key)!;
      const changes: Record<string, [number, number]> = {};
      if (b.green !== t.green) changes.green = [b.green, t.green];
      if (b.red !== t.red) changes.red = [b.red, t.red];
      if (Object.keys(changes).length > 0) await insertProgrammeChange(trx, { id: newId(), key, at: now, by_id: ctx.actor?.userId ?? null, by_label: ctx.actor?.email ?? 'system', changes: JSON.stringify(changes) });
    }
    await recordAudit(ctx, trx, { action: 'update', entity: 'kpi_thresholds', entityId: null, detail: body });
  });
  return kpiThresholds(ctx);
}

export async function kpiHistory(
  ctx: ServiceCtx,
  q: { key: string; wardCode?: string | undefined; provider?: string | undefined; programme?: string | undefined; from?: string | undefined; to?: string | undefined },
): Promise<{ key: string; scope: string; scopeKey: string; items: Array<{ day: string; value: number | null; status: string }>; points: Array<[number, number]> }> {
  if (kpiDefinition(q.key) === undefined) {
    throw new AppError('validation_failed', `unknown KPI "${q.key}"`, { details: [{ path: 'query.key', message: `known: ${KPI_DEFINITIONS.map((d) => d.key).join(', ')}` }] });
  }
  const [scope, scopeKey] = q.wardCode !== undefined ? ['ward', q.wardCode] : q.provider !== undefined ? ['provider', q.provider] : q.programme !== undefined ? ['programme', q.programme] : ['city', 'city'];
  const rows = await snapshotHistory(ctx.db, { key: q.key, scope, scopeKey, fromDay: q.from, toDay: q.to });
  const items = rows.map((r) => ({ day: r.day, value: r.value === null ? null : Number(r.value), status: r.status }));
  return {
    key: q.key, scope, scopeKey, items,
    points: items.filter((i) => i.value !== null).map((i): [number, number] => [Date.parse(`${i.day}T00:00:00+07:00`), i.value!]),
  };
}
