/**
 * The public map (`/`): no sign-in. Where the free Wi-Fi is and whether it works now, each ward's coverage, the
 * city's summary figures, and a "no signal here" report form. Works on a phone.
 */
import L from 'leaflet';
import '../styles/base.css';
import '../styles/public.css';
import { get } from '../api/client.ts';
import type { Hotspot, PublicSummary, WardCollection } from '../api/types.ts';
import { fmtNumber, fmtPct, fmtTime, onLangChange, t, lang } from '../i18n/i18n.ts';
import { DICT_ID, type MessageKey } from '../i18n/dict.ts';
import { createBaseMap, type BaseMap } from '../map/base-map.ts';
import { legendControl } from '../map/legend.ts';
import { PointLayer } from '../map/point-layer.ts';
import { wardLayer } from '../map/ward-layer.ts';
import { clear, h } from '../ui/dom.ts';
import { brand, langSwitch } from '../ui/header.ts';
import { demoBanner } from '../ui/demo-banner.ts';
import { notAvailableNote } from '../ui/notes.ts';
import { reportForm, type ReportDraft } from './report-form.ts';
import { hotspotCard, nearest, fmtDistance, type NearItem } from './hotspot-panel.ts';

interface PublicState {
  wards: WardCollection | null;
  wardsMissing: boolean;
  hotspots: Hotspot[] | null;
  hotspotsMissing: boolean;
  summary: PublicSummary | null;
  summaryMissing: boolean;
  updatedAt: Date | null;
  view: { center: L.LatLng; zoom: number } | null;
  draft: ReportDraft;
  /** Issue 15: the tapped hotspot, the finder's results and the reader's position (kept in the page only). */
  selectedId: string | null;
  finder: { kind: 'near' | 'ward' | 'none'; items: NearItem[]; message: string | null; wardName: string | null };
  here: { lat: number; lon: number } | null;
}

const REFRESH_MS = 60_000;
const state: PublicState = {
  wards: null,
  wardsMissing: false,
  hotspots: null,
  hotspotsMissing: false,
  summary: null,
  summaryMissing: false,
  updatedAt: null,
  view: null,
  draft: { lat: null, lon: null, note: '', open: false },
  selectedId: null,
  finder: { kind: 'none', items: [], message: null, wardName: null },
  here: null,
};

const renderMode = new URLSearchParams(location.search).get('render') === 'dom' ? 'dom' : 'canvas';
let base: BaseMap | null = null;
let points: PointLayer | null = null;
let wardsLayer: L.GeoJSON | null = null;
let reportMarker: L.Marker | null = null;
let firstPaintMarked = false;
let fitted = false;

/** Why a figure has no data, in the reader's language. */
function kpiReasonText(code: string | undefined): string {
  const k = `kpiReason.${code ?? ''}`;
  return k in DICT_ID ? t(k as MessageKey) : t('public.noData');
}

function figure(label: string, value: string, testId: string): HTMLElement {
  return h('div', { class: 'figure', 'data-testid': testId }, h('span', { class: 'figure-value' }, value), h('span', { class: 'figure-label' }, label));
}

function summaryPanel(): HTMLElement {
  const box = h('section', { class: 'card summary', 'aria-labelledby': 'summary-title' }, h('h2', { id: 'summary-title' }, t('public.summaryTitle')));
  const s = state.summary;
  if (s !== null) {
    box.append(
      h(
        'div',
        { class: 'figures' },
        figure(t('public.pointsLiveOf', { total: fmtNumber(s.pointsLive) }), fmtNumber(s.pointsWorking ?? s.pointsLive), 'fig-points'),
        figure(t('public.availabilityToday'), fmtPct(s.availabilityTodayPct), 'fig-availability'),
        figure(t('public.residentsCovered'), s.residentsCoveredPct === null ? t('public.noData') : fmtPct(s.residentsCoveredPct), 'fig-residents'),
      ),
    );
  } else if (state.summaryMissing) {
    box.append(notAvailableNote());
  } else {
    const hs = state.hotspots;
    if (hs !== null) box.append(h('div', { class: 'figures' }, figure(t('public.pointsLiveOf', { total: fmtNumber(hs.length) }), fmtNumber(hs.filter((x) => x.state === 'up').length), 'fig-points')));
  }
  if (state.updatedAt !== null) box.append(h('p', { class: 'muted small' }, t('common.updatedAt', { time: fmtTime(state.updatedAt) })));
  return box;
}

