/**
 * Access points on the map: canvas-drawn shapes (one per state, colour-blind safe) and a simple pixel-grid
 * clustering below a zoom level, so 5,000 points stay smooth. Clicking a point selects it; clicking a cluster
 * zooms into it. The `dom` mode (plain L.marker per point, no clustering) exists only as the benchmark's baseline.
 */
import L from 'leaflet';
import { textElement } from './text-element.ts';
import type { PointState } from '../api/types.ts';
import { fmtNumber, t } from '../i18n/i18n.ts';
import { STATE_LOOK, worstState, type Shape } from './states.ts';

const SHARE_ORDER: readonly PointState[] = ['up', 'degraded', 'down', 'unknown', 'unmonitored', 'planned'];
/** Most keyboard stand-ins at once: enough for a screenful, few enough to Tab through. */
const KEY_TARGETS = 60;


export interface MapPoint {
  id: string;
  lat: number;
  lon: number;
  state: PointState;
  label: string;
}

export interface PointLayerOptions {
  onSelect?: (id: string) => void;
  /** Below this zoom, nearby points merge into clusters. */
  clusterBelowZoom?: number;
  cellPx?: number;
  render?: 'canvas' | 'dom';
  /** Marker radius in pixels (the wall uses bigger ones). */
  radiusPx?: number;
  /** Called after each redraw with the number of points shown. */
  onRendered?: (shown: number) => void;
}

interface ShapeOptions extends L.CircleMarkerOptions {
  shape: Shape;
  count?: number;
  /** Members per state, in drawing order, for a cluster's ring. */
  shares?: [PointState, number][];
  selected?: boolean;
}

/** Leaflet's canvas renderer internals we draw with (stable in Leaflet 1.9). */
interface CanvasInternals {
  _drawing: boolean;
  _ctx: CanvasRenderingContext2D;
}
interface MarkerInternals {
  _renderer: CanvasInternals;
  _point: L.Point;
  _radius: number;
  _empty(): boolean;
  options: ShapeOptions;
}

function drawShape(ctx: CanvasRenderingContext2D, shape: Shape, x: number, y: number, r: number): void {
  ctx.beginPath();
  switch (shape) {
    case 'triangle':
      ctx.moveTo(x, y - r * 1.15);
      ctx.lineTo(x + r * 1.1, y + r * 0.8);
      ctx.lineTo(x - r * 1.1, y + r * 0.8);
      ctx.closePath();
      break;
    case 'square':
      ctx.rect(x - r * 0.9, y - r * 0.9, r * 1.8, r * 1.8);
      break;
    case 'diamond':
      ctx.moveTo(x, y - r * 1.2);
      ctx.lineTo(x + r * 1.2, y);
      ctx.lineTo(x, y + r * 1.2);
      ctx.lineTo(x - r * 1.2, y);
      ctx.closePath();
      break;
    case 'dot':
      // Inventory only (issue 11): a small dot, plainly not a state of health.
      ctx.arc(x, y, r * 0.6, 0, Math.PI * 2);
      break;
    default:
      ctx.arc(x, y, r, 0, Math.PI * 2);
  }
}

