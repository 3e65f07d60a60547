/** Ward (kelurahan) polygons shaded by a coverage figure; GeoJSON's [lon, lat] is read by Leaflet's geoJSON only. */
import L from 'leaflet';
import type { WardCollection, WardFeatureProps } from '../api/types.ts';
import { coverageColour, NO_DATA_COLOUR } from './states.ts';
import { textElement } from './text-element.ts';

export interface WardLayerOptions {
  /** Coverage % per ward code; absent wards are drawn as outlines. */
  pctByCode?: ReadonlyMap<string, number | null>;
  /** Issue 14: a colour per ward code from another scale (speed tests); a ward absent from it is "no data" grey. */
  colourByCode?: ReadonlyMap<string, string>;
  onSelect?: (code: string) => void;
  tooltip?: (props: WardFeatureProps) => string;
  /** Draws only outlines (no shading). */
  outlineOnly?: boolean;
  selectedCode?: string | null;
}

export function wardLayer(wards: WardCollection, options: WardLayerOptions = {}): L.GeoJSON {
  const layer = L.geoJSON(wards, {
    style: (f) => {
      const code = (f?.properties as WardFeatureProps | undefined)?.code ?? '';
      const pct = options.pctByCode?.get(code);
      const selected = options.selectedCode === code;
      const shaded = options.outlineOnly !== true && (options.pctByCode !== undefined || options.colourByCode !== undefined);
      const fill = options.colourByCode !== undefined ? (options.colourByCode.get(code) ?? NO_DATA_COLOUR) : coverageColour(pct);
      return {
        className: 'jk-ward',
        color: selected ? '#111827' : '#1f3b57',
        weight: selected ? 3 : 1,
        opacity: 0.9,
        // Unshaded wards read as land on the map's sea-blue background when tiles are missing, and stay light over tiles.
        fillColor: shaded ? fill : '#fbfaf5',
        fillOpacity: shaded ? 0.62 : 0.45,
      };
    },
    onEachFeature: (f, l) => {
      const props = f.properties as WardFeatureProps;
      // A text node, never a string: Leaflet would parse a string as HTML (a ward named with markup).
      if (options.tooltip !== undefined) l.bindTooltip(() => textElement(options.tooltip!(props)), { sticky: true, className: 'jk-tooltip' });
      if (options.onSelect !== undefined) {
        l.on('click', () => options.onSelect!(props.code));
        // The shape is a tab stop: it gets a name and answers Enter and Space like a button.
        l.on('add', () => {
          const el = (l as L.Path).getElement();
          if (el === undefined) return;
          el.setAttribute('role', 'button');
          el.setAttribute('aria-label', props.name);
          el.addEventListener('keydown', (e) => {
            if ((e as KeyboardEvent).key !== 'Enter' && (e as KeyboardEvent).key !== ' ') return;
            e.preventDefault();
            options.onSelect!(props.code);
          });
        });
      }
    },
  });
  return layer;
}

/** [lon, lat] from the API's GeoJSON-style pairs to a LatLng: the one place points are swapped by hand. */
export function lonLatToLatLng(pair: readonly [number, number]): L.LatLng {
  return L.latLng(pair[1], pair[0]);
}