function wardList(): HTMLElement | null {
  const s = state.summary;
  if (s === null || s.wards.length === 0) return null;
  const rows = [...s.wards].sort((a, b) => (b.coveredPct ?? -1) - (a.coveredPct ?? -1));
  const list = h('ol', { class: 'ward-list' });
  for (const w of rows) {
    // No data is said in words and drawn without a bar: it is not 0 %.
    const noData = w.coveredPct === null;
    const why = noData ? kpiReasonText(w.reason) : '';
    list.append(
      h(
        'li',
        { ...(noData ? { class: 'no-data', title: why } : {}) },
        h('span', { class: 'ward-name' }, w.name),
        noData
          ? h('span', { class: 'bar bar-no-data', 'aria-hidden': 'true' })
          : h('span', { class: 'bar', 'aria-hidden': 'true' }, h('span', { class: 'bar-fill', style: `width:${Math.max(0, Math.min(100, w.coveredPct!)).toFixed(0)}%` })),
        h('span', { class: 'ward-pct' }, noData ? t('public.noData') : fmtPct(w.coveredPct, { maxFractionDigits: 0 })),
      ),
    );
  }
  return h('details', { class: 'card wards-card' }, h('summary', {}, h('h2', {}, t('public.wardsTitle'))), list);
}

let summarySlot: HTMLElement | null = null;
let wardsSlot: HTMLElement | null = null;

function fillSlots(): void {
  if (summarySlot !== null) {
    clear(summarySlot);
    summarySlot.append(summaryPanel());
    if (state.hotspotsMissing) summarySlot.append(notAvailableNote(t('public.hotspots')));
  }
  if (wardsSlot !== null) {
    const open = wardsSlot.querySelector('details')?.open === true;
    clear(wardsSlot);
    const wl = wardList();
    if (wl !== null) {
      if (open) wl.setAttribute('open', '');
      wardsSlot.append(wl);
    }
  }
}

function setReportMarker(): void {
  if (base === null) return;
  reportMarker?.remove();
  reportMarker = null;
  if (state.draft.lat === null || state.draft.lon === null) return;
  reportMarker = L.marker([state.draft.lat, state.draft.lon], {
    icon: L.divIcon({ className: 'report-pin', html: '', iconSize: [26, 26], iconAnchor: [13, 26] }),
    keyboard: false,
    title: t('report.here'),
  }).addTo(base.map);
}

function drawData(): void {
  if (base === null) return;
  wardsLayer?.remove();
  wardsLayer = null;
  if (state.wards !== null) {
    const pct = state.summary === null ? undefined : new Map(state.summary.wards.map((w) => [w.code, w.coveredPct] as const));
    wardsLayer = wardLayer(state.wards, {
      ...(pct === undefined ? {} : { pctByCode: pct }),
      tooltip: (p) => {
        const v = pct?.get(p.code);
        if (v === undefined) return p.name;
        if (v === null) return `${p.name} · ${t('map.noData')}: ${kpiReasonText(state.summary?.wards.find((w) => w.code === p.code)?.reason)}`;
        return `${p.name} · ${t('public.residentsCovered')}: ${fmtPct(v)}`;
      },
    }).addTo(base.map);
    wardsLayer.bringToBack();
    if (!fitted && state.view === null && state.wards.features.length > 0) {
      base.map.fitBounds(wardsLayer.getBounds(), { padding: [8, 8], animate: false });
      fitted = true;
    }
  }
  points?.setPoints(
    (state.hotspots ?? []).map((x) => ({ id: x.id, lat: x.lat, lon: x.lon, state: x.state, label: x.name })),
  );
}

let cardSlot: HTMLElement | null = null;
let hereMarker: L.CircleMarker | null = null;
let finderSlot: HTMLElement | null = null;

/** Shows the card of a tapped hotspot over the map (a bottom sheet on phones). */
function showHotspot(id: string | null): void {
  state.selectedId = id;
  points?.select(id);
  if (cardSlot === null) return;
  clear(cardSlot);
  const hs = id === null ? undefined : state.hotspots?.find((x) => x.id === id);
  if (hs === undefined) {
    cardSlot.hidden = true;
    return;
  }
  const near = state.here === null ? undefined : nearest([hs], state.here.lat, state.here.lon, 1)[0]?.distanceM;
  cardSlot.append(hotspotCard(hs, { onClose: () => showHotspot(null), ...(near === undefined ? {} : { distanceM: near }) }));
  cardSlot.hidden = false;
}

function goTo(hs: { id: string; lat: number; lon: number }): void {
  base?.map.setView([hs.lat, hs.lon], Math.max(base.map.getZoom(), 16), { animate: false });
  showHotspot(hs.id);
}

