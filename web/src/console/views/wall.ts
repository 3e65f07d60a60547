/** The command-centre wall: full screen, refreshing every 15 s, four large figures and the map. */
import { get, refreshRouteTable } from '../../api/client.ts';
import type { Availability, CoverageWards, IncidentOut, PublicSummary, WardCollection } from '../../api/types.ts';
import { ackLine, causeWords } from './incident-ui.ts';
import { fmtNumber, fmtPct, fmtTime, fmtDateTime, t } from '../../i18n/i18n.ts';
import { createBaseMap } from '../../map/base-map.ts';
import { legendControl } from '../../map/legend.ts';
import { PointLayer } from '../../map/point-layer.ts';
import { wardLayer } from '../../map/ward-layer.ts';
import { clear, h } from '../../ui/dom.ts';
import { brand, langSwitch } from '../../ui/header.ts';
import { demoBanner } from '../../ui/demo-banner.ts';
import { loadDevicePoints } from '../data/device-points.ts';
import type { View } from '../view.ts';

const REFRESH_MS = 15_000;

function bigFigure(label: string, testId: string): { el: HTMLElement; set: (value: string, sub?: string) => void } {
  const value = h('span', { class: 'wall-value' }, '…');
  const sub = h('span', { class: 'wall-sub' });
  const el = h('div', { class: 'wall-figure', 'data-testid': testId }, h('span', { class: 'wall-label' }, label), value, sub);
  return {
    el,
    set: (v, s): void => {
      value.textContent = v;
      sub.textContent = s ?? '';
    },
  };
}

export const wallView: View = (el) => {
  let timer = 0;
  let stopped = false;
  const clock = h('span', { class: 'wall-clock', 'aria-live': 'off' });
  const live = bigFigure(t('wall.pointsLive'), 'wall-live');
  const avail = bigFigure(t('wall.availabilityToday'), 'wall-availability');
  const residents = bigFigure(t('wall.residentsCovered'), 'wall-residents');
  const incidents = bigFigure(t('wall.openIncidents'), 'wall-incidents');
  const incidentList = h('ul', { class: 'wall-incidents' });
  const mapEl = h('div', { class: 'map wall-map', role: 'region', 'aria-label': t('monitor.mapLabel') });
  const fullscreen = h(
    'button',
    {
      type: 'button',
      class: 'btn btn-ghost',
      onclick: () => {
        if (document.fullscreenElement === null) void document.documentElement.requestFullscreen?.().catch(() => undefined);
        else void document.exitFullscreen().catch(() => undefined);
      },
    },
    t('wall.fullscreen'),
  );
  const header = h('header', { class: 'wall-header' }, brand(t('wall.title')), clock, h('div', { class: 'topbar-actions' }, fullscreen, langSwitch(), h('a', { class: 'btn btn-ghost', href: '#/monitor' }, t('wall.exit'))));
  el.append(
    header,
    h('div', { class: 'wall-figures' }, live.el, avail.el, residents.el, incidents.el),
    h('div', { class: 'wall-body' }, mapEl, h('aside', { class: 'wall-side' }, h('h2', {}, t('wall.recentIncidents')), incidentList)),
  );
  demoBanner(header);
  const base = createBaseMap(mapEl, { zoomControl: 'none' });
  const layer = new PointLayer(base.map, base.canvas, { radiusPx: 8, clusterBelowZoom: 14 });
  legendControl({ states: ['down', 'degraded', 'unknown', 'up', 'unmonitored'] }).addTo(base.map);
  let wardsDrawn = false;

  let refreshes = 0;
  async function refresh(): Promise<void> {
    // A wall stays open for days: re-read which routes the server offers every ~10 minutes.
    if (++refreshes % 40 === 0) refreshRouteTable();
    clock.textContent = fmtTime(new Date());
    const startOfDay = new Date();
    startOfDay.setHours(0, 0, 0, 0);
    const [points, av, cov, summary, inc, wards] = await Promise.all([
      loadDevicePoints(),
      get<Availability>('/api/v1/availability', { from: startOfDay.toISOString(), to: new Date().toISOString() }),
      get<CoverageWards>('/api/v1/coverage/wards', { layer: 'live' }),
      get<PublicSummary>('/api/v1/public/summary'),
      get<{ items: IncidentOut[]; total: number }>('/api/v1/incidents', { open: 'true', limit: 8 }),
      wardsDrawn ? Promise.resolve(null) : get<WardCollection>('/api/v1/public/wards.geojson'),
    ]);
    if (stopped) return;
    if (wards !== null && wards.ok) {
      const outlines = wardLayer(wards.data, { outlineOnly: true, tooltip: (p) => p.name }).addTo(base.map);
      outlines.bringToBack();
      if (wards.data.features.length > 0) base.map.fitBounds(outlines.getBounds(), { padding: [16, 16], animate: false });
      wardsDrawn = true;
    }
    if (points.ok) {
      const items = points.data.items;
      const up = items.filter((x) => x.state === 'up' || x.state === 'degraded').length;
      // Inventory-only devices are never polled: they are not "points that could be live".
      const watched = items.filter((x) => x.state !== 'unmonitored').length;
      live.set(points.data.live ? `${fmtNumber(up)} / ${fmtNumber(watched)}` : `– / ${fmtNumber(watched)}`, points.data.live ? t('wall.pointsSub', { down: fmtNumber(items.filter((x) => x.state === 'down').length) }) : t('common.notAvailable'));
      layer.setPoints(items.filter((s) => s.lat !== null && s.lon !== null).map((s) => ({ id: s.deviceId, lat: s.lat!, lon: s.lon!, state: s.state, label: s.name })));
    } else {
      live.set('–', points.message);
    }
    avail.set(av.ok ? fmtPct(av.data.percent, { maxFractionDigits: 2 }) : '–', av.ok ? '' : t('common.notAvailable'));
    if (cov.ok) {
      const total = cov.data.items.reduce((n, w) => n + (w.residents ?? 0), 0);
      const covered = cov.data.items.reduce((n, w) => n + (w.residentsCovered ?? 0), 0);
      residents.set(total > 0 ? fmtPct((covered / total) * 100) : '–', t('wall.residentsSub', { n: fmtNumber(covered) }));
    } else if (summary.ok) {
      residents.set(fmtPct(summary.data.residentsCoveredPct), '');
    } else {
      residents.set('–', t('common.notAvailable'));
    }
    clear(incidentList);
    if (inc.ok) {
      incidents.set(fmtNumber(inc.data.total), '');
      for (const x of inc.data.items) {
        incidentList.append(
          h(
            'li',
            {},
            h('span', { class: 'chip chip-red', 'aria-hidden': 'true' }, '■'),
            ' ',
            h('strong', {}, x.deviceName ?? x.deviceId),
            h('span', { class: 'wall-sub' }, ` ${fmtDateTime(x.startedAt)} · ${causeWords(x.cause.kind)}`),
            ackLine(x) === null ? h('span', { class: 'wall-sub wall-unacked' }, ` · ${t('incidents.notAcked')}`) : h('span', { class: 'wall-ack' }, ackLine(x)),
          ),
        );
      }
      if (inc.data.items.length === 0) incidentList.append(h('li', { class: 'muted' }, t('wall.noIncidents')));
    } else {
      incidents.set('–', t('common.notAvailable'));
      incidentList.append(h('li', { class: 'muted' }, t('common.notAvailable')));
    }
    timer = window.setTimeout(() => void refresh(), REFRESH_MS);
  }
  void refresh();
  return () => {
    stopped = true;
    window.clearTimeout(timer);
    layer.destroy();
    base.destroy();
  };
};
