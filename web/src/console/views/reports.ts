/**
 * Citizens' "no signal here" reports: a map layer coloured by triage status (new, seen, planned, resolved) and a
 * list where planners set the status with a note. The citizen's note is shown as text, never as markup.
 */
import L from 'leaflet';
import { api, get } from '../../api/client.ts';
import type { ReportOut, ReportTriage, WardCollection } from '../../api/types.ts';
import { fmtDateTime, fmtNumber, t } from '../../i18n/i18n.ts';
import type { MessageKey } from '../../i18n/dict.ts';
import { createBaseMap } from '../../map/base-map.ts';
import { wardLayer } from '../../map/ward-layer.ts';
import { clear, h } from '../../ui/dom.ts';
import { emptyNote, errorNote, loadingNote } from '../../ui/notes.ts';
import type { View } from '../view.ts';

const TRIAGE: readonly ReportTriage[] = ['new', 'seen', 'planned', 'resolved'];
/** Colour-blind-safe, with the status also in words in the list and the legend. */
const COLOUR: Record<ReportTriage, string> = { new: '#D55E00', seen: '#E69F00', planned: '#0072B2', resolved: '#009E73' };
const TRIAGERS = ['admin', 'planner'];

export const reportsView: View = (el, ctx) => {
  let stopped = false;
  let filter: ReportTriage | '' = '';
  let items: ReportOut[] = [];
  const canTriage = TRIAGERS.includes(ctx.me.role);
  const mapEl = h('div', { class: 'map', role: 'region', 'aria-label': t('reports.mapLabel'), 'data-testid': 'reports-map' });
  const side = h('aside', { class: 'panel', 'aria-label': t('reports.listLabel') });
  const counts = h('div', { class: 'state-counts', 'aria-live': 'polite' });
  const choose = h('select', { id: 'triage-filter', 'data-testid': 'triage-filter' }, h('option', { value: '' }, t('reports.all')), ...TRIAGE.map((s) => h('option', { value: s }, t(`triage.${s}` as MessageKey))));
  el.append(
    h('div', { class: 'toolbar' }, h('h1', {}, t('nav.reports')), counts, h('div', { class: 'filter inline' }, h('label', { for: 'triage-filter' }, t('reports.show')), choose)),
    h('div', { class: 'split' }, mapEl, side),
  );
  const base = createBaseMap(mapEl);
  const layer = L.featureGroup().addTo(base.map);
  const legend = L.Control.extend({
    onAdd: (): HTMLElement => {
      const box = h('div', { class: 'jk-legend' }, h('div', { class: 'legend-title' }, t('reports.legend')));
      const list = h('ul', {});
      for (const s of TRIAGE) list.append(h('li', {}, h('span', { class: 'swatch swatch-circle', style: `--c:${COLOUR[s]}`, 'aria-hidden': 'true' }), h('span', {}, t(`triage.${s}` as MessageKey))));
      box.append(list);
      return box;
    },
  });
  new legend({ position: 'bottomright' }).addTo(base.map);

  function draw(): void {
    layer.clearLayers();
    clear(counts);
    for (const s of TRIAGE) counts.append(h('span', { class: 'count' }, h('span', { class: 'swatch swatch-circle', style: `--c:${COLOUR[s]}`, 'aria-hidden': 'true' }), t(`triage.${s}` as MessageKey), h('strong', {}, fmtNumber(items.filter((x) => x.triage === s).length))));
    const shown = filter === '' ? items : items.filter((x) => x.triage === filter);
    for (const r of shown) {
      const m = L.circleMarker([r.lat, r.lon], { radius: 7, color: '#fff', weight: 2, fillColor: COLOUR[r.triage], fillOpacity: 1 });
      // Tooltip content as a DOM node: the citizen's note is text, never parsed as HTML.
      m.bindTooltip(h('span', {}, `${t(`triage.${r.triage}` as MessageKey)} · ${r.note === '' ? t('reports.noNote') : r.note}`), { className: 'jk-tooltip' });
      m.on('click', () => side.querySelector<HTMLElement>(`[data-report-id="${r.id}"] select`)?.focus());
      m.addTo(layer);
    }
    clear(side);
    side.append(h('h2', {}, t('reports.listTitle', { n: fmtNumber(shown.length) })));
    if (shown.length === 0) return void side.append(emptyNote(t('reports.none')));
    const list = h('ul', { class: 'report-list', 'data-testid': 'report-list' });
    for (const r of shown.slice(0, 300)) {
      const status = h('select', { id: `tri-${r.id}`, disabled: !canTriage, 'data-testid': 'triage' }, ...TRIAGE.map((s) => h('option', { value: s, selected: s === r.triage }, t(`triage.${s}` as MessageKey))));
      const out = h('span', { class: 'small', 'aria-live': 'polite' });
      status.addEventListener('change', () => {
        void api<ReportOut>('PATCH', '/api/v1/reports/{id}', `/api/v1/reports/${encodeURIComponent(r.id)}`, { json: { triage: status.value } }).then((res) => {
          if (!res.ok) {
            status.value = r.triage;
            out.textContent = res.message;
            return;
          }
          Object.assign(r, res.data);
          out.textContent = `✓ ${t('reports.saved')}`;
          draw();
        });
      });
      list.append(
        h(
          'li',
          { class: 'report-item', 'data-report-id': r.id },
          h('span', { class: 'swatch swatch-circle', style: `--c:${COLOUR[r.triage]}`, 'aria-hidden': 'true' }),
          h(
            'div',
            {},
            h('button', { type: 'button', class: 'link', onclick: () => base.map.setView([r.lat, r.lon], 16) }, r.note === '' ? t('reports.noNote') : r.note),
            h('span', { class: 'sub' }, `${fmtDateTime(r.createdAt)} · ${r.wardCode ?? '–'}${r.triageBy === null ? '' : ` · ${t('reports.by', { by: r.triageBy })}`}`),
          ),
          h('label', { for: `tri-${r.id}`, class: 'sr-only' }, t('reports.status')),
          status,
          out,
        ),
      );
    }
    side.append(list);
  }

  async function load(): Promise<void> {
    const [r, w] = await Promise.all([get<{ items: ReportOut[] }>('/api/v1/reports', { limit: 5000 }), get<WardCollection>('/api/v1/public/wards.geojson')]);
    if (stopped) return;
    if (w.ok) {
      const outlines = wardLayer(w.data, { outlineOnly: true, tooltip: (p) => p.name }).addTo(base.map);
      outlines.bringToBack();
      if (w.data.features.length > 0) base.map.fitBounds(outlines.getBounds(), { padding: [12, 12], animate: false });
    }
    if (!r.ok) {
      clear(side);
      side.append(errorNote(r));
      return;
    }
    items = r.data.items;
    draw();
  }
  choose.addEventListener('change', () => {
    filter = choose.value as ReportTriage | '';
    draw();
  });
  side.append(loadingNote());
  void load();
  return () => {
    stopped = true;
    base.destroy();
  };
};
