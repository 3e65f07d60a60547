/**
 * Creates a Leaflet map with the configured tile server (OpenStreetMap by default) and keeps working when tiles
 * fail: the vector layers stay, the background turns plain, and a small note says so.
 */
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { hasRoute } from '../api/client.ts';
import { t } from '../i18n/i18n.ts';
import { meta } from '../ui/dom.ts';

export interface TileConfig {
  url: string;
  attribution: string;
  maxZoom: number;
}

export const DEFAULT_TILES: TileConfig = {
  url: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
  attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
  maxZoom: 19,
};

/** Cilegon's centre and a zoom that shows the whole city. */
export const CITY_VIEW = { center: L.latLng(-5.985, 106.03), zoom: 12 };

let tileConfig: Promise<TileConfig> | null = null;

/**
 * Reads `<meta name="jangkau-tiles" content="URL">` (or JSON `{url, attribution, maxZoom}`), else the server's
 * public config route if it has one, else the default.
 */
export function readTileConfig(): Promise<TileConfig> {
  tileConfig ??= (async (): Promise<TileConfig> => {
    const m = meta('jangkau-tiles');
    if (m !== null) {
      if (m.startsWith('{')) {
        try {
          return { ...DEFAULT_TILES, ...(JSON.parse(m) as Partial<TileConfig>) };
        } catch {
          return DEFAULT_TILES;
        }
      }
      return { ...DEFAULT_TILES, url: m, attribution: meta('jangkau-tiles-attribution') ?? DEFAULT_TILES.attribution };
    }
    if (await hasRoute('GET', '/api/v1/public/config')) {
      try {
        const res = await fetch('/api/v1/public/config', { credentials: 'same-origin' });
        if (res.ok) {
          const body = (await res.json()) as { tiles?: Partial<TileConfig> };
          if (body.tiles?.url !== undefined) return { ...DEFAULT_TILES, ...body.tiles };
        }
      } catch {
        /* default below */
      }
    }
    return DEFAULT_TILES;
  })();
  return tileConfig;
}

/**
 * Leaflet's canvas renderer can run a redraw queued just before its removal, when its drawing context is already
 * gone (a TypeError in an animation frame). This one skips such a redraw.
 */
const SafeCanvas = L.Canvas.extend({
  _redraw(this: { _ctx?: CanvasRenderingContext2D; _redrawRequest: number | null }): void {
    if (this._ctx === undefined) {
      this._redrawRequest = null;
      return;
    }
    (L.Canvas.prototype as unknown as { _redraw(): void })._redraw.call(this);
  },
}) as unknown as new (options: L.RendererOptions) => L.Canvas;

export interface BaseMap {
  map: L.Map;
  /** One canvas renderer for all point layers: thousands of markers stay smooth. */
  canvas: L.Canvas;
  destroy(): void;
}

export function createBaseMap(container: HTMLElement, options: { zoomControl?: 'topleft' | 'topright' | 'none' } = {}): BaseMap {
  const map = L.map(container, {
    center: CITY_VIEW.center,
    zoom: CITY_VIEW.zoom,
    zoomControl: false,
    // Ward polygons stay SVG (few, and each a real element); points use the canvas renderer below.
    preferCanvas: false,
    attributionControl: true,
    keyboard: true,
  });
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  if (options.zoomControl !== 'none') L.control.zoom({ position: options.zoomControl ?? 'topleft', zoomInTitle: t('map.zoomIn'), zoomOutTitle: t('map.zoomOut') }).addTo(map);
  // Points get their own pane above the ward polygons (overlayPane 400), below tooltips and pins.
  map.createPane('jk-points').style.zIndex = '450';
  const canvas = new SafeCanvas({ padding: 0.3, tolerance: 4, pane: 'jk-points' });
  container.classList.add('jk-map');
  let failed = 0;
  let loaded = 0;
  let noteShown = false;
  void readTileConfig().then((cfg) => {
    if (!map.getContainer().isConnected) return;
    const tiles = L.tileLayer(cfg.url, { attribution: cfg.attribution, maxZoom: cfg.maxZoom, crossOrigin: false });
    tiles.on('tileload', () => {
      loaded++;
    });
    tiles.on('tileerror', () => {
      failed++;
      if (!noteShown && failed >= 4 && loaded === 0) {
        noteShown = true;
        container.classList.add('tiles-failed');
        const note = document.createElement('div');
        note.className = 'tiles-note';
        note.setAttribute('role', 'status');
        note.textContent = t('map.tilesFailed');
        container.append(note);
      }
    });
    tiles.addTo(map);
  });
  return {
    map,
    canvas,
    destroy: (): void => {
      map.stop();
      map.remove();
    },
  };
}
