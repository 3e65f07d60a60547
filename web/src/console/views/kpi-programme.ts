/**
 * The KPI programme in the console (issue 15): each KPI's definition, unit, target, thresholds, owning department,
 * PIC and contact, and its trend over the daily snapshots, or in words why there is none. An admin edits an entry in
 * a dialog (the server refuses thresholds in the wrong order and keeps every change).
 */
import { api, get, hasRoute } from '../../api/client.ts';
import type { KpiProgrammeItem } from '../../api/types.ts';
import { fmtNumber, lang, t } from '../../i18n/i18n.ts';
import { formDialog } from '../../ui/dialog.ts';
import { h } from '../../ui/dom.ts';
import { errorNote, loadingNote, notAvailableNote } from '../../ui/notes.ts';
import type { ViewCtx } from '../view.ts';
import { DICT_ID, type MessageKey } from '../../i18n/dict.ts';

function unitText(unit: string): string {
  const k = `kpiUnit.${unit}`;
  return k in DICT_ID ? t(k as MessageKey) : unit;
}

function trendText(i: KpiProgrammeItem): HTMLElement {
  if (i.trend === null) return h('span', { class: 'muted', 'data-testid': `trend-${i.key}` }, t(`kpiTrend.${i.trendReason ?? 'no-snapshots'}`));
  const arrow = i.trend.direction === 'up' ? '↑' : i.trend.direction === 'down' ? '↓' : '→';
  const tone = i.trend.better === null ? '' : i.trend.better ? 'trend-better' : 'trend-worse';
  return h('span', { class: tone, 'data-testid': `trend-${i.key}` }, `${arrow} ${fmtNumber(i.trend.from.value, { maxFractionDigits: 1 })} → ${fmtNumber(i.trend.to.value, { maxFractionDigits: 1 })}`,
    h('span', { class: 'muted small' }, ` (${t('kpiTrend.days', { n: i.trend.days })}${i.trend.better === null ? '' : `, ${t(i.trend.better ? 'kpiTrend.better' : 'kpiTrend.worse')}`})`));
}

function field(label: string, input: HTMLElement): HTMLElement[] {
  return [h('label', { for: input.id }, label), input];
}

function editDialog(i: KpiProgrammeItem, done: () => void): void {
  const num = (id: string, v: number | null): HTMLInputElement => h('input', { id, type: 'number', step: 'any', value: v === null ? '' : String(v) });
  const text = (id: string, v: string | null): HTMLInputElement => h('input', { id, type: 'text', value: v ?? '', maxlength: 160 });
  const target = num('kp-target', i.target);
  const green = num('kp-green', i.green);
  const red = num('kp-red', i.red);
  const dept = text('kp-dept', i.department);
  const pic = text('kp-pic', i.pic.name);
  const contact = text('kp-contact', i.pic.contact);
  const defId = h('textarea', { id: 'kp-def-id', rows: 3, maxlength: 1000 }, i.definition.id);
  const defEn = h('textarea', { id: 'kp-def-en', rows: 3, maxlength: 1000 }, i.definition.en);
  formDialog({
    title: t('kpiProg.editTitle', { k: i.label[lang()] }),
    testId: 'kpi-programme-dialog',
    wide: true,
    fields: [
      ...field(t('kpi.target'), target), ...field(t('kpiProg.green'), green), ...field(t('kpiProg.red'), red),
      ...field(t('kpiProg.department'), dept), ...field(t('kpiProg.pic'), pic), ...field(t('kpiProg.contact'), contact),
      ...field(t('kpiProg.definitionId'), defId), ...field(t('kpiProg.definitionEn'), defEn),
    ],
    submit: t('common.save'),
    onSubmit: async () => {
      const n = (el: HTMLInputElement): number | null => (el.value.trim() === '' ? null : Number(el.value));
      const body = {
        target: n(target), green: n(green) ?? i.green, red: n(red) ?? i.red,
        department: dept.value, picName: pic.value, picContact: contact.value, definitionId: defId.value, definitionEn: defEn.value,
      };
      const r = await api<KpiProgrammeItem>('PUT', '/api/v1/kpis/programme/:key', `/api/v1/kpis/programme/${encodeURIComponent(i.key)}`, { json: body });
      if (!r.ok) return errorNote(r);
      done();
      return null;
    },
  });
}

/** The programme section; null where the server does not serve it yet. */
export function programmeSection(ctx: ViewCtx): HTMLElement {
  const box = h('section', { class: 'card', 'data-testid': 'kpi-programme' }, h('h2', {}, t('kpiProg.title')), loadingNote());
  const load = async (): Promise<void> => {
    if (!(await hasRoute('GET', '/api/v1/kpis/programme'))) {
      box.replaceChildren(h('h2', {}, t('kpiProg.title')), notAvailableNote());
      return;
    }
    const r = await get<{ items: KpiProgrammeItem[]; trendDays: number }>('/api/v1/kpis/programme');
    if (!r.ok) {
      box.replaceChildren(h('h2', {}, t('kpiProg.title')), errorNote(r));
      return;
    }
    const admin = ctx.me.role === 'admin';
    const rows = r.data.items.map((i) => h('tr', {},
      h('td', {}, h('strong', {}, i.label[lang()]), h('div', { class: 'muted small' }, i.definition[lang()])),
      h('td', {}, unitText(i.unit)),
      h('td', {}, i.target === null ? '–' : fmtNumber(i.target, { maxFractionDigits: 2 })),
      h('td', {}, `${fmtNumber(i.green, { maxFractionDigits: 2 })} / ${fmtNumber(i.red, { maxFractionDigits: 2 })}`),
      h('td', {}, i.department ?? h('span', { class: 'muted' }, t('kpiProg.unassigned'))),
      h('td', {}, i.pic.name ?? '–', i.pic.contact === null ? null : h('div', { class: 'muted small' }, i.pic.contact)),
      h('td', {}, trendText(i)),
      admin ? h('td', {}, h('button', { type: 'button', class: 'btn btn-secondary', 'data-testid': `kpi-edit-${i.key}`, onclick: () => editDialog(i, () => void load()) }, t('common.edit'))) : null,
    ));
    const table = h('table', { class: 'table', 'data-testid': 'kpi-programme-table' },
      h('thead', {}, h('tr', {}, h('th', {}, 'KPI'), h('th', {}, t('kpiProg.unit')), h('th', {}, t('kpi.target')), h('th', {}, t('kpiProg.thresholds')),
        h('th', {}, t('kpiProg.department')), h('th', {}, t('kpiProg.pic')), h('th', {}, t('kpiProg.trend', { n: r.data.trendDays })), admin ? h('th', {}, h('span', { class: 'sr-only' }, t('common.edit'))) : null)),
      h('tbody', {}, ...rows));
    box.replaceChildren(h('h2', {}, t('kpiProg.title')), h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('kpiProg.title') }, table));
  };
  void load();
  return box;
}
