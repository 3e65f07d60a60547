/**
 * Quality as citizens measured it (issue 14): the speed tests run from the portal's success page, per hotspot and per
 * ward over the last 7 days: tests, median download, upload and latency, and a ward map shaded by the median download
 * (grey "no data" without a test, never the colour of 0).
 */
import { get, hasRoute } from '../../api/client.ts';
import { fmtNumber, t } from '../../i18n/i18n.ts';
import type { MessageKey } from '../../i18n/dict.ts';
import type { WardCollection } from '../../api/types.ts';
import { createBaseMap } from '../../map/base-map.ts';
import { NO_DATA_COLOUR } from '../../map/states.ts';
import { wardLayer } from '../../map/ward-layer.ts';
import { h } from '../../ui/dom.ts';
import { emptyNote, errorNote, loadingNote, notAvailableNote } from '../../ui/notes.ts';

interface Figures { tests: number; medianDownMbps: number | null; medianUpMbps: number | null; medianLatencyMs: number | null; reason?: string }
interface Quality { days: number; wards: Array<Figures & { wardCode: string; wardName: string }>; hotspots: Array<Figures & { hotspotId: string; identity: string }> }

function cell(v: number | null, unit: string): HTMLElement {
  return v === null ? h('td', { class: 'muted' }, t('quality.noData')) : h('td', { class: 'num' }, `${fmtNumber(v, { maxFractionDigits: 1 })} ${unit}`);
}

function table(testId: string, first: MessageKey, rows: Array<[string, Figures]>): HTMLElement {
  const tb = h('tbody', {});
  for (const [name, f] of rows) tb.append(h('tr', {}, h('td', {}, name), h('td', { class: 'num' }, fmtNumber(f.tests)), cell(f.medianDownMbps, 'Mbps'), cell(f.medianUpMbps, 'Mbps'), cell(f.medianLatencyMs, 'ms')));
  return h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t(first) },
    h('table', { class: 'table table-compact', 'data-testid': testId },
      h('thead', {}, h('tr', {}, ...([first, 'quality.tests', 'quality.down', 'quality.up', 'quality.latency'] as MessageKey[]).map((k) => h('th', { scope: 'col' }, t(k))))),
      tb));
}

/** Median download in Mbps, four bins of one hue (the programme's 10 Mbps target is a bin edge). */
export const SPEED_BINS: readonly { min: number; colour: string }[] = [
  { min: 25, colour: '#006d2c' },
  { min: 10, colour: '#31a354' },
  { min: 3, colour: '#a1d99b' },
  { min: 0, colour: '#e5f5e0' },
];

function speedColour(mbps: number): string {
  return (SPEED_BINS.find((b) => mbps >= b.min) ?? SPEED_BINS[SPEED_BINS.length - 1]!).colour;
}

function qualityMap(wards: WardCollection, q: Quality): HTMLElement {
  const byCode = new Map(q.wards.map((w) => [w.wardCode, w]));
  const colours = new Map<string, string>();
  for (const w of q.wards) if (w.medianDownMbps !== null) colours.set(w.wardCode, speedColour(w.medianDownMbps));
  const el = h('div', { class: 'map quality-map', role: 'region', 'aria-label': t('quality.mapLabel'), 'data-testid': 'quality-map' });
  const legend = h('div', { class: 'legend-inline', 'data-testid': 'quality-legend' },
    ...SPEED_BINS.map((b) => h('span', {}, h('span', { class: 'swatch swatch-box', style: `background:${b.colour}`, 'aria-hidden': 'true' }), `>= ${b.min} Mbps`)),
    h('span', {}, h('span', { class: 'swatch swatch-box', style: `background:${NO_DATA_COLOUR}`, 'aria-hidden': 'true' }), t('quality.noData')));
  // Leaflet needs the element in the page to size itself.
  requestAnimationFrame(() => {
    const base = createBaseMap(el);
    const layer = wardLayer(wards, {
      colourByCode: colours,
      tooltip: (p) => {
        const w = byCode.get(p.code);
        return w === undefined || w.medianDownMbps === null ? `${p.name}: ${t('quality.noData')}` : `${p.name}: ${fmtNumber(w.medianDownMbps, { maxFractionDigits: 1 })} Mbps (${t('quality.testsN', { n: w.tests })})`;
      },
    }).addTo(base.map);
    if (wards.features.length > 0) base.map.fitBounds(layer.getBounds(), { animate: false, padding: [8, 8] });
  });
  return h('div', {}, el, legend);
}

/** The section and its loader. */
export function qualitySection(): { el: HTMLElement; load: () => Promise<void> } {
  const el = h('section', { class: 'card', 'data-testid': 'hotspot-quality' }, h('h2', {}, t('quality.title')), loadingNote());
  async function load(): Promise<void> {
    const head = [h('h2', {}, t('quality.title')), h('p', { class: 'muted small' }, t('quality.intro'))];
    if (!(await hasRoute('GET', '/api/v1/portal/quality'))) return void el.replaceChildren(...head, notAvailableNote());
    const r = await get<Quality>('/api/v1/portal/quality', { days: 7 });
    if (!r.ok) return void el.replaceChildren(...head, errorNote(r));
    if (r.data.hotspots.length === 0 && r.data.wards.length === 0) return void el.replaceChildren(...head, emptyNote(t('quality.none')));
    const byTests = <T extends Figures>(a: T, b: T): number => b.tests - a.tests;
    const wards = r.data.wards.length === 0 ? null : await get<WardCollection>('/api/v1/public/wards.geojson');
    el.replaceChildren(
      ...head,
      ...(wards !== null && wards.ok ? [qualityMap(wards.data, r.data)] : []),
      h('div', { class: 'grid-2' },
        table('quality-hotspots', 'quality.hotspot', [...r.data.hotspots].sort(byTests).map((x) => [x.identity, x])),
        table('quality-wards', 'quality.ward', [...r.data.wards].sort(byTests).map((x) => [x.wardName, x]))),
    );
  }
  return { el, load };
}
