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

function render(root: HTMLElement): void {
  if (base !== null) {
    state.view = { center: base.map.getCenter(), zoom: base.map.getZoom() };
    points?.destroy();
    base.destroy();
    base = null;
    points = null;
    reportMarker = null;
  }
  clear(root);
  document.documentElement.lang = lang();
  document.title = `Jangkau · ${t('public.title')}`;
  const mapEl = h('div', { class: 'map', id: 'map', role: 'region', 'aria-label': t('public.mapLabel'), tabindex: '0' });
  const side = h('aside', { class: 'side', 'aria-label': t('public.sideLabel') });
  const header = h('header', { class: 'topbar' }, brand(t('public.title')), h('div', { class: 'topbar-actions' }, h('a', { class: 'btn btn-ghost', href: '/console' }, t('public.staffLink')), langSwitch()));
  root.append(h('a', { class: 'skip-link', href: '#side' }, t('common.skipToPanel')), header, h('main', { class: 'public-main' }, mapEl, side));
  demoBanner(header);
  side.id = 'side';
  summarySlot = h('div', { class: 'slot' });
  wardsSlot = h('div', { class: 'slot' });
  side.append(
    h('section', { class: 'card intro' }, h('h1', {}, t('public.heading')), h('p', {}, t('public.intro'))),
    summarySlot,
    reportForm(state.draft, {
      onChange: () => setReportMarker(),
      onSent: () => setReportMarker(),
    }),
    wardsSlot,
  );
  fillSlots();
  base = createBaseMap(mapEl, { zoomControl: 'topleft' });
  if (state.view !== null) base.map.setView(state.view.center, state.view.zoom, { animate: false });
  points = new PointLayer(base.map, base.canvas, {
    render: renderMode,
    radiusPx: 7,
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
