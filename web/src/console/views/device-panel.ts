/** The monitor's device panel: state, availability 24 h / 7 d / 30 d, incidents, charts, last poll errors. */
import { api, type ApiResult } from '../../api/client.ts';
import type { Availability, DeviceStatus, IncidentOut, Me, PollItem, Series, StatusItem } from '../../api/types.ts';
import { acknowledge, ackLine, causeWords } from './incident-ui.ts';
import { fmtBps, fmtDateTime, fmtDuration, fmtNumber, fmtPct, t } from '../../i18n/i18n.ts';
import type { MessageKey } from '../../i18n/dict.ts';
import { STATE_LOOK } from '../../map/states.ts';
import { stateSwatch } from '../../map/legend.ts';
import { lineChart } from '../../ui/charts.ts';
import { clear, h } from '../../ui/dom.ts';
import { emptyNote, errorNote, loadingNote } from '../../ui/notes.ts';

const HOUR_MS = 3_600_000;

export function stateBadge(state: StatusItem['state']): HTMLElement {
  return h('span', { class: `badge badge-${state}` }, stateSwatch(state), t(STATE_LOOK[state].label));
}

function section(title: MessageKey, body: (slot: HTMLElement) => Promise<void>): HTMLElement {
  const slot = h('div', {}, loadingNote());
  const el = h('section', { class: 'panel-section' }, h('h3', {}, t(title)), slot);
  void body(slot).catch(() => {
    clear(slot);
    slot.append(emptyNote(t('error.unexpected')));
  });
  return el;
}

function show<T>(slot: HTMLElement, r: ApiResult<T>, fill: (data: T) => (Node | null)[]): void {
  clear(slot);
  if (!r.ok) {
    slot.append(errorNote(r));
    return;
  }
  for (const n of fill(r.data)) if (n !== null) slot.append(n);
}

function facts(rows: [MessageKey, string][]): HTMLElement {
  const dl = h('dl', { class: 'facts' });
  for (const [k, v] of rows) dl.append(h('dt', {}, t(k)), h('dd', {}, v));
  return dl;
}

