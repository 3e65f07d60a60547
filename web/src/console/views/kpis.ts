/** Rollout and KPIs: the site pipeline per ward, the KPI table with traffic-light chips and trends, CSV export. */
import { get, hasRoute } from '../../api/client.ts';
import type { KpiStatus, SiteOut, SiteStatus, WardKpis, WardOut } from '../../api/types.ts';
import { fmtNumber, lang, t } from '../../i18n/i18n.ts';
import { DICT_ID, type MessageKey } from '../../i18n/dict.ts';
import { sparkline } from '../../ui/charts.ts';
import { clear, h } from '../../ui/dom.ts';
import { errorNote, loadingNote, notAvailableNote, emptyNote } from '../../ui/notes.ts';
import { fetchAll } from '../data/fetch-all.ts';
import type { View } from '../view.ts';
import { rolloutSection } from './rollout-steps.ts';

const PIPELINE: readonly SiteStatus[] = ['planned', 'approved', 'installing', 'live'];

/** GET /api/v1/rollout/wards: the rollout items of a ward by step, with overdue steps and the budget they carry. */
interface RolloutWard {
  wardCode: string;
  overdue: number;
  budget: number;
}
const CHIP: Record<KpiStatus, { glyph: string; label: MessageKey }> = {
  green: { glyph: '✓', label: 'kpi.green' },
  orange: { glyph: '!', label: 'kpi.orange' },
  red: { glyph: '✕', label: 'kpi.red' },
  'no-data': { glyph: '–', label: 'kpi.noData' },
};

export function kpiChip(status: KpiStatus, text: string): HTMLElement {
  const c = CHIP[status] ?? CHIP.orange;
  return h('span', { class: `chip chip-${status}`, title: t(c.label) }, h('span', { 'aria-hidden': 'true' }, c.glyph), ' ', text, h('span', { class: 'sr-only' }, ` (${t(c.label)})`));
}

/** The reason a KPI has no data, in the reader's language when the dictionary knows the code; the server's words otherwise. */
export function kpiReason(code: string | undefined, fallback: string | undefined): string {
  const k = `kpiReason.${code ?? ''}`;
  return k in DICT_ID ? t(k as MessageKey) : (fallback ?? '');
}

/** The KPI's name in the reader's language when the dictionary knows its key; the server's label otherwise. */
function kpiLabel(key: string, fallback: string): string {
  const k = `kpiKey.${key}`;
  return k in DICT_ID ? t(k as MessageKey) : fallback;
}

function kpiUnit(unit: string): string {
  const k = `kpiUnit.${unit}`;
  return k in DICT_ID ? t(k as MessageKey) : unit;
}

/** History points in either shape the server may send: `{points: [[t, v]]}` or `{items: [{at, value}]}`. */
function historyValues(body: unknown): number[] {
  const b = body as { points?: [number, number][]; items?: { value?: number | null }[] };
  if (Array.isArray(b.points)) return b.points.map((p) => p[1]);
  if (Array.isArray(b.items)) return b.items.map((x) => (typeof x.value === 'number' ? x.value : NaN));
  return [];
}

async function pool<T>(tasks: (() => Promise<T>)[], width: number): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const i = next++;
      await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, tasks.length) }, worker));
}

