/**
 * The KPI programme (issue 15): per KPI its definition (Bahasa Indonesia and English), unit, target and
 * green/red thresholds (editable by an admin, every change kept with who and when), the owning department and the
 * person in charge (PIC) with a contact, and a trend over the daily snapshots. A KPI without a trend says why
 * (no snapshot yet, one day only, no value in the window) instead of showing a blank.
 *
 * The PIC's name and contact are personal data of an official (UU PDP): staff see them; nothing public carries them.
 */
import { AppError } from '../../../core/errors.ts';
import { KPI_DEFINITION_WORDS, KPI_LABEL_WORDS } from '../../../core/kpi-words.ts';
import { KPI_DEFINITIONS, kpiDefinition, thresholdProblems, type KpiDefinition } from '../../../core/traffic-light.ts';
import { isoAt } from '../../../core/time.ts';
import { newId } from '../../crypto/random.ts';
import { upsertThresholds } from '../../db/planning.ts';
import { insertProgrammeChange, kpiSnapshotSeries, listKpiProgramme, listProgrammeChanges, upsertKpiNote, upsertProgrammeRow, kpiNotesOfMonth } from '../../db/satu-data.ts';
import type { KpiProgrammeTable } from '../../db/types.ts';
import { inTransaction } from '../../db/tx.ts';
import type { ServiceCtx } from '../../deps.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { cityDay } from './city-day.ts';
import { loadThresholds } from './thresholds.ts';

export const TREND_DAYS = 30;
export type TrendReason = 'no-snapshots' | 'one-day' | 'no-values';

export interface KpiTrend {
  /** up, down or flat over the window (flat: the change is under 1 % of the target, or of 1 when the target is 0). */
  direction: 'up' | 'down' | 'flat';
  /** Whether the change goes the KPI's good way; null when flat. */
  better: boolean | null;
  from: { day: string; value: number };
  to: { day: string; value: number };
  days: number;
}

export interface ProgrammeKpi {
  key: string;
  scope: string;
  direction: 'higher' | 'lower';
  unit: string;
  label: { id: string; en: string };
  definition: { id: string; en: string };
  target: number | null;
  green: number;
  red: number;
  defaults: { target: number | null; green: number; red: number };
  department: string | null;
  pic: { name: string | null; contact: string | null };
  updatedAt: string | null;
  updatedBy: string | null;
  trend: KpiTrend | null;
  trendReason?: TrendReason;
  /** Daily values of the window: the city's where a city figure is kept, else the mean over wards, providers or programmes. */
  points: Array<{ day: string; value: number | null }>;
}

function trendOf(def: KpiDefinition, target: number | null, points: Array<{ day: string; value: number | null }>): { trend: KpiTrend | null; reason?: TrendReason } {
  if (points.length === 0) return { trend: null, reason: 'no-snapshots' };
  const withValue = points.filter((p): p is { day: string; value: number } => p.value !== null);
  if (withValue.length === 0) return { trend: null, reason: 'no-values' };
  if (withValue.length === 1) return { trend: null, reason: 'one-day' };
  const from = withValue[0]!;
  const to = withValue[withValue.length - 1]!;
  const delta = to.value - from.value;
  const eps = Math.abs(target ?? 0) > 0 ? Math.abs(target!) * 0.01 : 0.01;
  const direction = Math.abs(delta) < eps ? 'flat' : delta > 0 ? 'up' : 'down';
  return { trend: { direction, better: direction === 'flat' ? null : (direction === 'up') === (def.direction === 'higher'), from, to, days: withValue.length } };
}

export async function kpiProgramme(ctx: ServiceCtx): Promise<{ items: ProgrammeKpi[]; trendDays: number }> {
  const rows = new Map((await listKpiProgramme(ctx.db)).map((r) => [r.key, r]));
  const thresholds = await loadThresholds(ctx);
  const today = cityDay(ctx.clock.nowMs());
  const fromDay = cityDay(ctx.clock.nowMs() - (TREND_DAYS - 1) * 86_400_000);
  const series = await kpiSnapshotSeries(ctx.db, fromDay, today);
  const items = KPI_DEFINITIONS.map((d): ProgrammeKpi => {
    const row = rows.get(d.key);
    const t = thresholds.get(d.key) ?? d;
    const target = row?.target === null || row?.target === undefined ? d.target : Number(row.target);
    const points = series.get(d.key) ?? [];
    const { trend, reason } = trendOf(d, target, points);
    const words = KPI_DEFINITION_WORDS[d.key] ?? { id: d.label, en: d.label };
    return {
      key: d.key, scope: d.scope, direction: d.direction, unit: d.unit,
      label: KPI_LABEL_WORDS[d.key] ?? { id: d.label, en: d.label },
      definition: { id: row?.definition_id ?? words.id, en: row?.definition_en ?? words.en },
      target, green: t.green, red: t.red, defaults: { target: d.target, green: d.green, red: d.red },
      department: row?.department ?? null, pic: { name: row?.pic_name ?? null, contact: row?.pic_contact ?? null },
      updatedAt: row?.updated_at ?? null, updatedBy: row?.updated_by ?? null,
      trend, ...(reason === undefined ? {} : { trendReason: reason }), points,
    };
  });
  return { items, trendDays: TREND_DAYS };
}

