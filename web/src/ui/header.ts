/** The page header: the Jangkau mark, the city, and the language switch; views add their own items. */
import { lang, setLang, t } from '../i18n/i18n.ts';
import { h, meta, svg } from './dom.ts';

export function cityName(): string {
  return meta('jangkau-city') ?? 'Kota Cilegon';
}

/** The Jangkau mark: a signal arc over a dot, drawn inline (no image request). */
export function logo(): SVGSVGElement {
  return svg(
    'svg',
    { viewBox: '0 0 32 32', width: 32, height: 32, 'aria-hidden': 'true', class: 'logo' },
    svg('circle', { cx: 16, cy: 16, r: 15, fill: '#f2b705' }),
    svg('path', { d: 'M8 15a11 11 0 0 1 16 0', fill: 'none', stroke: '#0b3d5c', 'stroke-width': 2.6, 'stroke-linecap': 'round' }),
    svg('path', { d: 'M11.5 18.5a6 6 0 0 1 9 0', fill: 'none', stroke: '#0b3d5c', 'stroke-width': 2.6, 'stroke-linecap': 'round' }),
    svg('circle', { cx: 16, cy: 22.5, r: 2.4, fill: '#0b3d5c' }),
  );
}

export function brand(subtitle: string): HTMLElement {
  return h(
    'div',
    { class: 'brand' },
    logo(),
    h('div', { class: 'brand-text' }, h('span', { class: 'brand-name' }, 'Jangkau'), h('span', { class: 'brand-city' }, cityName(), h('span', { class: 'brand-sub' }, ` · ${subtitle}`))),
  );
}

export function langSwitch(): HTMLElement {
  const next = lang() === 'id' ? 'en' : 'id';
  return h(
    'button',
    {
      type: 'button',
      class: 'btn btn-ghost lang-switch',
      'data-testid': 'lang-switch',
      lang: next,
      // The visible words are the name (a screen reader says "English" in English); the title explains.
      title: t('lang.switchTo'),
      onclick: () => setLang(next),
    },
    h('span', { class: 'lang-code', 'aria-hidden': 'true' }, next.toUpperCase()),
    next === 'en' ? 'English' : 'Bahasa Indonesia',
  );
}
