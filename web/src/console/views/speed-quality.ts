/**
 * Quality as citizens measured it (issue 14): the speed tests run from the portal's success page, per hotspot and per
 * ward over the last 7 days: tests, median download, upload and latency. Without a test a row says "no data", never 0.
 */
import { get, hasRoute } from '../../api/client.ts';
import { fmtNumber, t } from '../../i18n/i18n.ts';
import type { MessageKey } from '../../i18n/dict.ts';
import { h } from '../../ui/dom.ts';
import { emptyNote, errorNote, loadingNote, notAvailableNote } from '../../ui/notes.ts';

interface Figures { tests: number; medianDownMbps: number | null; medianUpMbps: number | null; medianLatencyMs: number | null; reason?: string }
interface Quality { days: number; wards: Array<Figures & { wardCode: string; wardName: string }>; hotspots: Array<Figures & { hotspotId: string; identity: string }> }

function cell(v: number | null, unit: string): HTMLElement {
  return v === null ? h('td', { class: 'muted' }, t('quality.noData')) : h('td', { class: 'num' }, `${fmtNumber(v, { maxFractionDigits: 1 })} ${unit}`);
}

function table(testId: string, first: MessageKey, rows: Array<[string, Figures]>): HTMLElement {
  const tb = h('tbody', {});
  for (const [name, f] of rows) tb.append(h('tr', {}, h('td', {}, name), h('td', { class: 'num' }, fmtNumber(f.tests)), cell(f.medianDownMbps, 'Mbps'), cell(f.medianUpMbps, 'Mbps'), cell(f.medianLatencyMs, 'ms')));
  return h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t(first) },
    h('table', { class: 'table table-compact', 'data-testid': testId },
      h('thead', {}, h('tr', {}, ...([first, 'quality.tests', 'quality.down', 'quality.up', 'quality.latency'] as MessageKey[]).map((k) => h('th', { scope: 'col' }, t(k))))),
      tb));
}

/** The section and its loader. */
export function qualitySection(): { el: HTMLElement; load: () => Promise<void> } {
  const el = h('section', { class: 'card', 'data-testid': 'hotspot-quality' }, h('h2', {}, t('quality.title')), loadingNote());
  async function load(): Promise<void> {
    const head = [h('h2', {}, t('quality.title')), h('p', { class: 'muted small' }, t('quality.intro'))];
    if (!(await hasRoute('GET', '/api/v1/portal/quality'))) return void el.replaceChildren(...head, notAvailableNote());
    const r = await get<Quality>('/api/v1/portal/quality', { days: 7 });
    if (!r.ok) return void el.replaceChildren(...head, errorNote(r));
    if (r.data.hotspots.length === 0 && r.data.wards.length === 0) return void el.replaceChildren(...head, emptyNote(t('quality.none')));
    const byTests = <T extends Figures>(a: T, b: T): number => b.tests - a.tests;
    el.replaceChildren(
      ...head,
      h('div', { class: 'grid-2' },
        table('quality-hotspots', 'quality.hotspot', [...r.data.hotspots].sort(byTests).map((x) => [x.identity, x])),
        table('quality-wards', 'quality.ward', [...r.data.wards].sort(byTests).map((x) => [x.wardName, x]))),
    );
  }
  return { el, load };
}