export interface ProgrammePatch {
  definitionId?: string | null | undefined;
  definitionEn?: string | null | undefined;
  target?: number | null | undefined;
  green?: number | undefined;
  red?: number | undefined;
  department?: string | null | undefined;
  picName?: string | null | undefined;
  picContact?: string | null | undefined;
}

const FIELD_OF: Record<keyof ProgrammePatch, keyof KpiProgrammeTable | 'green' | 'red'> = {
  definitionId: 'definition_id', definitionEn: 'definition_en', target: 'target', green: 'green', red: 'red', department: 'department', picName: 'pic_name', picContact: 'pic_contact',
};

/**
 * Changes one KPI's programme entry. Thresholds are checked in their order with the other one as stored; nothing is
 * written when anything is wrong. The change row lists each field's value before and after.
 */
export async function setKpiProgramme(ctx: ServiceCtx, key: string, patch: ProgrammePatch): Promise<ProgrammeKpi> {
  const def = kpiDefinition(key);
  if (def === undefined) throw new AppError('not_found', `no KPI "${key}"`);
  const current = (await listKpiProgramme(ctx.db)).find((r) => r.key === key);
  const th = (await loadThresholds(ctx)).get(key)!;
  const next = { green: patch.green ?? th.green, red: patch.red ?? th.red };
  const problems = thresholdProblems(key, next);
  if (problems.length > 0) throw new AppError('validation_failed', problems.map((p) => p.message).join('; '), { details: problems });
  const before: Record<string, unknown> = {
    definition_id: current?.definition_id ?? null, definition_en: current?.definition_en ?? null, target: current?.target ?? null,
    department: current?.department ?? null, pic_name: current?.pic_name ?? null, pic_contact: current?.pic_contact ?? null, green: th.green, red: th.red,
  };
  const after = { ...before };
  for (const [k, v] of Object.entries(patch) as [keyof ProgrammePatch, unknown][]) {
    if (v === undefined) continue;
    after[FIELD_OF[k]] = typeof v === 'string' ? (v.trim() === '' ? null : v.trim()) : v;
  }
  const changes: Record<string, [unknown, unknown]> = {};
  for (const k of Object.keys(after)) if (before[k] !== after[k]) changes[k] = [before[k], after[k]];
  if (Object.keys(changes).length > 0) {
    const now = isoAt(ctx.clock.nowMs());
    const by = ctx.actor?.email ?? 'system';
    await inTransaction(ctx, async (trx) => {
      await upsertProgrammeRow(trx, {
        key, definition_id: after.definition_id as string | null, definition_en: after.definition_en as string | null, target: after.target as number | null,
        department: after.department as string | null, pic_name: after.pic_name as string | null, pic_contact: after.pic_contact as string | null, updated_at: now, updated_by: by,
      });
      if ('green' in changes || 'red' in changes) await upsertThresholds(trx, [{ key, green: next.green, red: next.red, updated_at: now }]);
      await insertProgrammeChange(trx, { id: newId(), key, at: now, by_id: ctx.actor?.userId ?? null, by_label: by, changes: JSON.stringify(changes) });
      // The audit log records which fields changed, never the PIC's contact itself.
      await recordAudit(ctx, trx, { action: 'update', entity: 'kpi_programme', entityId: key, detail: { fields: Object.keys(changes) } });
    });
  }
  return (await kpiProgramme(ctx)).items.find((i) => i.key === key)!;
}

export async function kpiProgrammeChanges(ctx: ServiceCtx, key: string): Promise<{ key: string; items: Array<{ at: string; by: string; changes: Record<string, [unknown, unknown]> }> }> {
  if (kpiDefinition(key) === undefined) throw new AppError('not_found', `no KPI "${key}"`);
  const rows = await listProgrammeChanges(ctx.db, key);
  return { key, items: rows.map((r) => ({ at: r.at, by: r.by_label, changes: JSON.parse(r.changes) as Record<string, [unknown, unknown]> })) };
}

export async function setKpiNote(ctx: ServiceCtx, key: string, month: string, note: string): Promise<{ key: string; month: string; note: string; by: string; updatedAt: string }> {
  if (kpiDefinition(key) === undefined) throw new AppError('not_found', `no KPI "${key}"`);
  const now = isoAt(ctx.clock.nowMs());
  const by = ctx.actor?.email ?? 'system';
  await inTransaction(ctx, async (trx) => {
    await upsertKpiNote(trx, { key, month, note: note.trim(), by_label: by, updated_at: now });
    await recordAudit(ctx, trx, { action: 'update', entity: 'kpi_notes', entityId: `${key}/${month}`, detail: { month } });
  });
  return { key, month, note: note.trim(), by, updatedAt: now };
}

export async function kpiNotes(ctx: ServiceCtx, month: string): Promise<{ month: string; items: Array<{ key: string; note: string; by: string; updatedAt: string }> }> {
  return { month, items: (await kpiNotesOfMonth(ctx.db, month)).map((n) => ({ key: n.key, note: n.note, by: n.by_label, updatedAt: n.updated_at })) };
}