function finderPanel(): HTMLElement {
  const wardNames = (state.wards?.features ?? []).map((f) => f.properties.name).sort((a, b) => a.localeCompare(b));
  const input = h('input', { type: 'search', id: 'ward-search', list: 'ward-names', autocomplete: 'off', placeholder: t('finder.wardPlaceholder'), 'data-testid': 'ward-search' });
  const form = h('form', { class: 'finder-search', role: 'search', onsubmit: (e: Event) => {
    e.preventDefault();
    findWard(input.value);
  } },
  h('label', { for: 'ward-search' }, t('finder.wardLabel')),
  h('div', { class: 'finder-row' }, input, h('button', { class: 'btn btn-secondary', type: 'submit', 'data-testid': 'ward-search-go' }, t('finder.search'))),
  h('datalist', { id: 'ward-names' }, ...wardNames.map((n) => h('option', { value: n }))));
  const nearBtn = h('button', { class: 'btn btn-primary', type: 'button', 'data-testid': 'near-me', onclick: () => findNearMe() }, t('finder.nearMe'));
  const box = h('section', { class: 'card finder', 'aria-labelledby': 'finder-title' }, h('h2', { id: 'finder-title' }, t('finder.title')), nearBtn, h('p', { class: 'muted small' }, t('finder.privacy')), form);
  const f = state.finder;
  if (f.message !== null) box.append(h('p', { class: 'finder-message', role: 'status', 'data-testid': 'finder-message' }, f.message));
  if (f.items.length > 0) {
    box.append(h('ol', { class: 'near-list', 'data-testid': f.kind === 'near' ? 'near-list' : 'ward-list-hotspots' },
      ...f.items.map((it) => h('li', {}, h('button', { type: 'button', class: 'near-item', onclick: () => goTo(it.hs) },
        h('span', { class: 'near-name' }, it.hs.name),
        h('span', { class: 'near-meta' }, f.kind === 'near' ? fmtDistance(it.distanceM) : t(`state.${it.hs.state}`)))))));
  }
  return box;
}

function fillFinder(): void {
  if (finderSlot === null) return;
  clear(finderSlot);
  finderSlot.append(finderPanel());
}

/** "Near me": the browser's position, used here only; nothing is sent to the server. */
function findNearMe(): void {
  if (!('geolocation' in navigator)) {
    state.finder = { kind: 'near', items: [], message: t('finder.noGeolocation'), wardName: null };
    fillFinder();
    return;
  }
  state.finder = { kind: 'near', items: [], message: t('finder.locating'), wardName: null };
  fillFinder();
  navigator.geolocation.getCurrentPosition(
    (pos) => {
      state.here = { lat: pos.coords.latitude, lon: pos.coords.longitude };
      const items = nearest(state.hotspots ?? [], state.here.lat, state.here.lon, 5);
      state.finder = { kind: 'near', items, message: items.length === 0 ? t('finder.noneWorking') : t('finder.nearTitle'), wardName: null };
      fillFinder();
      finderSlot?.querySelector('.near-list')?.scrollIntoView({ block: 'nearest' });
      hereMarker?.remove();
      if (base !== null) hereMarker = L.circleMarker([state.here.lat, state.here.lon], { radius: 7, color: '#1d4ed8', weight: 3, fillColor: '#93c5fd', fillOpacity: 0.9, interactive: false }).addTo(base.map);
      if (base !== null && items.length > 0) {
        base.map.fitBounds(L.latLngBounds([[state.here.lat, state.here.lon], ...items.map((i) => [i.hs.lat, i.hs.lon] as [number, number])]).pad(0.2), { animate: false, maxZoom: 17 });
      }
    },
    () => {
      state.finder = { kind: 'near', items: [], message: t('finder.denied'), wardName: null };
      fillFinder();
    },
    { enableHighAccuracy: false, timeout: 10_000, maximumAge: 60_000 },
  );
}

function findWard(query: string): void {
  const q = query.trim().toLowerCase();
  const features = state.wards?.features ?? [];
  const f = features.find((x) => x.properties.name.toLowerCase() === q) ?? features.find((x) => x.properties.name.toLowerCase().includes(q));
  if (q === '' || f === undefined) {
    state.finder = { kind: 'ward', items: [], message: t('finder.wardNotFound', { q: query.trim() }), wardName: null };
    fillFinder();
    return;
  }
  const inWard = (state.hotspots ?? []).filter((x) => x.wardCode === f.properties.code);
  state.finder = {
    kind: 'ward',
    items: inWard.map((hs) => ({ hs, distanceM: 0 })),
    message: inWard.length === 0 ? t('finder.wardEmpty', { ward: f.properties.name }) : t('finder.wardTitle', { ward: f.properties.name, n: inWard.length }),
    wardName: f.properties.name,
  };
  fillFinder();
  if (base !== null) base.map.fitBounds(L.geoJSON(f).getBounds(), { animate: false, padding: [12, 12] });
}