/** A circle marker that draws its state's shape, or a cluster bubble with a count. */
const ShapeMarker = L.CircleMarker.extend({
  _updatePath(this: MarkerInternals): void {
    const renderer = this._renderer;
    if (!renderer._drawing || this._empty()) return;
    const ctx = renderer._ctx;
    const { x, y } = this._point;
    const r = this._radius;
    const o = this.options;
    // Leaflet leaves the previous layer's opacity on the shared context; our shapes are always opaque.
    ctx.globalAlpha = 1;
    if (o.selected === true) {
      ctx.beginPath();
      ctx.arc(x, y, r + 5, 0, Math.PI * 2);
      ctx.fillStyle = 'rgba(17, 24, 39, 0.18)';
      ctx.fill();
      ctx.lineWidth = 2.5;
      ctx.strokeStyle = '#111827';
      ctx.stroke();
    }
    if (o.count !== undefined) {
      ctx.beginPath();
      ctx.arc(x, y, r, 0, Math.PI * 2);
      ctx.fillStyle = '#ffffff';
      ctx.fill();
      // A ring split by state in proportion (a donut), so a cluster shows how much of it works.
      let angle = -Math.PI / 2;
      const total = o.count;
      ctx.lineWidth = 5;
      for (const [state, n] of o.shares ?? []) {
        const sweep = (n / total) * Math.PI * 2;
        ctx.beginPath();
        ctx.arc(x, y, r - 2.5, angle, angle + sweep);
        ctx.strokeStyle = STATE_LOOK[state].colour;
        ctx.stroke();
        angle += sweep;
      }
      ctx.beginPath();
      ctx.arc(x, y, r, 0, Math.PI * 2);
      ctx.lineWidth = 1;
      ctx.strokeStyle = 'rgba(17, 24, 39, 0.35)';
      ctx.stroke();
      ctx.fillStyle = '#111827';
      ctx.font = `600 ${r > 16 ? 13 : 11}px system-ui, sans-serif`;
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      ctx.fillText(fmtNumber(o.count), x, y + 0.5);
      return;
    }
    drawShape(ctx, o.shape, x, y, r);
    if (o.shape === 'ring') {
      ctx.fillStyle = '#ffffff';
      ctx.fill();
      ctx.lineWidth = 3;
      ctx.strokeStyle = o.fillColor ?? '#666';
      ctx.stroke();
      return;
    }
    ctx.fillStyle = o.fillColor ?? '#666';
    ctx.fill();
    ctx.lineWidth = 1.5;
    ctx.strokeStyle = '#ffffff';
    ctx.stroke();
  },
}) as unknown as new (latlng: L.LatLngExpression, options: ShapeOptions) => L.CircleMarker;

export class PointLayer {
  private readonly map: L.Map;
  private readonly renderer: L.Canvas;
  private readonly options: Required<Omit<PointLayerOptions, 'onSelect' | 'onRendered'>> & Pick<PointLayerOptions, 'onSelect' | 'onRendered'>;
  private readonly group: L.FeatureGroup;
  private points: MapPoint[] = [];
  private filter: (p: MapPoint) => boolean = () => true;
  private selectedId: string | null = null;
  private readonly tooltip = L.tooltip({ direction: 'top', offset: [0, -8], className: 'jk-tooltip' });
  private readonly onZoom = (): void => this.redraw();
  /** Keyboard stand-ins for what the canvas draws (canvas shapes cannot take focus). */
  private readonly keys = L.layerGroup();
  private drawn: { at: L.LatLng; text: string; ids: string[]; bounds: L.LatLngBounds }[] = [];
  private readonly onMove = (): void => this.drawKeyTargets();

  constructor(map: L.Map, renderer: L.Canvas, options: PointLayerOptions = {}) {
    this.map = map;
    this.renderer = renderer;
    this.options = { clusterBelowZoom: 15, cellPx: 60, render: 'canvas', radiusPx: 7, ...options };
    this.group = L.featureGroup().addTo(map);
    this.keys.addTo(map);
    map.on('moveend', this.onMove);
    this.group.on('click', (e: L.LeafletEvent) => this.handleClick(e));
    this.group.on('mouseover', (e: L.LeafletEvent) => this.handleHover(e));
    this.group.on('mouseout', () => this.map.closeTooltip(this.tooltip));
    map.on('zoomend', this.onZoom);
  }

  setPoints(points: MapPoint[]): void {
    this.points = points.filter((p) => Number.isFinite(p.lat) && Number.isFinite(p.lon));
    this.redraw();
  }

  setFilter(filter: (p: MapPoint) => boolean): void {
    this.filter = filter;
    this.redraw();
  }

  select(id: string | null): void {
    this.selectedId = id;
    this.redraw();
  }

  /** Bounds of the points shown, for fitting the view. */
  bounds(): L.LatLngBounds | null {
    const shown = this.points.filter(this.filter);
    if (shown.length === 0) return null;
    return L.latLngBounds(shown.map((p) => [p.lat, p.lon] as [number, number]));
  }

  destroy(): void {
    this.map.off('zoomend', this.onZoom);
    this.map.off('moveend', this.onMove);
    this.group.remove();
    this.keys.remove();
  }

