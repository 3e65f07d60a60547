/** The monitor's device panel: state, availability 24 h / 7 d / 30 d, incidents, charts, last poll errors. */
import { api, type ApiResult } from '../../api/client.ts';
import type { Availability, DeviceStatus, IncidentOut, MaintenanceOut, Me, PollItem, Series, StatusItem } from '../../api/types.ts';
import { confirmDialog, formDialog } from '../../ui/dialog.ts';
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

  panel.append(section('monitor.maintenance', (slot) => maintenanceSection(slot, item, options.me)));

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
                inc.endReason === null ? '' : h('span', { class: 'sub', 'data-testid': 'end-reason' }, ' · ', t(`incidents.endReason.${inc.endReason}` as MessageKey)),
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

/**
 * Issue 11: the device's maintenance (its own window or its site's): shown with its reason and end; engineers and
 * admins put the device in maintenance (from now, for some hours, with a reason) or end it.
 */
async function maintenanceSection(slot: HTMLElement, item: StatusItem, me: Me): Promise<void> {
  const id = encodeURIComponent(item.deviceId);
  const canAct = me.role === 'admin' || me.role === 'engineer';
  const load = async (): Promise<void> => {
    const r = await api<{ items: MaintenanceOut[] }>('GET', '/api/v1/maintenance', '/api/v1/maintenance');
    show(slot, r, (d) => {
      const mine = d.items.filter((m) => m.state !== 'past' && (m.deviceId === item.deviceId || (m.siteId !== null && m.siteId === item.siteId)));
      const nodes: (Node | null)[] = [];
      if (mine.length === 0) nodes.push(emptyNote(t('monitor.noMaintenance')));
      else {
        const list = h('ul', { class: 'maint-list', 'data-testid': 'device-maintenance' });
        for (const m of mine) {
          list.append(
            h(
              'li',
              {},
              h('span', { class: m.state === 'active' ? 'chip chip-orange' : 'chip' }, t(`maint.state.${m.state}` as MessageKey)),
              ' ',
              m.siteId !== null && m.deviceId === null ? `${t('monitor.maintenanceOfSite', { site: m.siteName ?? '–' })} · ` : '',
              `${fmtDateTime(m.startsAt)} – ${fmtDateTime(m.endsAt)}`,
              m.reason === null ? '' : ` · ${m.reason}`,
            ),
          );
        }
        nodes.push(list, h('p', { class: 'sub' }, t('monitor.maintenanceEffect')));
      }
      if (canAct) {
        const own = mine.some((m) => m.deviceId === item.deviceId);
        nodes.push(
          h('button', { type: 'button', class: 'btn btn-secondary btn-small', 'data-testid': 'device-maint-set', onclick: () => setWindow() }, t('monitor.maintenanceSet')),
          own ? h('button', { type: 'button', class: 'btn btn-ghost btn-small', 'data-testid': 'device-maint-end', onclick: () => endWindow() }, t('maint.end')) : null,
        );
      }
      return nodes;
    });
  };
  const setWindow = (): void => {
    const hours = h('input', { id: 'dm-hours', type: 'number', min: '0.25', max: '720', step: '0.25', required: true, value: '2' });
    const reason = h('input', { id: 'dm-reason', required: true, maxlength: 300, 'data-testid': 'dm-reason' });
    formDialog({
      title: t('monitor.maintenanceSet'),
      testId: 'device-maintenance-dialog',
      fields: [h('label', { for: 'dm-hours' }, t('monitor.maintenanceHours')), hours, h('label', { for: 'dm-reason' }, t('maint.reason')), reason],
      submit: t('maint.save'),
      onSubmit: async () => {
        const endsAt = new Date(Date.now() + Number(hours.value) * HOUR_MS).toISOString();
        const r = await api('PUT', '/api/v1/devices/{id}/maintenance', `/api/v1/devices/${id}/maintenance`, { json: { endsAt, reason: reason.value.trim() } });
        if (!r.ok) return errorNote(r);
        void load();
        return null;
      },
    });
  };
  const endWindow = (): void => {
    void confirmDialog({ title: t('maint.endTitle'), body: [t('monitor.maintenanceEndBody')], confirm: t('maint.end') }).then(async (yes) => {
      if (!yes) return;
      await api('DELETE', '/api/v1/devices/{id}/maintenance', `/api/v1/devices/${id}/maintenance`);
      void load();
    });
  };
  await load();
}