function render(root: HTMLElement): void {
  if (base !== null) {
    state.view = { center: base.map.getCenter(), zoom: base.map.getZoom() };
    points?.destroy();
    base.destroy();
    base = null;
    points = null;
    reportMarker = null;
    hereMarker = null;
  }
  clear(root);
  document.documentElement.lang = lang();
  document.title = `Jangkau · ${t('public.title')}`;
  const mapEl = h('div', { class: 'map', id: 'map', role: 'region', 'aria-label': t('public.mapLabel'), tabindex: '0' });
  cardSlot = h('div', { class: 'hotspot-sheet', 'data-testid': 'hotspot-sheet', hidden: true });
  const mapWrap = h('div', { class: 'map-wrap' }, mapEl, cardSlot);
  const side = h('aside', { class: 'side', 'aria-label': t('public.sideLabel') });
  const header = h('header', { class: 'topbar' }, brand(t('public.title')), h('div', { class: 'topbar-actions' }, h('a', { class: 'btn btn-ghost', href: '/console' }, t('public.staffLink')), langSwitch()));
  root.append(h('a', { class: 'skip-link', href: '#side' }, t('common.skipToPanel')), header, h('main', { class: 'public-main' }, mapWrap, side));
  demoBanner(header);
  side.id = 'side';
  summarySlot = h('div', { class: 'slot' });
  wardsSlot = h('div', { class: 'slot' });
  finderSlot = h('div', { class: 'slot' });
  side.append(
    h('section', { class: 'card intro' }, h('h1', {}, t('public.heading')), h('p', {}, t('public.intro'))),
    finderSlot,
    summarySlot,
    reportForm(state.draft, {
      onChange: () => setReportMarker(),
      onSent: () => setReportMarker(),
    }),
    wardsSlot,
  );
  fillSlots();
  fillFinder();
  base = createBaseMap(mapEl, { zoomControl: 'topleft' });
  if (state.view !== null) base.map.setView(state.view.center, state.view.zoom, { animate: false });
  points = new PointLayer(base.map, base.canvas, {
    render: renderMode,
    radiusPx: 7,
    // Issue 15: a tap (or Enter on a point's stand-in) opens the hotspot's card; hover tooltips stay for mice.
    onSelect: (id) => showHotspot(id),
    onRendered: (shown) => {
      mapEl.dataset.pointsShown = String(shown);
      if (!firstPaintMarked && shown > 0) {
        firstPaintMarked = true;
        requestAnimationFrame(() => performance.mark('jangkau:points-rendered'));
      }
    },
  });
  placeLegend();
  base.map.on('click', (e: L.LeafletMouseEvent) => {
    if (!state.draft.open) return;
    state.draft.lat = Number(e.latlng.lat.toFixed(6));
    state.draft.lon = Number(e.latlng.lng.toFixed(6));
    document.dispatchEvent(new CustomEvent('jk:draft'));
    setReportMarker();
  });
  drawData();
  setReportMarker();
  showHotspot(state.selectedId);
}

let legend: L.Control | null = null;
function placeLegend(): void {
  if (base === null) return;
  legend?.remove();
  legend = legendControl({ states: ['up', 'down', 'unknown', 'planned'], coverage: state.summary !== null, noData: state.summary !== null, title: t('map.legend') }).addTo(base.map);
}

async function load(): Promise<void> {
  const [wards, hotspots, summary] = await Promise.all([
    state.wards === null ? get<WardCollection>('/api/v1/public/wards.geojson') : Promise.resolve(null),
    get<{ items: Hotspot[] }>('/api/v1/public/hotspots'),
    get<PublicSummary>('/api/v1/public/summary'),
  ]);
  if (wards !== null) {
    if (wards.ok) state.wards = wards.data;
    else state.wardsMissing = true;
  }
  if (hotspots.ok) state.hotspots = hotspots.data.items;
  state.hotspotsMissing = !hotspots.ok && hotspots.notAvailable;
  if (summary.ok) state.summary = summary.data;
  state.summaryMissing = !summary.ok && summary.notAvailable;
  state.updatedAt = new Date();
  // Keep the map, the user's view and the draft report: redraw only the figures and the layers.
  fillSlots();
  placeLegend();
  drawData();
  if (wards !== null) fillFinder();
  showHotspot(state.selectedId);
}

function start(): void {
  const root = document.getElementById('app');
  if (root === null) return;
  render(root);
  void load();
  onLangChange(() => render(root));
  window.setInterval(() => {
    if (document.visibilityState === 'visible') void load();
  }, REFRESH_MS);
}

start();
