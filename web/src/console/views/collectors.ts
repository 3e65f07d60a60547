/**
 * Collectors (issue 17): every collector that has reported, with its group (network zone), when it was last seen,
 * how many devices it holds through leases and whether it keeps renewing them. A collector of a fixed list holds no
 * leases: "no data" for its devices, never a zero. Refreshes every 15 s while open.
 */
import { get, hasRoute } from '../../api/client.ts';
import { fmtDateTime, fmtDuration, fmtNumber, t } from '../../i18n/i18n.ts';
import type { MessageKey } from '../../i18n/dict.ts';
import { clear, h } from '../../ui/dom.ts';
import { emptyNote, errorNote, loadingNote, notAvailableNote } from '../../ui/notes.ts';
import type { View } from '../view.ts';

interface CollectorItem {
  name: string;
  group: string | null;
  lastSeen: string | null;
  lastSeenMs: number | null;
  devicesHeld: number;
  state: 'alive' | 'stale' | 'fixed';
}

const STATE_CHIP: Record<CollectorItem['state'], string> = { alive: 'chip chip-green', stale: 'chip chip-orange', fixed: 'chip chip-no-data' };

function lastSeenCell(c: CollectorItem, nowMs: number): HTMLElement {
  if (c.lastSeenMs === null || c.lastSeen === null) return h('td', { 'data-testid': 'collector-last-seen' }, h('span', { class: 'chip chip-no-data' }, t('collectors.neverSeen')));
  return h(
    'td',
    { 'data-testid': 'collector-last-seen' },
    h('span', {}, t('collectors.ago', { time: fmtDuration(Math.max(0, (nowMs - c.lastSeenMs) / 1000)) })),
    h('span', { class: 'sub' }, fmtDateTime(c.lastSeen)),
  );
}

export const collectorsView: View = (el) => {
  const slot = h('div', {}, loadingNote());
  const summary = h('p', { class: 'muted', 'aria-live': 'polite', 'data-testid': 'collectors-summary' });
  el.append(h('div', { class: 'toolbar' }, h('h1', {}, t('nav.collectors'))), h('section', { class: 'card' }, h('h2', {}, t('collectors.title')), h('p', { class: 'muted' }, t('collectors.lead')), summary, slot));
  let stopped = false;
  async function load(): Promise<void> {
    if (!(await hasRoute('GET', '/api/v1/collectors'))) return void slot.replaceChildren(notAvailableNote());
    const r = await get<{ items: CollectorItem[] }>('/api/v1/collectors');
    if (stopped) return;
    clear(slot);
    clear(summary);
    if (!r.ok) return void slot.append(errorNote(r));
    if (r.data.items.length === 0) return void slot.append(emptyNote(t('collectors.none')));
    const leased = r.data.items.filter((c) => c.state !== 'fixed');
    summary.append(t('collectors.total', { collectors: fmtNumber(r.data.items.length), devices: fmtNumber(leased.reduce((a, c) => a + c.devicesHeld, 0)) }));
    const nowMs = Date.now();
    const head = (['collectors.name', 'collectors.group', 'collectors.lastSeen', 'collectors.devicesHeld', 'collectors.lease'] as MessageKey[]).map((k) => h('th', { scope: 'col' }, t(k)));
    const tb = h('tbody', {});
    for (const c of r.data.items) {
      tb.append(
        h(
          'tr',
          { 'data-collector': c.name },
          h('td', { class: 'mono' }, c.name),
          h('td', {}, c.group === null ? h('span', { class: 'muted' }, t('collectors.noGroup')) : c.group),
          lastSeenCell(c, nowMs),
          h('td', { class: 'num', 'data-testid': 'collector-held' }, c.state === 'fixed' ? h('span', { class: 'chip chip-no-data' }, t('collectors.fixedList')) : fmtNumber(c.devicesHeld)),
          h('td', {}, h('span', { class: STATE_CHIP[c.state], 'data-testid': 'collector-state' }, t(`collectors.state.${c.state}` as MessageKey))),
        ),
      );
    }
    slot.append(h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('collectors.title') }, h('table', { class: 'table table-stack', 'data-testid': 'collectors-table' }, h('thead', {}, h('tr', {}, ...head)), tb)));
  }
  void load();
  const timer = setInterval(() => void load(), 15_000);
  return () => {
    stopped = true;
    clearInterval(timer);
  };
};
