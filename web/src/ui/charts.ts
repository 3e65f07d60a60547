/** Small SVG charts (no library): a line chart with axes for series, and a sparkline for table cells. */
import { svg, h } from './dom.ts';

export interface LineChartOptions {
  /** Accessible name, also the chart's caption. */
  label: string;
  widthPx?: number;
  heightPx?: number;
  formatY: (v: number) => string;
  formatX: (v: number) => string;
  /** Draws the area under the line. */
  fill?: boolean;
  /** A dashed horizontal reference line (e.g. an upper bound). */
  referenceY?: number | null;
  /** Shown instead of empty axes when there are no points. */
  emptyText?: string;
}

function extent(values: number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!Number.isFinite(lo)) return [0, 1];
  if (lo === hi) return [lo - 1, hi + 1];
  return [lo, hi];
}

export function lineChart(points: readonly (readonly [number, number])[], options: LineChartOptions): HTMLElement {
  const w = options.widthPx ?? 320;
  const hPx = options.heightPx ?? 120;
  const pad = { l: 44, r: 8, t: 8, b: 22 };
  const figure = h('figure', { class: 'chart' });
  const clean = points.filter((p) => Number.isFinite(p[0]) && Number.isFinite(p[1]));
  if (clean.length === 0) {
    figure.append(h('div', { class: 'chart-empty' }, options.emptyText ?? '–'), h('figcaption', {}, options.label));
    return figure;
  }
  const [x0, x1] = extent(clean.map((p) => p[0]));
  const ys = clean.map((p) => p[1]);
  if (options.referenceY !== undefined && options.referenceY !== null) ys.push(options.referenceY);
  const [yLo, yHi0] = extent(ys);
  const y0 = Math.min(0, yLo);
  const y1 = yHi0 + (yHi0 - y0) * 0.05;
  const sx = (x: number): number => pad.l + ((x - x0) / (x1 - x0 || 1)) * (w - pad.l - pad.r);
  const sy = (y: number): number => hPx - pad.b - ((y - y0) / (y1 - y0 || 1)) * (hPx - pad.t - pad.b);
  const root = svg('svg', { viewBox: `0 0 ${w} ${hPx}`, width: '100%', role: 'img', 'aria-label': options.label, class: 'chart-svg' });
  // Axes and three horizontal grid lines with labels.
  for (let i = 0; i <= 2; i++) {
    const v = y0 + ((y1 - y0) * i) / 2;
    const y = sy(v);
    root.append(svg('line', { x1: pad.l, x2: w - pad.r, y1: y, y2: y, class: 'chart-grid' }));
    root.append(svg('text', { x: pad.l - 4, y: y + 4, 'text-anchor': 'end', class: 'chart-tick' }, options.formatY(v)));
  }
  if (clean.length > 0) {
    root.append(svg('text', { x: pad.l, y: hPx - 6, class: 'chart-tick' }, options.formatX(x0)));
    root.append(svg('text', { x: w - pad.r, y: hPx - 6, 'text-anchor': 'end', class: 'chart-tick' }, options.formatX(x1)));
    const d = clean.map((p, i) => `${i === 0 ? 'M' : 'L'}${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`).join('');
    if (options.fill === true) {
      const first = clean[0]!;
      const last = clean[clean.length - 1]!;
      root.append(svg('path', { d: `${d}L${sx(last[0]).toFixed(1)},${sy(y0)}L${sx(first[0]).toFixed(1)},${sy(y0)}Z`, class: 'chart-area' }));
    }
    root.append(svg('path', { d, class: 'chart-line' }));
  }
  if (options.referenceY !== undefined && options.referenceY !== null) {
    const y = sy(options.referenceY);
    root.append(svg('line', { x1: pad.l, x2: w - pad.r, y1: y, y2: y, class: 'chart-ref' }));
  }
  figure.append(root, h('figcaption', {}, options.label));
  return figure;
}

/** A 80x20 trend line for a table cell; the last value is marked. */
export function sparkline(values: readonly number[], options: { label: string }): SVGSVGElement {
  const w = 80;
  const hPx = 20;
  const root = svg('svg', { viewBox: `0 0 ${w} ${hPx}`, width: w, height: hPx, role: 'img', 'aria-label': options.label, class: 'sparkline' });
  const clean = values.filter((v) => Number.isFinite(v));
  if (clean.length < 2) return root;
  const [lo, hi] = extent(clean);
  const sx = (i: number): number => 2 + (i / (clean.length - 1)) * (w - 4);
  const sy = (v: number): number => hPx - 2 - ((v - lo) / (hi - lo || 1)) * (hPx - 4);
  root.append(svg('path', { d: clean.map((v, i) => `${i === 0 ? 'M' : 'L'}${sx(i).toFixed(1)},${sy(v).toFixed(1)}`).join(''), class: 'spark-line' }));
  root.append(svg('circle', { cx: sx(clean.length - 1), cy: sy(clean[clean.length - 1]!), r: 2, class: 'spark-dot' }));
  return root;
}
