/** Coverage: wards shaded by coverage % for the chosen layer, footprints, gap shapes, ranked gaps, ward figures. */
import L from 'leaflet';
import type { FeatureCollection } from 'geojson';
import { get } from '../../api/client.ts';
import { COVERAGE_LAYERS, type CoverageLayer, type CoverageWards, type Gap, type WardCollection, type WardCoverage } from '../../api/types.ts';
import { fmtNumber, fmtPct, t } from '../../i18n/i18n.ts';
import { DICT_ID, type MessageKey } from '../../i18n/dict.ts';
import { createBaseMap } from '../../map/base-map.ts';
import { legendControl } from '../../map/legend.ts';
import { lonLatToLatLng, wardLayer } from '../../map/ward-layer.ts';
import { clear, h } from '../../ui/dom.ts';
import { emptyNote, errorNote, loadingNote, notAvailableNote } from '../../ui/notes.ts';
import type { View } from '../view.ts';
import { textElement } from '../../map/text-element.ts';

const GAP_COLOUR = '#CC79A7';
// The server's default: installed access points count unless monitoring says they are down.
let chosenLayer: CoverageLayer = 'assumed';

export const coverageView: View = (el) => {
  let wards: WardCollection | null = null;
  let coverage: CoverageWards | null = null;
  let gaps: Gap[] = [];
  let selectedWard: string | null = null;
  let stopped = false;
  const showFootprints = h('input', { type: 'checkbox', id: 'show-footprints', checked: true });
  const showGaps = h('input', { type: 'checkbox', id: 'show-gaps', checked: true });
  const layerGroup = h('div', { class: 'segmented', role: 'radiogroup', 'aria-label': t('coverage.layer') });
  const mapEl = h('div', { class: 'map', role: 'region', 'aria-label': t('coverage.mapLabel'), 'data-testid': 'coverage-map' });
  const side = h('aside', { class: 'panel', 'aria-label': t('coverage.panelLabel') });
  const banner = h('div', { class: 'banner-notes' });
  el.append(
    h(
      'div',
      { class: 'toolbar' },
      h('h1', {}, t('nav.coverage')),
      layerGroup,
      h('label', { class: 'check', for: 'show-footprints' }, showFootprints, ' ', t('coverage.footprints')),
      h('label', { class: 'check', for: 'show-gaps' }, showGaps, ' ', t('coverage.gaps')),
    ),
    banner,
    h('div', { class: 'split' }, mapEl, side),
  );
  const base = createBaseMap(mapEl);
  legendControl({ coverage: true, noData: true, title: t('coverage.legendTitle') }).addTo(base.map);
  let wardsLayer: L.GeoJSON | null = null;
  const footprints = L.featureGroup().addTo(base.map);
  // Thousands of footprint circles draw on one canvas, not as thousands of SVG elements.
  const footprintRenderer = L.canvas({ padding: 0.2 });
  const gapLayer = L.featureGroup().addTo(base.map);

  function drawLayerButtons(): void {
    clear(layerGroup);
    for (const l of COVERAGE_LAYERS) {
      const b = h(
        'button',
        { type: 'button', role: 'radio', 'aria-checked': l === chosenLayer ? 'true' : 'false', class: l === chosenLayer ? 'seg active' : 'seg', 'data-layer': l, tabindex: l === chosenLayer ? '0' : '-1' },
        t(`layer.${l}` as MessageKey),
      );
      b.addEventListener('click', () => {
        chosenLayer = l;
        drawLayerButtons();
        void load();
      });
      b.addEventListener('keydown', (e) => {
        if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
        const i = COVERAGE_LAYERS.indexOf(chosenLayer);
        const next = COVERAGE_LAYERS[(i + (e.key === 'ArrowRight' ? 1 : COVERAGE_LAYERS.length - 1)) % COVERAGE_LAYERS.length]!;
        chosenLayer = next;
        drawLayerButtons();
        layerGroup.querySelector<HTMLElement>(`[data-layer="${next}"]`)?.focus();
        void load();
      });
      layerGroup.append(b);
    }
  }

  function byCode(): Map<string, WardCoverage> {
    return new Map((coverage?.items ?? []).map((w) => [w.code, w] as const));
  }

  function drawWards(): void {
    if (wards === null) return;
    wardsLayer?.remove();
    const cov = byCode();
    wardsLayer = wardLayer(wards, {
      ...(coverage === null ? {} : { pctByCode: new Map([...cov.entries()].map(([k, v]) => [k, v.coveredPct] as const)) }),
      selectedCode: selectedWard,
      onSelect: (code) => {
        selectedWard = code;
        drawWards();
        drawSide();
      },
      tooltip: (p) => {
        const c = cov.get(p.code);
        return c === undefined ? p.name : `${p.name} · ${fmtPct(c.coveredPct)}`;
      },
    }).addTo(base.map);
    wardsLayer.bringToBack();
  }

  function wardFigures(code: string): HTMLElement {
    const c = byCode().get(code);
    const f = wards?.features.find((x) => x.properties.code === code)?.properties;
    const box = h('section', { class: 'card ward-card', 'data-testid': 'ward-figures' }, h('h2', {}, c?.name ?? f?.name ?? code));
    const dl = h('dl', { class: 'facts' });
    const row = (k: MessageKey, v: string): void => {
      dl.append(h('dt', {}, t(k)), h('dd', {}, v));
    };
    row('coverage.district', f?.district ?? '–');
    row('coverage.area', f === undefined ? '–' : `${fmtNumber(f.areaM2 / 1e6, { maxFractionDigits: 2 })} km²`);
    row('coverage.residents', c?.residents === null || c?.residents === undefined ? (f?.population === null || f?.population === undefined ? t('coverage.noResidents') : fmtNumber(f.population)) : fmtNumber(c.residents));
    if (c !== undefined) {
      row('coverage.coveredPct', fmtPct(c.coveredPct));
      row('coverage.residentsCovered', c.residentsCovered === null ? '–' : `${fmtNumber(c.residentsCovered)} (${fmtPct(c.residentsCoveredPct)})`);
      row('coverage.liveAps', fmtNumber(c.liveAccessPoints));
      row('coverage.apsPer1000', c.apsPer1000Residents === null ? '–' : fmtNumber(c.apsPer1000Residents, { maxFractionDigits: 2 }));
    }
    box.append(dl);
    box.append(h('button', { type: 'button', class: 'btn btn-ghost btn-small', onclick: () => { selectedWard = null; drawWards(); drawSide(); } }, t('common.close')));
    return box;
  }

  function drawSide(): void {
    clear(side);
    if (selectedWard !== null) side.append(wardFigures(selectedWard));
    side.append(h('h2', {}, t('coverage.gapList')));
    if (gaps.length === 0) side.append(emptyNote(t('coverage.noGaps')));
    else {
      const list = h('ol', { class: 'rank-list', 'data-testid': 'gap-list' });
      for (const g of gaps) {
        list.append(
          h(
            'li',
            {},
            h(
              'button',
              {
                type: 'button',
                class: 'rank-item',
                onclick: () => {
                  selectedWard = g.wardCode;
                  base.map.setView(lonLatToLatLng(g.centroid), 15);
                  drawWards();
                  drawSide();
                },
              },
              h('span', { class: 'rank-name' }, g.wardName),
              h('span', { class: 'rank-meta', ...(g.warning === undefined ? {} : { title: g.warning }) }, `${fmtNumber(g.areaM2 / 1e6, { maxFractionDigits: 2 })} km² · ${g.residents === null ? `${t('coverage.noResidents')}, ${t('coverage.rankedByArea')}` : `${fmtNumber(g.residents)} ${t('coverage.residentsShort')}`}`),
            ),
          ),
        );
      }
      side.append(list);
    }
    if (coverage !== null) {
      side.append(h('h2', {}, t('coverage.wardTable')));
      const rows = [...coverage.items].sort((a, b) => a.coveredPct - b.coveredPct);
      const table = h('table', { class: 'table table-compact', 'data-testid': 'coverage-table' }, h('thead', {}, h('tr', {}, h('th', {}, t('common.ward')), h('th', { class: 'num' }, t('coverage.coveredPct')), h('th', { class: 'num' }, t('coverage.residentsCovered')))));
      const tb = h('tbody', {});
      for (const w of rows) {
        const tr = h('tr', {}, h('td', {}, h('button', { type: 'button', class: 'link', onclick: () => { selectedWard = w.code; drawWards(); drawSide(); } }, w.name)), h('td', { class: 'num' }, fmtPct(w.coveredPct)), h('td', { class: 'num' }, fmtPct(w.residentsCoveredPct)));
        tb.append(tr);
      }
      table.append(tb);
      side.append(table);
    }
  }

  /** The map layer for the current zoom (the server simplifies and caches it per zoom). */
  async function loadFootprints(): Promise<void> {
    const fp = await get<FeatureCollection>('/api/v1/coverage', { layer: chosenLayer, zoom: Math.round(base.map.getZoom()) });
    if (stopped) return;
    footprints.clearLayers();
    if (!fp.ok) return;
    L.geoJSON(fp.data, {
      // Footprints only show; clicks fall through to the ward beneath.
      interactive: false,
      style: (f) => (f?.properties?.kind === 'union' ? { color: '#0072B2', weight: 2, fill: false, dashArray: '4 3', renderer: footprintRenderer } : { color: '#0072B2', weight: 1, fillColor: '#56B4E9', fillOpacity: 0.25, renderer: footprintRenderer }),
      pointToLayer: (f, latlng) => L.circle(latlng, { radius: Number(f.properties?.radiusM ?? 50), interactive: false, renderer: footprintRenderer }),
    }).addTo(footprints);
  }

  function layerBanner(cov: CoverageWards): void {
    const notes: HTMLElement[] = [];
    // The layer's definition in the reader's language (the server's English one when the dictionary lacks it).
    const defKey = `layerDef.${cov.layer}`;
    const definition = defKey in DICT_ID ? t(defKey as MessageKey) : cov.layerDefinition;
    if (definition !== undefined) notes.push(h('p', { class: 'muted small', 'data-testid': 'layer-note' }, t('coverage.layerNote', { l: t(`layer.${cov.layer}` as MessageKey), d: definition })));
    if ((cov.devices?.countedUnverified ?? 0) > 0) notes.push(h('p', { class: 'note note-quiet', 'data-testid': 'unverified-note' }, '! ', t('coverage.unverified', { n: fmtNumber(cov.devices!.countedUnverified) })));
    if ((cov.devices?.down ?? 0) > 0 && cov.layer !== 'planned') notes.push(h('p', { class: 'note note-quiet' }, '! ', t('coverage.down', { n: fmtNumber(cov.devices!.down) })));
    if (cov.city?.partial === true) notes.push(h('p', { class: 'note note-quiet' }, '! ', t('coverage.partial', { n: fmtNumber(cov.city.wardsWithoutResidents) })));
    banner.append(...notes);
  }

  async function load(): Promise<void> {
    clear(banner);
    side.replaceChildren(loadingNote());
    const [w, cov, , gp] = await Promise.all([
      wards === null ? get<WardCollection>('/api/v1/public/wards.geojson') : Promise.resolve(null),
      get<CoverageWards>('/api/v1/coverage/wards', { layer: chosenLayer }),
      loadFootprints(),
      get<{ items: Gap[] }>('/api/v1/gaps', { limit: 10, layer: chosenLayer === 'expected' ? 'assumed' : chosenLayer }),
    ]);
    if (stopped) return;
    if (w !== null) {
      if (w.ok) wards = w.data;
      else banner.append(errorNote(w));
    }
    const fitNow = w !== null && w.ok && w.data.features.length > 0;
    coverage = cov.ok ? cov.data : null;
    if (!cov.ok) banner.append(cov.notAvailable ? notAvailableNote(t('coverage.figures')) : errorNote(cov));
    else layerBanner(cov.data);
    gapLayer.clearLayers();
    gaps = gp.ok ? gp.data.items : [];
    for (const g of gaps) {
      L.geoJSON(g.geometry as GeoJSON.Geometry, { style: { color: '#7a2e5c', weight: 2, dashArray: '6 4', fillColor: GAP_COLOUR, fillOpacity: 0.45 } })
        .bindTooltip(textElement(`${t('coverage.gap')}: ${g.wardName}`), { sticky: true, className: 'jk-tooltip' })
        .on('click', () => {
          selectedWard = g.wardCode;
          drawWards();
          drawSide();
        })
        .addTo(gapLayer);
    }
    drawWards();
    drawSide();
    if (fitNow && wardsLayer !== null) base.map.fitBounds(wardsLayer.getBounds(), { padding: [12, 12], animate: false });
  }

  let zoomTimer: number | undefined;
  let shownZoom = -1;
  base.map.on('zoomend', () => {
    window.clearTimeout(zoomTimer);
    zoomTimer = window.setTimeout(() => {
      const z = Math.round(base.map.getZoom());
      if (z === shownZoom) return;
      shownZoom = z;
      void loadFootprints();
    }, 250);
  });
  showFootprints.addEventListener('change', () => (showFootprints.checked ? footprints.addTo(base.map) : footprints.remove()));
  showGaps.addEventListener('change', () => (showGaps.checked ? gapLayer.addTo(base.map) : gapLayer.remove()));
  drawLayerButtons();
  void load();
  return () => {
    stopped = true;
    base.destroy();
  };
};