  /**
   * One focusable, named, invisible marker per point or cluster in view (at most KEY_TARGETS, nearest the centre
   * first): Tab reaches them in reading order, Enter opens the point or zooms into the cluster. The mouse still
   * talks to the canvas (the stand-ins take no pointer events).
   */
  private drawKeyTargets(): void {
    this.keys.clearLayers();
    if (this.options.onSelect === undefined) return;
    const view = this.map.getBounds();
    const centre = this.map.getCenter();
    const inView = this.drawn.filter((d) => view.contains(d.at));
    inView.sort((a, b) => a.at.distanceTo(centre) - b.at.distanceTo(centre));
    const chosen = inView.slice(0, KEY_TARGETS);
    // Reading order: top to bottom, then left to right.
    chosen.sort((a, b) => b.at.lat - a.at.lat || a.at.lng - b.at.lng);
    for (const d of chosen) {
      const m = L.marker(d.at, { icon: L.divIcon({ className: 'jk-key-target', iconSize: [22, 22] }), keyboard: true, interactive: true, bubblingMouseEvents: false });
      m.on('click', () => {
        if (d.ids.length === 1) this.options.onSelect?.(d.ids[0]!);
        else this.map.fitBounds(d.bounds.pad(0.2), { maxZoom: Math.max(this.map.getZoom() + 2, this.options.clusterBelowZoom) });
      });
      // The stand-in lies over the drawn point and takes its pointer events: a mouse over it shows the same tooltip.
      m.on('mouseover', () => {
        this.tooltip.setLatLng(d.at).setContent(textElement(d.text));
        this.map.openTooltip(this.tooltip);
      });
      m.on('mouseout', () => this.map.closeTooltip(this.tooltip));
      m.on('add', () => {
        const el = m.getElement();
        if (el === undefined) return;
        el.setAttribute('role', 'button');
        el.setAttribute('aria-label', d.text);
        el.addEventListener('focus', () => {
          this.tooltip.setLatLng(d.at).setContent(textElement(d.text));
          this.map.openTooltip(this.tooltip);
        });
        el.addEventListener('blur', () => this.map.closeTooltip(this.tooltip));
      });
      this.keys.addLayer(m);
    }
  }

  private handleClick(e: L.LeafletEvent): void {
    const layer = (e as L.LeafletEvent & { layer?: L.Layer }).layer as (L.Layer & { jk?: { ids: string[]; bounds: L.LatLngBounds } }) | undefined;
    const jk = layer?.jk;
    if (jk === undefined) return;
    if (jk.ids.length === 1) {
      this.options.onSelect?.(jk.ids[0]!);
    } else {
      this.map.fitBounds(jk.bounds.pad(0.2), { maxZoom: Math.max(this.map.getZoom() + 2, this.options.clusterBelowZoom) });
    }
  }

  private handleHover(e: L.LeafletEvent): void {
    const layer = (e as L.LeafletEvent & { layer?: L.Layer }).layer as (L.Layer & { jk?: { text: string; at: L.LatLng } }) | undefined;
    if (layer?.jk === undefined) return;
    this.tooltip.setLatLng(layer.jk.at).setContent(textElement(layer.jk.text));
    this.map.openTooltip(this.tooltip);
  }

  /**
   * Grid cells cut through dense spots, leaving two bubbles on top of each other: merge each group into a bigger
   * one whose centre lies within two thirds of a cell (a hash of kept centres keeps this linear).
   */
  private mergeNeighbours(groups: MapPoint[][], zoom: number): MapPoint[][] {
    const near = this.options.cellPx * 0.67;
    const kept: { members: MapPoint[]; x: number; y: number }[] = [];
    const hash = new Map<string, number[]>();
    const centre = (members: MapPoint[]): { x: number; y: number } => {
      let lat = 0;
      let lon = 0;
      for (const p of members) {
        lat += p.lat;
        lon += p.lon;
      }
      const px = this.map.project([lat / members.length, lon / members.length], zoom);
      return { x: px.x, y: px.y };
    };
    groups.sort((a, b) => b.length - a.length);
    for (const g of groups) {
      const c = centre(g);
      const cx = Math.floor(c.x / near);
      const cy = Math.floor(c.y / near);
      let into = -1;
      for (let dx = -1; dx <= 1 && into < 0; dx++) {
        for (let dy = -1; dy <= 1 && into < 0; dy++) {
          for (const i of hash.get(`${cx + dx}:${cy + dy}`) ?? []) {
            const k = kept[i]!;
            if (Math.hypot(k.x - c.x, k.y - c.y) < near) {
              into = i;
              break;
            }
          }
        }
      }
      if (into >= 0) {
        kept[into]!.members.push(...g);
        continue;
      }
      const key = `${cx}:${cy}`;
      const list = hash.get(key);
      if (list === undefined) hash.set(key, [kept.length]);
      else list.push(kept.length);
      kept.push({ members: [...g], x: c.x, y: c.y });
    }
    return kept.map((k) => k.members);
  }