export function devicePanel(item: StatusItem, options: { onBack: () => void; me: Me }): HTMLElement {
  const id = encodeURIComponent(item.deviceId);
  const now = Date.now();
  const panel = h('div', { class: 'device-panel', 'data-testid': 'device-panel' });
  const back = h('button', { type: 'button', class: 'btn btn-ghost btn-small', onclick: options.onBack, 'data-testid': 'panel-back' }, '← ', t('monitor.backToList'));
  panel.append(
    back,
    h('h2', { class: 'panel-title', tabindex: '-1' }, item.name),
    h('p', { class: 'panel-sub' }, stateBadge(item.state), ' ', item.siteName ?? t('monitor.noSite'), ' · ', t(`deviceRole.${item.role}` as MessageKey)),
  );

  panel.append(
    section('monitor.now', async (slot) => {
      const r = await api<DeviceStatus>('GET', '/api/v1/devices/{id}/status', `/api/v1/devices/${id}/status`);
      show(slot, r, (s) => [
        facts([
          ['monitor.state', t(STATE_LOOK[s.state].label)],
          ['monitor.since', fmtDateTime(s.since)],
          ['monitor.lastPoll', fmtDateTime(s.lastPollAt)],
          ['monitor.clients', s.clients === null ? '–' : fmtNumber(s.clients)],
          ['monitor.uptime', fmtDuration(s.uptimeS)],
          ['monitor.traffic', `↓ ${fmtBps(s.rxBps)} · ↑ ${fmtBps(s.txBps)}`],
        ]),
        s.lastError === null
          ? null
          : h(
              'div',
              { class: 'note note-error' },
              h('strong', {}, t('monitor.lastError')),
              ` ${fmtDateTime(s.lastError.at)} · ${causeWords(s.lastError.kind)}`,
              s.lastError.message === '' ? '' : h('details', { class: 'tech' }, h('summary', {}, t('common.technical')), h('span', { lang: 'en' }, s.lastError.message)),
            ),
      ]);
    }),
  );

  panel.append(
    section('monitor.interfaces', async (slot) => {
      const r = await api<DeviceStatus>('GET', '/api/v1/devices/{id}/status', `/api/v1/devices/${id}/status`);
      show(slot, r, (s) => {
        if (s.interfaces.length === 0) return [emptyNote(t('monitor.noInterfaces'))];
        const sel = s.trafficInterfaces;
        const chosen = sel === null
          ? null
          : [...(sel.roles ?? []).map((x) => t(`monitor.ifRole.${x}` as MessageKey)), ...(sel.names ?? [])].join(', ');
        const table = h(
          'table',
          { class: 'table table-compact', 'data-testid': 'device-interfaces' },
          h('thead', {}, h('tr', {}, h('th', {}, t('monitor.ifName')), h('th', {}, t('monitor.ifRole')), h('th', {}, t('monitor.ifCounted')), h('th', {}, '↓'), h('th', {}, '↑'))),
        );
        const tbody = h('tbody', {});
        for (const i of s.interfaces) {
          tbody.append(
            h(
              'tr',
              { 'data-role': i.role },
              h('td', {}, i.name, i.operUp === false ? h('span', { class: 'muted' }, ` (${t('state.down')})`) : ''),
              h('td', {}, h('span', { class: i.role === 'virtual' ? 'chip' : 'chip chip-green' }, t(`monitor.ifRole.${i.role}` as MessageKey))),
              h('td', {}, i.counted ? '✓' : '–'),
              h('td', { class: 'num' }, fmtBps(i.rxBps)),
              h('td', { class: 'num' }, fmtBps(i.txBps)),
            ),
          );
        }
        table.append(tbody);
        return [h('p', { class: 'figure-note' }, chosen === null ? t('monitor.ifDefaultTotals') : t('monitor.ifChosenTotals', { what: chosen })), table];
      });
    }),
  );

  panel.append(
    section('monitor.availability', async (slot) => {
      const windows: [MessageKey, number][] = [
        ['monitor.h24', 24],
        ['monitor.d7', 24 * 7],
        ['monitor.d30', 24 * 30],
      ];
      const results = await Promise.all(
        windows.map(([, hours]) =>
          api<Availability>('GET', '/api/v1/availability', '/api/v1/availability', {
            query: { deviceId: item.deviceId, from: new Date(now - hours * HOUR_MS).toISOString(), to: new Date(now).toISOString() },
          }),
        ),
      );
      clear(slot);
      const first = results[0]!;
      if (!first.ok) {
        slot.append(errorNote(first));
        return;
      }
      const row = h('div', { class: 'figures figures-small' });
      results.forEach((r, i) => {
        const label = t(windows[i]![0]);
        row.append(
          h(
            'div',
            { class: 'figure' },
            h('span', { class: 'figure-value' }, r.ok ? fmtPct(r.data.percent, { maxFractionDigits: 2 }) : '–'),
            h('span', { class: 'figure-label' }, label),
            r.ok ? h('span', { class: 'figure-note' }, t('monitor.downFor', { d: fmtDuration(r.data.downS), n: r.data.incidents })) : null,
            // The window actually observed: a device watched for two minutes says so, not "30 days".
            r.ok && r.data.periodS !== undefined
              ? h('span', { class: 'figure-note', 'data-testid': 'observed-window' }, r.data.observedFrom === null || r.data.observedFrom === undefined
                ? t('monitor.notObserved')
                : t('monitor.observed', { d: fmtDuration(r.data.observedWindowS ?? 0), p: label }))
              : null,
          ),
        );
      });
      slot.append(row);
    }),
  );

  panel.append(
    section('monitor.charts', async (slot) => {
      const to = new Date(now).toISOString();
      const fetchSeries = (metric: string, hours: number, resolution?: string): Promise<ApiResult<Series>> =>
        api<Series>('GET', '/api/v1/devices/{id}/series', `/api/v1/devices/${id}/series`, {
          query: { metric, from: new Date(now - hours * HOUR_MS).toISOString(), to, resolution },
        });
      const fetchAll = (hours: number, resolution?: string): Promise<ApiResult<Series>[]> =>
        Promise.all(['clients', 'rxBps', 'txBps'].map((m) => fetchSeries(m, hours, resolution)));
      // 24 hours come from the 5-minute roll-ups; until those exist (a fresh install), show the raw last 12 hours.
      let hours = 24;
      let all = await fetchAll(hours);
      const empty = all[0]!.ok && all[0]!.data.points.length === 0;
      if (empty) {
        hours = 12;
        all = await fetchAll(hours, 'raw');
      }
      const [clients, rx, tx] = all as [ApiResult<Series>, ApiResult<Series>, ApiResult<Series>];
      clear(slot);
      if (!clients.ok) {
        slot.append(errorNote(clients));
        return;
      }
      const hhmm = (ms: number): string => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
      slot.append(lineChart(clients.data.points, { label: t('monitor.clientsChart', { h: hours }), formatY: (v) => fmtNumber(v), formatX: hhmm, fill: true, emptyText: t('monitor.noData') }));
      if (rx.ok && tx.ok) {
        const merged = new Map<number, number>();
        for (const [tm, v] of rx.data.points) merged.set(tm, v);
        for (const [tm, v] of tx.data.points) merged.set(tm, (merged.get(tm) ?? 0) + v);
        const pts = [...merged.entries()].sort((a, b) => a[0] - b[0]);
        slot.append(lineChart(pts, { label: t('monitor.trafficChart', { h: hours }), formatY: (v) => fmtBps(v), formatX: hhmm, fill: true, emptyText: t('monitor.noData') }));
      }
    }),
  );

  panel.append(
    section('monitor.incidents', async (slot) => {
      const load = async (): Promise<void> => {
        const r = await api<{ items: IncidentOut[]; total: number }>('GET', '/api/v1/incidents', '/api/v1/incidents', { query: { deviceId: item.deviceId, limit: 10 } });
        show(slot, r, (d) => {
          if (d.items.length === 0) return [emptyNote(t('monitor.noIncidents'))];
          const list = h('ul', { class: 'incident-list' });
          for (const inc of d.items) {
            const open = inc.endedAt === null;
            const lasted = open ? null : (Date.parse(inc.endedAt!) - Date.parse(inc.startedAt)) / 1000;
            const canAck = open && inc.acknowledged === null && (options.me.role === 'admin' || options.me.role === 'engineer');
            list.append(
              h(
                'li',
                { class: open ? 'incident open' : 'incident' },
                h('span', { class: open ? 'chip chip-red' : 'chip' }, open ? `■ ${t('monitor.open')}` : `✓ ${t('monitor.closed')}`),
                ' ',
                fmtDateTime(inc.startedAt),
                lasted === null ? '' : ` · ${fmtDuration(lasted)}`,
                ` · ${causeWords(inc.cause.kind)}`,
                ackLine(inc) === null ? null : h('br', {}),
                ackLine(inc),
                canAck ? h('button', { type: 'button', class: 'btn btn-secondary btn-small', 'data-testid': 'panel-ack', onclick: () => acknowledge(inc, () => void load()) }, t('incidents.ack')) : null,
              ),
            );
          }
          return [list];
        });
      };
      await load();
    }),
  );

  panel.append(
    section('monitor.polls', async (slot) => {
      const r = await api<{ items: PollItem[] }>('GET', '/api/v1/devices/{id}/polls', `/api/v1/devices/${id}/polls`, { query: { limit: 10 } });
      show(slot, r, (d) => {
        if (d.items.length === 0) return [emptyNote(t('monitor.noPolls'))];
        const table = h('table', { class: 'table table-compact' }, h('thead', {}, h('tr', {}, h('th', {}, t('monitor.when')), h('th', {}, t('monitor.result')), h('th', {}, 'ms'))));
        const tbody = h('tbody', {});
        for (const p of d.items) {
          tbody.append(
            h(
              'tr',
              {},
              h('td', {}, fmtDateTime(p.at)),
              h(
                'td',
                {},
                p.ok ? h('span', { class: 'chip chip-green' }, '✓ OK') : h('span', { class: 'chip chip-red' }, `✕ ${causeWords(p.error?.kind ?? 'internal')}`),
                p.error === null || p.error.message === '' ? '' : h('details', { class: 'tech' }, h('summary', {}, t('common.technical')), h('span', { lang: 'en' }, p.error.message)),
              ),
              h('td', { class: 'num' }, p.durationMs === null ? '–' : fmtNumber(p.durationMs)),
            ),
          );
        }
        table.append(tbody);
        return [table];
      });
    }),
  );
  return panel;
}
