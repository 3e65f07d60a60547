/** Monitor: every device on the map by state, clustered when zoomed out, "problems only", a device panel. */
import type { StatusItem, DeviceState } from '../../api/types.ts';
import { fmtNumber, fmtTime, t } from '../../i18n/i18n.ts';
import { createBaseMap } from '../../map/base-map.ts';
import { legendControl, stateSwatch } from '../../map/legend.ts';
import { PointLayer, type MapPoint } from '../../map/point-layer.ts';
import { STATE_LOOK, isProblem } from '../../map/states.ts';
import { wardLayer } from '../../map/ward-layer.ts';
import { get } from '../../api/client.ts';
import type { WardCollection } from '../../api/types.ts';
import { clear, h } from '../../ui/dom.ts';
import { errorNote, loadingNote } from '../../ui/notes.ts';
import { loadDevicePoints } from '../data/device-points.ts';
import type { View } from '../view.ts';
import { devicePanel } from './device-panel.ts';

const REFRESH_MS = 12_000;
const LIST_MAX = 150;
const STATES: readonly DeviceState[] = ['down', 'degraded', 'unknown', 'up', 'unmonitored'];

export const monitorView: View = (el, ctx) => {
  let items: StatusItem[] = [];
  let live = true;
  let problemsOnly = false;
  let search = '';
  let selected: string | null = ctx.param;
  let timer = 0;
  let stopped = false;
  let loaded = false;

  const counts = h('div', { class: 'state-counts', 'aria-live': 'polite', 'data-testid': 'state-counts' });
  const updated = h('span', { class: 'muted small' });
  const problems = h('input', { type: 'checkbox', id: 'problems-only', 'data-testid': 'problems-only' });
  const mapEl = h('div', { class: 'map', role: 'region', 'aria-label': t('monitor.mapLabel'), 'data-testid': 'monitor-map' });
  const side = h('aside', { class: 'panel', 'aria-label': t('monitor.panelLabel') });
  const banner = h('div', {});
  el.append(
    h(
      'div',
      { class: 'toolbar' },
      h('h1', {}, t('nav.monitor')),
      counts,
      h('label', { class: 'check', for: 'problems-only' }, problems, ' ', t('monitor.problemsOnly')),
      updated,
    ),
    banner,
    h('div', { class: 'split' }, mapEl, side),
  );

  const base = createBaseMap(mapEl);
  const layer = new PointLayer(base.map, base.canvas, {
    onSelect: (id) => open(id),
    onRendered: (n) => {
      mapEl.dataset.pointsShown = String(n);
    },
  });
  legendControl({ states: STATES }).addTo(base.map);
  let fitted = false;

  const visible = (s: StatusItem): boolean => (!problemsOnly || isProblem(s.state)) && (search === '' || `${s.name} ${s.siteName ?? ''}`.toLowerCase().includes(search));

  let byId = new Map<string, StatusItem>();
  const mapFilter = (p: MapPoint): boolean => {
    const s = byId.get(p.id);
    return s !== undefined && visible(s);
  };

  function drawCounts(): void {
    clear(counts);
    for (const s of STATES) {
      const n = items.filter((x) => x.state === s).length;
      counts.append(h('span', { class: `count count-${s}`, 'data-state': s }, stateSwatch(s), h('span', {}, t(STATE_LOOK[s].label)), h('strong', {}, fmtNumber(n))));
    }
  }

  function drawList(): void {
    if (selected !== null) return;
    clear(side);
    const input = h('input', { type: 'search', class: 'search', placeholder: t('monitor.search'), 'aria-label': t('monitor.search'), value: search });
    input.addEventListener('input', () => {
      search = input.value.trim().toLowerCase();
      layer.setFilter(mapFilter);
      drawListBody();
    });
    side.append(h('h2', {}, t('monitor.devices')), input, listBody);
    drawListBody();
  }

  const listBody = h('div', {});
  function drawListBody(): void {
    clear(listBody);
    if (!loaded) {
      listBody.append(loadingNote());
      return;
    }
    const shown = items.filter(visible).sort((a, b) => STATE_LOOK[b.state].z - STATE_LOOK[a.state].z || a.name.localeCompare(b.name));
    if (shown.length === 0) {
      listBody.append(h('p', { class: 'note note-quiet' }, items.length === 0 ? t('monitor.noDevices') : t('monitor.noMatch')));
      return;
    }
    const list = h('ul', { class: 'device-list', 'data-testid': 'device-list' });
    for (const s of shown.slice(0, LIST_MAX)) {
      list.append(
        h(
          'li',
          {},
          h(
            'button',
            { type: 'button', class: 'device-item', 'data-device-id': s.deviceId, onclick: () => open(s.deviceId) },
            stateSwatch(s.state),
            h('span', { class: 'device-name' }, s.name),
            h('span', { class: 'device-meta' }, `${t(STATE_LOOK[s.state].label)} · ${s.siteName ?? t('monitor.noSite')}`),
          ),
        ),
      );
    }
    listBody.append(list);
    if (shown.length > LIST_MAX) listBody.append(h('p', { class: 'muted small' }, t('monitor.more', { n: fmtNumber(shown.length - LIST_MAX) })));
  }

  function open(id: string): void {
    const item = items.find((x) => x.deviceId === id);
    if (item === undefined) return;
    selected = id;
    ctx.navigate(`#/monitor/${encodeURIComponent(id)}`);
    layer.select(id);
    if (item.lat !== null && item.lon !== null) base.map.setView([item.lat, item.lon], Math.max(base.map.getZoom(), 15));
    clear(side);
    side.append(
      devicePanel(item, {
        me: ctx.me,
        onBack: () => {
          selected = null;
          layer.select(null);
          ctx.navigate('#/monitor');
          drawList();
          side.querySelector<HTMLElement>('.device-item')?.focus();
        },
      }),
    );
    side.querySelector<HTMLElement>('.panel-title')?.focus();
  }

  async function refresh(): Promise<void> {
    const r = await loadDevicePoints();
    if (stopped) return;
    clear(banner);
    if (!r.ok) {
      banner.append(errorNote(r));
    } else {
      items = r.data.items;
      loaded = true;
      byId = new Map(items.map((x) => [x.deviceId, x] as const));
      live = r.data.live;
      if (!live) banner.append(h('p', { class: 'note note-quiet', role: 'note' }, '◔ ', t('monitor.statusNotAvailable')));
      layer.setPoints(
        items.filter((s) => s.lat !== null && s.lon !== null).map((s) => ({ id: s.deviceId, lat: s.lat!, lon: s.lon!, state: s.state, label: s.name })),
      );
      if (!fitted) {
        const b = layer.bounds();
        if (b !== null && selected === null) base.map.fitBounds(b.pad(0.05), { maxZoom: 15, animate: false });
        fitted = b !== null;
      }
      drawCounts();
      if (selected !== null && side.querySelector('.device-panel') === null) open(selected);
      else if (selected === null) drawListBody();
      updated.textContent = t('common.updatedAt', { time: fmtTime(new Date()) });
    }
    timer = window.setTimeout(() => void refresh(), REFRESH_MS);
  }

  problems.addEventListener('change', () => {
    problemsOnly = problems.checked;
    layer.setFilter(mapFilter);
    drawListBody();
  });
  void get<WardCollection>('/api/v1/public/wards.geojson').then((w) => {
    if (stopped || !w.ok) return;
    const outlines = wardLayer(w.data, { outlineOnly: true, tooltip: (p) => p.name }).addTo(base.map);
    outlines.bringToBack();
    // Not animated: a view left during a zoom animation had its map removed under Leaflet's transition-end handler
    // ("reading '_leaflet_pos'" in the phone test that steps through every view).
    if (!fitted && selected === null && w.data.features.length > 0) base.map.fitBounds(outlines.getBounds(), { padding: [12, 12], animate: false });
  });
  side.append(loadingNote());
  drawList();
  void refresh();
  return () => {
    stopped = true;
    window.clearTimeout(timer);
    layer.destroy();
    base.destroy();
  };
};
