/** Map legends as Leaflet controls: point states (shape + colour + label) and coverage bins. */
import L from 'leaflet';
import type { PointState } from '../api/types.ts';
import { t, fmtNumber } from '../i18n/i18n.ts';
import { h } from '../ui/dom.ts';
import { COVERAGE_BINS, NO_DATA_COLOUR, STATE_LOOK } from './states.ts';

export function stateSwatch(state: PointState): HTMLElement {
  return h('span', { class: `swatch swatch-${STATE_LOOK[state].shape}`, style: `--c:${STATE_LOOK[state].colour}`, 'aria-hidden': 'true' });
}

export function legendControl(options: { states?: readonly PointState[]; counts?: ReadonlyMap<PointState, number>; coverage?: boolean; noData?: boolean; title?: string }): L.Control {
  const C = L.Control.extend({
    onAdd: (): HTMLElement => {
      // A disclosure: open on wide screens, folded on phones so the city stays visible.
      const box = h('details', { class: 'jk-legend', 'aria-label': t('map.legend') });
      box.open = !window.matchMedia('(max-width: 820px)').matches;
      box.append(h('summary', { class: 'legend-title' }, options.title ?? t('map.legend')));
      if (options.states !== undefined) {
        const list = h('ul', {});
        for (const s of options.states) {
          const n = options.counts?.get(s);
          list.append(h('li', {}, stateSwatch(s), h('span', {}, t(STATE_LOOK[s].label)), n === undefined ? null : h('span', { class: 'legend-count' }, fmtNumber(n))));
        }
        box.append(list);
      }
      if (options.coverage === true) {
        if (options.states !== undefined) box.append(h('div', { class: 'legend-sub' }, t('map.coveragePct')));
        const scale = h('ul', { class: 'legend-scale' });
        for (const b of [...COVERAGE_BINS].reverse()) {
          scale.append(h('li', {}, h('span', { class: 'swatch swatch-box', style: `--c:${b.colour}`, 'aria-hidden': 'true' }), h('span', {}, `≥ ${b.min}%`)));
        }
        // No data is its own state (grey, hatched), never the lightest blue of 0 %.
        if (options.noData === true) scale.append(h('li', {}, h('span', { class: 'swatch swatch-box swatch-no-data', style: `--c:${NO_DATA_COLOUR}`, 'aria-hidden': 'true' }), h('span', {}, t('map.noData'))));
        box.append(scale);
      }
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    },
  });
  return new C({ position: 'bottomright' });
}
