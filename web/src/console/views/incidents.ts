/**
 * Incidents across the fleet: filters (open or closed, acknowledged, ward, site, provider, cause, period), the list
 * with who acknowledged what, acknowledging with a note, and maintenance windows: scheduled, listed and ended.
 */
import { api, get, hasRoute } from '../../api/client.ts';
import type { IncidentOut, MaintenanceOut, SiteOut, WardOut } from '../../api/types.ts';
import { fmtDateTime, fmtDuration, fmtNumber, t } from '../../i18n/i18n.ts';
import type { MessageKey } from '../../i18n/dict.ts';
import { confirmDialog, formDialog } from '../../ui/dialog.ts';
import { clear, h } from '../../ui/dom.ts';
import { emptyNote, errorNote, loadingNote, notAvailableNote } from '../../ui/notes.ts';
import { fetchAll } from '../data/fetch-all.ts';
import type { View } from '../view.ts';
import { CAUSE_KINDS, acknowledge, ackLine, causeWords } from './incident-ui.ts';

const PAGE = 50;
const ENGINEERS = ['admin', 'engineer'];

interface Filters {
  open: '' | 'true' | 'false';
  acknowledged: '' | 'true' | 'false';
  wardCode: string;
  siteId: string;
  provider: string;
  cause: string;
  from: string;
  to: string;
}

/** A labelled control for the filter bar. */
function control(id: string, label: string, input: HTMLInputElement | HTMLSelectElement): HTMLElement {
  input.id = id;
  return h('div', { class: 'filter' }, h('label', { for: id }, label), input);
}

function options(pairs: readonly (readonly [string, string])[], value: string): HTMLSelectElement {
  return h('select', {}, ...pairs.map(([v, label]) => h('option', { value: v, selected: v === value }, label)));
}