  redraw(): void {
    this.group.clearLayers();
    this.drawn = [];
    const shown = this.points.filter(this.filter);
    // Problems last, so they are drawn on top.
    shown.sort((a, b) => STATE_LOOK[a.state].z - STATE_LOOK[b.state].z);
    if (this.options.render === 'dom') {
      for (const p of shown) {
        const m = L.marker([p.lat, p.lon], { icon: L.divIcon({ className: `jk-dom-marker state-${p.state}`, iconSize: [12, 12] }) });
        Object.assign(m, { jk: { ids: [p.id], bounds: L.latLngBounds([[p.lat, p.lon]]), text: p.label, at: L.latLng(p.lat, p.lon) } });
        this.group.addLayer(m);
      }
      this.options.onRendered?.(shown.length);
      return;
    }
    const zoom = this.map.getZoom();
    const cluster = zoom < this.options.clusterBelowZoom;
    const groups = new Map<string, MapPoint[]>();
    if (cluster) {
      const cell = this.options.cellPx;
      for (const p of shown) {
        const px = this.map.project([p.lat, p.lon], zoom);
        const key = `${Math.floor(px.x / cell)}:${Math.floor(px.y / cell)}`;
        const g = groups.get(key);
        if (g === undefined) groups.set(key, [p]);
        else g.push(p);
      }
    } else {
      for (const p of shown) groups.set(p.id, [p]);
    }
    const r = this.options.radiusPx;
    const merged = cluster ? this.mergeNeighbours([...groups.values()], zoom) : [...groups.values()];
    for (const members of merged) {
      if (members.length === 1) {
        const p = members[0]!;
        const look = STATE_LOOK[p.state];
        const selected = p.id === this.selectedId;
        const m = new ShapeMarker([p.lat, p.lon], {
          renderer: this.renderer,
          radius: selected ? r + 2 : r,
          selected,
          shape: look.shape,
          fillColor: look.colour,
          color: look.colour,
          interactive: true,
          bubblingMouseEvents: false,
        });
        const jk = { ids: [p.id], bounds: L.latLngBounds([[p.lat, p.lon]]), text: `${p.label} · ${t(look.label)}`, at: L.latLng(p.lat, p.lon) };
        Object.assign(m, { jk });
        this.drawn.push(jk);
        this.group.addLayer(m);
        continue;
      }
      let lat = 0;
      let lon = 0;
      for (const p of members) {
        lat += p.lat;
        lon += p.lon;
      }
      const at = L.latLng(lat / members.length, lon / members.length);
      const worst = worstState(members.map((p) => p.state));
      const counts = new Map<PointState, number>();
      for (const p of members) counts.set(p.state, (counts.get(p.state) ?? 0) + 1);
      const text = [...counts.entries()].map(([s, n]) => `${STATE_LOOK[s].glyph} ${t(STATE_LOOK[s].label)}: ${fmtNumber(n)}`).join(' · ');
      const m = new ShapeMarker(at, {
        renderer: this.renderer,
        radius: Math.min(22, 11 + Math.log2(members.length) * 2),
        shape: 'circle',
        count: members.length,
        shares: SHARE_ORDER.filter((s) => counts.has(s)).map((s) => [s, counts.get(s)!] as [PointState, number]),
        color: STATE_LOOK[worst].colour,
        interactive: true,
        bubblingMouseEvents: false,
      });
      const jk = { ids: members.map((p) => p.id), bounds: L.latLngBounds(members.map((p) => [p.lat, p.lon] as [number, number])), text: `${t('map.clusterOf', { n: fmtNumber(members.length) })}: ${text}`, at };
      Object.assign(m, { jk });
      this.drawn.push(jk);
      this.group.addLayer(m);
    }
    this.drawKeyTargets();
    this.options.onRendered?.(shown.length);
  }
}