export const kpisView: View = (el, ctx) => {
  let stopped = false;
  const pipelineBox = h('section', { class: 'card' }, h('h2', {}, t('kpi.pipelineTitle')), loadingNote());
  const kpiBox = h('section', { class: 'card' }, h('h2', {}, t('kpi.tableTitle')), loadingNote());
  const exportSlot = h('span', {});
  const wardNames = new Map<string, string>();
  const rollout = rolloutSection(ctx, (code) => (code === null ? '–' : (wardNames.get(code) ?? code)));
  el.append(h('div', { class: 'toolbar' }, h('h1', {}, t('nav.kpis')), exportSlot), h('div', { class: 'page' }, kpiBox, pipelineBox, rollout));

  async function loadPipeline(): Promise<void> {
    const [sites, wards, rollout] = await Promise.all([
      fetchAll<SiteOut>('/api/v1/sites'),
      fetchAll<WardOut>('/api/v1/wards'),
      // The rollout pipeline (overdue steps, budget) where the server has it; the site statuses otherwise.
      hasRoute('GET', '/api/v1/rollout/wards').then((yes) => (yes ? get<{ items: RolloutWard[] }>('/api/v1/rollout/wards') : null)),
    ]);
    if (stopped) return;
    const rolloutByWard = new Map(rollout !== null && rollout.ok ? rollout.data.items.map((r) => [r.wardCode, r]) : []);
    const withRollout = rolloutByWard.size > 0;
    const body = h('div', {});
    pipelineBox.replaceChildren(h('h2', {}, t('kpi.pipelineTitle')), body);
    if (!sites.ok || !wards.ok) {
      body.append(errorNote((!sites.ok ? sites : wards) as Extract<typeof sites, { ok: false }>));
      return;
    }
    const counts = new Map<string, Record<SiteStatus, number>>();
    for (const s of sites.data) {
      const key = s.wardCode ?? '';
      const row = counts.get(key) ?? { planned: 0, approved: 0, installing: 0, live: 0, retired: 0 };
      row[s.status]++;
      counts.set(key, row);
    }
    const table = h('table', { class: 'table', 'data-testid': 'pipeline-table' });
    table.append(
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, t('common.ward')),
          h('th', {}, t('coverage.district')),
          ...PIPELINE.map((s) => h('th', { class: 'num' }, t(`siteStatus.${s}` as MessageKey))),
          ...(withRollout ? [h('th', { class: 'num' }, t('kpi.overdue')), h('th', { class: 'num' }, t('kpi.budget'))] : []),
          h('th', {}, t('kpi.progress')),
        ),
      ),
    );
    const tb = h('tbody', {});
    for (const w of wards.data) wardNames.set(w.code, w.name);
    const rows = [...wards.data].sort((a, b) => a.district.localeCompare(b.district) || a.name.localeCompare(b.name));
    for (const w of rows) {
      const c = counts.get(w.code) ?? { planned: 0, approved: 0, installing: 0, live: 0, retired: 0 };
      const total = PIPELINE.reduce((n, s) => n + c[s], 0);
      const bar = h('span', { class: 'stack', role: 'img', 'aria-label': PIPELINE.map((s) => `${t(`siteStatus.${s}` as MessageKey)} ${c[s]}`).join(', ') });
      for (const s of PIPELINE) if (c[s] > 0) bar.append(h('span', { class: `stack-${s}`, style: `flex:${c[s]}` }));
      const ro = rolloutByWard.get(w.code);
      const rolloutCells = withRollout
        ? [
            h('td', { class: `num${ro !== undefined && ro.overdue > 0 ? ' overdue' : ''}` }, ro !== undefined && ro.overdue > 0 ? `⚠ ${fmtNumber(ro.overdue)}` : '0'),
            h('td', { class: 'num' }, fmtNumber(ro?.budget ?? 0)),
          ]
        : [];
      tb.append(h('tr', {}, h('td', {}, w.name), h('td', {}, w.district), ...PIPELINE.map((s) => h('td', { class: 'num' }, fmtNumber(c[s]))), ...rolloutCells, h('td', {}, total === 0 ? h('span', { class: 'muted small' }, t('kpi.noSites')) : bar)));
    }
    const outside = counts.get('');
    if (outside !== undefined) tb.append(h('tr', {}, h('td', {}, t('kpi.outsideCity')), h('td', {}, '–'), ...PIPELINE.map((s) => h('td', { class: 'num' }, fmtNumber(outside[s]))), ...(withRollout ? [h('td', {}), h('td', {})] : []), h('td', {})));
    table.append(tb);
    if (rows.length === 0) body.append(emptyNote(t('kpi.noWards')));
    else body.append(h('div', { class: 'legend-inline' }, ...PIPELINE.map((s) => h('span', {}, h('span', { class: `swatch swatch-box stack-${s}`, 'aria-hidden': 'true' }), t(`siteStatus.${s}` as MessageKey)))), h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('kpi.pipelineTitle') }, table));
  }

  async function loadKpis(): Promise<void> {
    const r = await get<{ items: WardKpis[] }>('/api/v1/kpis/wards');
    if (stopped) return;
    const body = h('div', {});
    kpiBox.replaceChildren(h('h2', {}, t('kpi.tableTitle')), body);
    if (!r.ok) {
      body.append(r.notAvailable ? notAvailableNote() : errorNote(r));
      return;
    }
    if (await hasRoute('GET', '/api/v1/kpis/wards.csv')) {
      clear(exportSlot);
      // Issue 15: the spreadsheet shape (one row per ward, one column per KPI) in the reader's language.
      exportSlot.append(h('a', { class: 'btn btn-secondary', href: `/api/v1/kpis/wards.csv?layout=wide&lang=${lang()}`, download: 'jangkau-kpi-kelurahan.csv', 'data-testid': 'kpi-csv' }, '⬇ ', t('kpi.exportCsv')));
    }
    if (await hasRoute('GET', '/api/v1/kpis/wards.xlsx')) {
      exportSlot.append(h('a', { class: 'btn btn-secondary', href: `/api/v1/kpis/wards.xlsx?lang=${lang()}`, download: `jangkau-kpi-kelurahan-${lang()}.xlsx`, 'data-testid': 'kpi-xlsx' }, '⬇ ', t('kpi.exportXlsx')));
    }
    const keys: { key: string; label: string; unit: string }[] = [];
    for (const w of r.data.items) for (const k of w.kpis) if (!keys.some((x) => x.key === k.key)) keys.push({ key: k.key, label: kpiLabel(k.key, k.label), unit: k.unit });
    const table = h('table', { class: 'table', 'data-testid': 'kpi-table' });
    table.append(h('thead', {}, h('tr', {}, h('th', {}, t('common.ward')), ...keys.map((k) => h('th', {}, k.label)), h('th', {}, t('kpi.trend', { k: keys[0]?.label ?? '' })))));
    const tb = h('tbody', {});
    const sparkCells: { wardCode: string; cell: HTMLElement }[] = [];
    for (const w of r.data.items) {
      const cells = keys.map((k) => {
        const v = w.kpis.find((x) => x.key === k.key);
        if (v === undefined) return h('td', {}, '–');
        const noData = v.status === 'no-data' || v.value === null;
        const text = noData ? t('kpi.noData') : `${fmtNumber(v.value!, { maxFractionDigits: 1 })}${v.unit === '%' ? '%' : ` ${kpiUnit(v.unit)}`}`;
        const why = noData ? kpiReason(v.reason, v.note) : (v.note ?? '');
        const title = [v.target === null ? '' : `${t('kpi.target')}: ${fmtNumber(v.target, { maxFractionDigits: 1 })} ${kpiUnit(v.unit)}`, why].filter((x) => x !== '').join(' · ');
        return h('td', { title, ...(noData ? { 'data-reason': v.reason ?? '' } : {}) }, kpiChip(noData ? 'no-data' : v.status, text), noData ? h('span', { class: 'sr-only' }, ` ${why}`) : null);
      });
      const spark = h('td', {});
      sparkCells.push({ wardCode: w.wardCode, cell: spark });
      tb.append(h('tr', {}, h('td', {}, w.wardName), ...cells, spark));
    }
    table.append(tb);
    body.append(h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('kpi.tableTitle') }, table));
    const first = keys[0];
    if (first !== undefined && (await hasRoute('GET', '/api/v1/kpis/history'))) {
      await pool(
        sparkCells.map(({ wardCode, cell }) => async () => {
          const hr = await get<unknown>('/api/v1/kpis/history', { key: first.key, wardCode });
          if (stopped || !hr.ok) return;
          cell.append(sparkline(historyValues(hr.data), { label: t('kpi.trend', { k: first.label }) }));
        }),
        4,
      );
    }
  }

  void loadKpis();
  void loadPipeline();
  return () => {
    stopped = true;
  };
};