export const incidentsView: View = (el, ctx) => {
  let stopped = false;
  let offset = 0;
  const canAct = ENGINEERS.includes(ctx.me.role);
  const f: Filters = { open: 'true', acknowledged: '', wardCode: '', siteId: '', provider: '', cause: '', from: '', to: '' };
  let wards: WardOut[] = [];
  let sites: SiteOut[] = [];
  const wardName = (code: string | null): string => (code === null ? '–' : (wards.find((w) => w.code === code)?.name ?? code));

  const summary = h('div', { class: 'state-counts', 'aria-live': 'polite', 'data-testid': 'incident-summary' });
  const filterBar = h('form', { class: 'filters card', role: 'search', 'aria-label': t('incidents.filters') });
  const listSlot = h('div', {}, loadingNote());
  const maintSlot = h('div', {}, loadingNote());
  const maintTools = h('div', { class: 'row' });
  el.append(
    h('div', { class: 'toolbar' }, h('h1', {}, t('nav.incidents')), summary),
    h(
      'div',
      { class: 'page' },
      filterBar,
      h('section', { class: 'card', 'aria-labelledby': 'inc-list-title' }, h('h2', { id: 'inc-list-title' }, t('incidents.listTitle')), listSlot),
      h('section', { class: 'card', 'aria-labelledby': 'maint-title', 'data-testid': 'maintenance' }, h('div', { class: 'card-head' }, h('h2', { id: 'maint-title' }, t('maint.title')), maintTools), maintSlot),
    ),
  );

  function drawFilters(): void {
    clear(filterBar);
    const providers = [...new Set(sites.map((s) => s.provider).filter((p): p is string => p !== null && p !== ''))].sort();
    const state = options([['true', t('incidents.stateOpen')], ['false', t('incidents.stateClosed')], ['', t('incidents.stateAll')]], f.open);
    const ack = options([['', t('incidents.ackAny')], ['false', t('incidents.ackNo')], ['true', t('incidents.ackYes')]], f.acknowledged);
    const ward = options([['', t('incidents.allWards')], ...wards.map((w) => [w.code, `${w.name} (${w.district})`] as const)], f.wardCode);
    const site = options([['', t('incidents.allSites')], ...sites.map((s) => [s.id, s.name] as const)], f.siteId);
    const provider = options([['', t('incidents.allProviders')], ...providers.map((p) => [p, p] as const)], f.provider);
    const cause = options([['', t('incidents.allCauses')], ...CAUSE_KINDS.map((k) => [k, causeWords(k)] as const)], f.cause);
    const from = h('input', { type: 'date', value: f.from });
    const to = h('input', { type: 'date', value: f.to });
    filterBar.append(
      control('f-open', t('incidents.state'), state),
      control('f-ack', t('incidents.acknowledged'), ack),
      control('f-ward', t('common.ward'), ward),
      control('f-site', t('inventory.site'), site),
      control('f-provider', t('inventory.provider'), provider),
      control('f-cause', t('incidents.cause'), cause),
      control('f-from', t('incidents.from'), from),
      control('f-to', t('incidents.to'), to),
    );
    filterBar.onchange = (): void => {
      f.open = state.value as Filters['open'];
      f.acknowledged = ack.value as Filters['acknowledged'];
      f.wardCode = ward.value;
      f.siteId = site.value;
      f.provider = provider.value;
      f.cause = cause.value;
      f.from = from.value;
      f.to = to.value;
      offset = 0;
      void loadList();
    };
    filterBar.onsubmit = (e): void => e.preventDefault();
  }

  function row(inc: IncidentOut): HTMLElement {
    const open = inc.endedAt === null;
    const lasted = open ? (Date.now() - Date.parse(inc.startedAt)) / 1000 : (inc.durationS ?? 0);
    const actions = h('td', { class: 'actions' });
    if (canAct && inc.acknowledged === null) {
      actions.append(h('button', { type: 'button', class: 'btn btn-secondary btn-small', 'data-testid': 'ack', onclick: () => acknowledge(inc, () => void loadList()) }, t('incidents.ack')));
    } else if (canAct && inc.acknowledged !== null) {
      actions.append(
        h(
          'button',
          {
            type: 'button',
            class: 'btn btn-ghost btn-small',
            onclick: () =>
              void api('DELETE', '/api/v1/incidents/{id}/ack', `/api/v1/incidents/${encodeURIComponent(inc.id)}/ack`).then((r) => (r.ok ? void loadList() : listSlot.prepend(errorNote(r)))),
          },
          t('incidents.unack'),
        ),
      );
    }
    return h(
      'tr',
      { 'data-incident-id': inc.id },
      h(
        'td',
        {},
        h('span', { class: open ? 'chip chip-red' : 'chip' }, open ? `■ ${t('monitor.open')}` : `✓ ${t('monitor.closed')}`),
        // Issue 11: ended because the device was disabled, deleted or made inventory only, not because it came back.
        inc.endReason === null ? '' : h('span', { class: 'sub', 'data-testid': 'end-reason' }, t(`incidents.endReason.${inc.endReason}` as MessageKey)),
      ),
      h(
        'td',
        {},
        h('a', { href: `#/monitor/${encodeURIComponent(inc.deviceId)}`, class: 'strong' }, inc.deviceName ?? inc.deviceId),
        h('span', { class: 'sub' }, [inc.siteName, wardName(inc.wardCode)].filter((x) => x !== null && x !== '–').join(' · ') || t('monitor.noSite')),
      ),
      h('td', {}, h('span', { class: inc.severity === 'critical' ? 'chip chip-red' : 'chip chip-orange' }, t(`severity.${inc.severity}` as MessageKey))),
      h('td', {}, fmtDateTime(inc.startedAt), h('span', { class: 'sub' }, open ? t('incidents.downFor', { d: fmtDuration(lasted) }) : t('incidents.lasted', { d: fmtDuration(lasted) }))),
      h('td', {}, causeWords(inc.cause.kind), inc.cause.message === '' ? '' : h('details', { class: 'tech' }, h('summary', {}, t('common.technical')), h('span', { lang: 'en' }, inc.cause.message))),
      h('td', {}, ackLine(inc) ?? h('span', { class: 'muted' }, t('incidents.notAcked'))),
      actions,
    );
  }

  async function loadList(): Promise<void> {
    const r = await get<{ items: IncidentOut[]; total: number }>('/api/v1/incidents', {
      limit: PAGE,
      offset,
      open: f.open,
      acknowledged: f.acknowledged,
      wardCode: f.wardCode,
      siteId: f.siteId,
      provider: f.provider,
      cause: f.cause,
      from: f.from === '' ? '' : new Date(`${f.from}T00:00:00+07:00`).toISOString(),
      to: f.to === '' ? '' : new Date(Date.parse(`${f.to}T00:00:00+07:00`) + 86_400_000).toISOString(),
    });
    if (stopped) return;
    clear(listSlot);
    if (!r.ok) return void listSlot.append(errorNote(r));
    if (r.data.total === 0) return void listSlot.append(emptyNote(t('incidents.none')));
    const table = h(
      'table',
      { class: 'table table-stack', 'data-testid': 'incident-table' },
      h('thead', {}, h('tr', {}, ...(['incidents.state', 'monitor.devices', 'incidents.severity', 'incidents.started', 'incidents.cause', 'incidents.acknowledged'] as MessageKey[]).map((k) => h('th', { scope: 'col' }, t(k))), h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, t('common.actions'))))),
    );
    const tb = h('tbody', {});
    for (const inc of r.data.items) tb.append(row(inc));
    table.append(tb);
    const from = offset + 1;
    const to = Math.min(r.data.total, offset + PAGE);
    listSlot.append(
      h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('incidents.listTitle') }, table),
      h(
        'div',
        { class: 'pager' },
        h('button', { type: 'button', class: 'btn btn-ghost btn-small', disabled: offset === 0, onclick: () => ((offset = Math.max(0, offset - PAGE)), void loadList()) }, '‹ ', t('common.prev')),
        h('span', {}, t('common.range', { from: fmtNumber(from), to: fmtNumber(to), total: fmtNumber(r.data.total) })),
        h('button', { type: 'button', class: 'btn btn-ghost btn-small', disabled: to >= r.data.total, onclick: () => ((offset += PAGE), void loadList()) }, t('common.next'), ' ›'),
      ),
    );
  }

  async function loadSummary(): Promise<void> {
    const [open, unacked] = await Promise.all([get<{ total: number }>('/api/v1/incidents', { open: 'true', limit: 1 }), get<{ total: number }>('/api/v1/incidents', { open: 'true', acknowledged: 'false', limit: 1 })]);
    if (stopped) return;
    clear(summary);
    if (open.ok) summary.append(h('span', { class: 'count count-down' }, t('incidents.openCount'), h('strong', {}, fmtNumber(open.data.total))));
    if (unacked.ok) summary.append(h('span', { class: 'count' }, t('incidents.unackedCount'), h('strong', {}, fmtNumber(unacked.data.total))));
  }

  // --- maintenance ------------------------------------------------------------------------------------------
  function scheduleMaintenance(): void {
    const target = h('select', { id: 'mw-target', required: true, 'data-testid': 'mw-target' },
      h('optgroup', { label: t('inventory.sites') }, ...sites.map((s) => h('option', { value: `site:${s.id}` }, s.name))),
    );
    void fetchAll<{ id: string; name: string }>('/api/v1/devices').then((d) => {
      if (d.ok) target.append(h('optgroup', { label: t('inventory.devices') }, ...d.data.map((x) => h('option', { value: `device:${x.id}` }, x.name))));
    });
    const now = new Date();
    const local = (d: Date): string => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    const start = h('input', { id: 'mw-start', type: 'datetime-local', required: true, value: local(now) });
    const end = h('input', { id: 'mw-end', type: 'datetime-local', required: true, value: local(new Date(now.getTime() + 2 * 3_600_000)) });
    const reason = h('input', { id: 'mw-reason', maxlength: 300, 'data-testid': 'mw-reason' });
    formDialog({
      title: t('maint.schedule'),
      testId: 'maintenance-dialog',
      fields: [
        h('label', { for: 'mw-target' }, t('maint.target')), target,
        h('label', { for: 'mw-start' }, t('maint.starts')), start,
        h('label', { for: 'mw-end' }, t('maint.ends')), end,
        h('label', { for: 'mw-reason' }, t('maint.reason')), reason,
      ],
      submit: t('maint.save'),
      onSubmit: async () => {
        const [kind, id] = target.value.split(':');
        const body = {
          ...(kind === 'site' ? { siteId: id } : { deviceId: id }),
          startsAt: new Date(start.value).toISOString(),
          endsAt: new Date(end.value).toISOString(),
          ...(reason.value.trim() === '' ? {} : { reason: reason.value.trim() }),
        };
        const r = await api('POST', '/api/v1/maintenance', '/api/v1/maintenance', { json: body });
        if (!r.ok) return errorNote(r);
        void loadMaintenance();
        return null;
      },
    });
  }

  async function loadMaintenance(): Promise<void> {
    const r = await get<{ items: MaintenanceOut[] }>('/api/v1/maintenance');
    if (stopped) return;
    clear(maintSlot);
    if (!r.ok) return void maintSlot.append(r.notAvailable ? notAvailableNote() : errorNote(r));
    const shown = r.data.items.filter((m) => m.state !== 'past').concat(r.data.items.filter((m) => m.state === 'past').slice(0, 10));
    if (shown.length === 0) return void maintSlot.append(emptyNote(t('maint.none')));
    const list = h('ul', { class: 'maint-list', 'data-testid': 'maintenance-list' });
    for (const m of shown) {
      const end = h('button', {
        type: 'button',
        class: 'btn btn-ghost btn-small',
        'data-testid': 'maint-end',
        onclick: () =>
          void confirmDialog({ title: t('maint.endTitle'), body: [m.state === 'upcoming' ? t('maint.cancelBody') : t('maint.endBody')], confirm: m.state === 'upcoming' ? t('maint.cancel') : t('maint.end') }).then(async (yes) => {
            if (!yes) return;
            const res = await api('POST', '/api/v1/maintenance/{id}/end', `/api/v1/maintenance/${encodeURIComponent(m.id)}/end`);
            if (!res.ok) maintSlot.prepend(errorNote(res));
            void loadMaintenance();
          }),
      }, m.state === 'upcoming' ? t('maint.cancel') : t('maint.end'));
      list.append(
        h(
          'li',
          { class: `maint maint-${m.state}` },
          h('span', { class: m.state === 'active' ? 'chip chip-orange' : 'chip' }, t(`maint.state.${m.state}` as MessageKey)),
          h('span', { class: 'strong' }, m.deviceName ?? m.siteName ?? m.deviceId ?? m.siteId ?? '–'),
          h('span', { class: 'muted small' }, `${fmtDateTime(m.startsAt)} – ${fmtDateTime(m.endsAt)}${m.reason === null ? '' : ` · ${m.reason}`}`),
          canAct && m.state !== 'past' ? end : null,
        ),
      );
    }
    maintSlot.append(list);
  }

  void (async (): Promise<void> => {
    const [w, s] = await Promise.all([fetchAll<WardOut>('/api/v1/wards'), fetchAll<SiteOut>('/api/v1/sites')]);
    if (stopped) return;
    wards = w.ok ? [...w.data].sort((a, b) => a.name.localeCompare(b.name)) : [];
    sites = s.ok ? [...s.data].sort((a, b) => a.name.localeCompare(b.name)) : [];
    drawFilters();
    if (canAct && (await hasRoute('POST', '/api/v1/maintenance'))) {
      maintTools.append(h('button', { type: 'button', class: 'btn btn-secondary btn-small', 'data-testid': 'maint-add', onclick: scheduleMaintenance }, '+ ', t('maint.schedule')));
    }
  })();
  void loadSummary();
  void loadList();
  void loadMaintenance();
  const timer = window.setInterval(() => {
    void loadSummary();
  }, 30_000);
  return () => {
    stopped = true;
    window.clearInterval(timer);
  };
};
