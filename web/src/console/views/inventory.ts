/**
 * Inventory: wards (imports), sites and devices: search, edit and delete (after a confirmation that says what goes
 * with it), devices enabled, disabled or moved in bulk, each device's state and for how long. Write actions follow
 * the role; the server decides.
 */
import { api, get } from '../../api/client.ts';
import type { DeviceOut, Page, SiteOut, StatusItem, WardOut } from '../../api/types.ts';
import { fmtDuration, fmtNumber, t } from '../../i18n/i18n.ts';
import { stateSwatch } from '../../map/legend.ts';
import { STATE_LOOK } from '../../map/states.ts';
import { confirmDialog } from '../../ui/dialog.ts';
import { loadDevicePoints } from '../data/device-points.ts';
import type { MessageKey } from '../../i18n/dict.ts';
import { clear, h } from '../../ui/dom.ts';
import { errorNote, loadingNote, emptyNote } from '../../ui/notes.ts';
import { fetchAll } from '../data/fetch-all.ts';
import { may } from '../session.ts';
import type { View, ViewCtx } from '../view.ts';
import { importBox } from './import-box.ts';
import { deviceForm, editDevice, editSite, siteForm } from './inventory-forms.ts';

type Tab = 'wards' | 'sites' | 'devices';
const TABS: readonly Tab[] = ['wards', 'sites', 'devices'];
const PAGE = 50;

/** How many rows a re-import added, changed and found equal (issue 10); older servers answer `created` only. */
function describeUpsert(d: unknown): string {
  const x = d as { created?: number; updated?: number; unchanged?: number };
  if (x.updated === undefined && x.unchanged === undefined) return t('inventory.created', { n: x.created ?? 0 });
  return t('inventory.upserted', { c: fmtNumber(x.created ?? 0), u: fmtNumber(x.updated ?? 0), s: fmtNumber(x.unchanged ?? 0) });
}

/**
 * Deleting a ward (admins): a confirmation that says what goes; while sites lie in it the server refuses (409) with
 * the counts, and a second dialog says what happens to them and offers to delete anyway (force).
 */
async function removeWard(w: WardOut, out: HTMLElement, reload: () => void): Promise<void> {
  const yes = await confirmDialog({ title: t('inventory.deleteWardTitle', { name: w.name, code: w.code }), body: [t('inventory.deleteWardBody')], confirm: t('common.delete'), danger: true, testId: 'ward-delete-dialog' });
  if (!yes) return;
  const path = `/api/v1/wards/${encodeURIComponent(w.code)}`;
  let r = await api<{ sites: number }>('DELETE', '/api/v1/wards/{code}', path);
  if (!r.ok && r.status === 409 && r.reason === 'ward.notEmpty') {
    const p = r.params ?? {};
    const force = await confirmDialog({
      title: t('inventory.deleteWardTitle', { name: w.name, code: w.code }),
      body: [t('inventory.deleteWardNotEmpty', { sites: fmtNumber(Number(p.sites ?? 0)), devices: fmtNumber(Number(p.devices ?? 0)) }), t('inventory.deleteWardBody')],
      confirm: t('inventory.deleteAnyway'),
      danger: true,
      testId: 'ward-delete-force-dialog',
    });
    if (!force) return;
    r = await api<{ sites: number }>('DELETE', '/api/v1/wards/{code}', path, { query: { force: 'true' } });
  }
  clear(out);
  if (!r.ok) return void out.append(errorNote(r));
  out.append(h('p', { class: 'note note-ok', role: 'status' }, '✓ ', t('inventory.wardDeleted', { name: w.name, sites: fmtNumber(r.data.sites) })));
  reload();
}

function wardsTab(el: HTMLElement, ctx: ViewCtx): void {
  const tableSlot = h('div', {}, loadingNote());
  const out = h('div', { 'aria-live': 'polite' });
  const canDelete = may(ctx.me, 'deleteWards');
  const load = async (): Promise<void> => {
    const r = await fetchAll<WardOut>('/api/v1/wards');
    clear(tableSlot);
    if (!r.ok) return void tableSlot.append(errorNote(r));
    if (r.data.length === 0) return void tableSlot.append(emptyNote(t('inventory.noWards')));
    const total = r.data.reduce((n, w) => n + (w.population ?? 0), 0);
    tableSlot.append(h('p', { class: 'muted' }, t('inventory.wardsSummary', { n: fmtNumber(r.data.length), p: fmtNumber(total) })));
    const table = h('table', { class: 'table table-compact', 'data-testid': 'wards-table' }, h('thead', {}, h('tr', {}, h('th', {}, t('inventory.code')), h('th', {}, t('common.ward')), h('th', {}, t('coverage.district')), h('th', { class: 'num' }, t('coverage.area')), h('th', { class: 'num' }, t('coverage.residents')), canDelete ? h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, t('common.actions'))) : null)));
    const tb = h('tbody', {});
    for (const w of r.data) {
      const del = canDelete ? h('td', { class: 'actions' }, h('button', { type: 'button', class: 'btn btn-ghost btn-small btn-danger-text', 'data-testid': 'ward-delete', onclick: () => void removeWard(w, out, () => void load()) }, t('common.delete'))) : null;
      tb.append(h('tr', { 'data-ward-code': w.code }, h('td', { class: 'mono' }, w.code), h('td', {}, w.name), h('td', {}, w.district), h('td', { class: 'num' }, `${fmtNumber(w.areaM2 / 1e6, { maxFractionDigits: 2 })} km²`), h('td', { class: 'num' }, w.population === null ? '–' : `${fmtNumber(w.population)}${w.populationSource === 'district-estimate' ? ' *' : ''}`), del));
    }
    table.append(tb);
    tableSlot.append(h('div', { class: 'table-wrap' }, table), h('p', { class: 'muted small' }, t('inventory.estimateNote')));
  };
  const imports = h('div', { class: 'grid-2' });
  if (may(ctx.me, 'importWards')) {
    imports.append(
      importBox({
        title: t('inventory.importWards'),
        hint: t('inventory.importWardsHint'),
        accept: '.geojson,.json,application/geo+json,application/json',
        contentType: 'application/geo+json',
        template: '/api/v1/wards/import',
        testId: 'wards-import',
        fields: [
          { id: 'codeProp', label: t('inventory.codeProp'), value: 'kode' },
          { id: 'nameProp', label: t('inventory.nameProp'), value: 'nama' },
          { id: 'districtProp', label: t('inventory.districtProp'), value: 'kecamatan' },
        ],
        path: (v) => `/api/v1/wards/import?${new URLSearchParams({ codeProp: v.codeProp ?? 'code', nameProp: v.nameProp ?? 'name', districtProp: v.districtProp ?? 'district' })}`,
        describe: (d) => {
          const x = d as { created?: number; updated?: number; total?: number };
          return t('inventory.wardsImported', { c: x.created ?? 0, u: x.updated ?? 0, n: x.total ?? 0 });
        },
        onDone: () => void load(),
      }),
      importBox({
        title: t('inventory.importResidents'),
        hint: t('inventory.importResidentsHint'),
        accept: '.csv,text/csv',
        contentType: 'text/csv',
        template: '/api/v1/wards/residents',
        testId: 'residents-import',
        fields: [
          { id: 'by', label: t('inventory.residentsBy'), value: 'district', options: [{ value: 'district', label: t('coverage.district') }, { value: 'ward', label: t('common.ward') }] },
          { id: 'keyColumn', label: t('inventory.keyColumn'), value: 'kecamatan' },
          { id: 'valueColumn', label: t('inventory.valueColumn'), value: 'population_2025s1' },
        ],
        path: (v) => `/api/v1/wards/residents?${new URLSearchParams({ by: v.by ?? 'district', keyColumn: v.keyColumn ?? '', valueColumn: v.valueColumn ?? '' })}`,
        describe: (d) => {
          const x = d as { wardsUpdated?: number; residents?: number };
          return t('inventory.residentsImported', { n: x.wardsUpdated ?? 0, p: fmtNumber(x.residents ?? 0) });
        },
        onDone: () => void load(),
      }),
    );
  }
  el.append(imports, h('section', { class: 'card' }, h('h2', {}, t('inventory.wards')), out, tableSlot));
  void load();
}

function pager(total: number, offset: number, go: (offset: number) => void): HTMLElement {
  const from = total === 0 ? 0 : offset + 1;
  const to = Math.min(total, offset + PAGE);
  return h(
    'div',
    { class: 'pager' },
    h('button', { type: 'button', class: 'btn btn-ghost btn-small', disabled: offset === 0, onclick: () => go(Math.max(0, offset - PAGE)) }, '‹ ', t('common.prev')),
    h('span', {}, t('common.range', { from: fmtNumber(from), to: fmtNumber(to), total: fmtNumber(total) })),
    h('button', { type: 'button', class: 'btn btn-ghost btn-small', disabled: to >= total, onclick: () => go(offset + PAGE) }, t('common.next'), ' ›'),
  );
}

/** A search box that calls back after typing pauses. */
function searchBox(id: string, label: string, placeholder: string, onSearch: (q: string) => void): HTMLElement {
  const input = h('input', { id, type: 'search', class: 'search', placeholder, 'data-testid': id });
  let timer = 0;
  input.addEventListener('input', () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => onSearch(input.value.trim()), 250);
  });
  return h('div', { class: 'filter search-filter' }, h('label', { for: id }, label), input);
}

function sitesTab(el: HTMLElement, ctx: ViewCtx): void {
  const slot = h('div', {}, loadingNote());
  const out = h('div', { 'aria-live': 'polite' });
  let offset = 0;
  let q = '';
  const canEdit = may(ctx.me, 'editSites');
  const canDelete = may(ctx.me, 'deleteSites');
  const remove = async (s: SiteOut): Promise<void> => {
    const devices = await get<Page<DeviceOut>>('/api/v1/devices', { siteId: s.id, limit: 1 });
    const n = devices.ok ? devices.data.total : 0;
    const yes = await confirmDialog({
      title: t('inventory.deleteSiteTitle', { name: s.name }),
      body: [n > 0 ? t('inventory.deleteSiteDevices', { n: fmtNumber(n) }) : t('inventory.deleteSiteNoDevices'), t('inventory.deleteSiteHistory')],
      confirm: t('common.delete'),
      danger: true,
      testId: 'delete-dialog',
    });
    if (!yes) return;
    const r = await api('DELETE', '/api/v1/sites/{id}', `/api/v1/sites/${encodeURIComponent(s.id)}`);
    clear(out);
    if (!r.ok) return void out.append(errorNote(r));
    out.append(h('p', { class: 'note note-ok', role: 'status' }, '✓ ', t('inventory.deleted', { name: s.name })));
    void load();
  };
  const load = async (): Promise<void> => {
    const r = await get<Page<SiteOut>>('/api/v1/sites', { limit: PAGE, offset, q });
    clear(slot);
    if (!r.ok) return void slot.append(errorNote(r));
    if (r.data.total === 0) return void slot.append(emptyNote(q === '' ? t('inventory.noSites') : t('inventory.noMatch')));
    const table = h('table', { class: 'table table-compact table-stack', 'data-testid': 'sites-table' }, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('inventory.name')), h('th', { scope: 'col' }, t('inventory.status')), h('th', { scope: 'col' }, t('common.ward')), h('th', { scope: 'col' }, t('inventory.provider')), h('th', { scope: 'col', class: 'num' }, t('inventory.location')), h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, t('common.actions'))))));
    const tb = h('tbody', {});
    for (const s of r.data.items) {
      const actions = h('td', { class: 'actions' });
      if (canEdit) actions.append(h('button', { type: 'button', class: 'btn btn-ghost btn-small', 'data-testid': 'site-edit', onclick: () => editSite(s, () => void load()) }, t('common.edit')));
      if (canDelete) actions.append(h('button', { type: 'button', class: 'btn btn-ghost btn-small btn-danger-text', 'data-testid': 'site-delete', onclick: () => void remove(s) }, t('common.delete')));
      tb.append(
        h(
          'tr',
          { 'data-site-id': s.id },
          h('td', {}, h('span', { class: 'strong' }, s.name)),
          h('td', {}, h('span', { class: `chip chip-site-${s.status}` }, t(`siteStatus.${s.status}` as MessageKey))),
          h('td', {}, s.outsideCity ? h('span', { class: 'chip chip-orange' }, '! ', t('kpi.outsideCity')) : (wardNames.get(s.wardCode ?? '') ?? s.wardCode ?? '–')),
          h('td', {}, s.provider ?? '–'),
          h('td', { class: 'num mono' }, `${s.lat.toFixed(5)}, ${s.lon.toFixed(5)}`),
          actions,
        ),
      );
    }
    table.append(tb);
    slot.append(h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('inventory.sites') }, table), pager(r.data.total, offset, (o) => ((offset = o), void load())));
  };
  const tools = h('div', { class: 'grid-2' });
  if (canEdit) tools.append(siteForm(() => void load()));
  if (may(ctx.me, 'importSites')) {
    tools.append(
      importBox({
        title: t('inventory.importSites'),
        hint: t('inventory.importSitesHint'),
        accept: '.csv,text/csv',
        contentType: 'text/csv',
        template: '/api/v1/sites/import',
        testId: 'sites-import',
        path: () => '/api/v1/sites/import',
        describe: describeUpsert,
        onDone: () => void load(),
      }),
    );
  }
  const search = searchBox('site-search', t('inventory.searchSites'), t('inventory.searchSitesHint'), (text) => {
    q = text;
    offset = 0;
    void load();
  });
  el.append(tools, h('section', { class: 'card' }, h('div', { class: 'card-head' }, h('h2', {}, t('inventory.sites')), search), out, slot));
  void loadWardNames().then(() => load());
}

/** "Mati 2 j 14 mnt" from the live status; "Belum dipantau" before the first poll. */
function statusCell(st: StatusItem | undefined, enabled: boolean): HTMLElement {
  if (!enabled) return h('td', {}, h('span', { class: 'chip' }, t('inventory.disabled')));
  if (st === undefined) return h('td', {}, h('span', { class: 'muted' }, '–'));
  const since = st.since === null ? null : (Date.now() - Date.parse(st.since)) / 1000;
  const look = STATE_LOOK[st.state];
  const text = since === null ? t(look.label) : t('inventory.stateFor', { state: t(look.label), d: fmtDuration(since) });
  return h('td', { 'data-state': st.state }, h('span', { class: `badge badge-${st.state}` }, stateSwatch(st.state), text));
}

function devicesTab(el: HTMLElement, ctx: ViewCtx): void {
  const slot = h('div', {}, loadingNote());
  const out = h('div', { 'aria-live': 'polite' });
  let offset = 0;
  let q = '';
  const selected = new Set<string>();
  const canEdit = may(ctx.me, 'editDevices');
  let status = new Map<string, StatusItem>();
  const bulkBar = h('div', { class: 'bulk-bar', hidden: true, 'data-testid': 'bulk-bar' });
  const bulk = async (body: Record<string, unknown>): Promise<void> => {
    // One change at a time: the bar's buttons are inert until the answer and the redrawn table are in.
    const buttons = [...bulkBar.querySelectorAll<HTMLButtonElement>('button')];
    for (const b of buttons) b.disabled = true;
    bulkBar.setAttribute('aria-busy', 'true');
    const r = await api<{ updated: number }>('POST', '/api/v1/devices/bulk', '/api/v1/devices/bulk', { json: { ...body, ids: [...selected] } });
    bulkBar.removeAttribute('aria-busy');
    for (const b of buttons) b.disabled = false;
    clear(out);
    if (!r.ok) return void out.append(errorNote(r));
    out.append(h('p', { class: 'note note-ok', role: 'status' }, '✓ ', t('inventory.bulkDone', { n: fmtNumber(r.data.updated) })));
    selected.clear();
    void load();
  };
  const drawBulk = (): void => {
    clear(bulkBar);
    bulkBar.hidden = selected.size === 0;
    if (selected.size === 0) return;
    const site = h('select', { id: 'bulk-site', 'data-testid': 'bulk-site' }, h('option', { value: '' }, t('inventory.noSiteChoice')));
    void get<Page<SiteOut>>('/api/v1/sites', { limit: 1000 }).then((r) => {
      if (r.ok) for (const s of [...r.data.items].sort((a, b) => a.name.localeCompare(b.name))) site.append(h('option', { value: s.id }, s.name));
    });
    bulkBar.append(
      h('strong', {}, t('inventory.selected', { n: fmtNumber(selected.size) })),
      h('button', { type: 'button', class: 'btn btn-secondary btn-small', 'data-testid': 'bulk-enable', onclick: () => void bulk({ action: 'enable' }) }, t('inventory.enable')),
      h('button', { type: 'button', class: 'btn btn-secondary btn-small', 'data-testid': 'bulk-disable', onclick: () => void bulk({ action: 'disable' }) }, t('inventory.disable')),
      h('span', { class: 'row' }, h('label', { for: 'bulk-site' }, t('inventory.moveTo')), site, h('button', { type: 'button', class: 'btn btn-secondary btn-small', 'data-testid': 'bulk-move', onclick: () => void bulk({ action: 'move', siteId: site.value === '' ? null : site.value }) }, t('inventory.move'))),
      h('button', { type: 'button', class: 'btn btn-ghost btn-small', onclick: () => (selected.clear(), void load()) }, t('inventory.clearSelection')),
    );
  };
  const remove = async (d: DeviceOut): Promise<void> => {
    const inc = await get<{ total: number }>('/api/v1/incidents', { deviceId: d.id, open: 'true', limit: 1 });
    const open = inc.ok ? inc.data.total : 0;
    const yes = await confirmDialog({
      title: t('inventory.deleteDeviceTitle', { name: d.name }),
      body: [t('inventory.deleteDeviceBody', { address: d.address }), open > 0 ? t('inventory.deleteDeviceOpen', { n: fmtNumber(open) }) : t('inventory.deleteDeviceHistory')],
      confirm: t('common.delete'),
      danger: true,
      testId: 'delete-dialog',
    });
    if (!yes) return;
    const r = await api('DELETE', '/api/v1/devices/{id}', `/api/v1/devices/${encodeURIComponent(d.id)}`);
    clear(out);
    if (!r.ok) return void out.append(errorNote(r));
    out.append(h('p', { class: 'note note-ok', role: 'status' }, '✓ ', t('inventory.deleted', { name: d.name })));
    selected.delete(d.id);
    void load();
  };
  const load = async (): Promise<void> => {
    const [r, st] = await Promise.all([get<Page<DeviceOut>>('/api/v1/devices', { limit: PAGE, offset, q }), loadDevicePoints()]);
    if (st.ok && st.data.live) status = new Map(st.data.items.map((x) => [x.deviceId, x]));
    clear(slot);
    if (!r.ok) return void slot.append(errorNote(r));
    if (r.data.total === 0) return void slot.append(emptyNote(q === '' ? t('inventory.noDevices') : t('inventory.noMatch')));
    const all = h('input', { type: 'checkbox', id: 'dev-all', 'aria-label': t('inventory.selectAll') });
    all.checked = r.data.items.length > 0 && r.data.items.every((d) => selected.has(d.id));
    all.addEventListener('change', () => {
      for (const d of r.data.items) if (all.checked) selected.add(d.id); else selected.delete(d.id);
      for (const box of slot.querySelectorAll<HTMLInputElement>('input[data-select]')) box.checked = all.checked;
      drawBulk();
    });
    const head = [h('th', { scope: 'col' }, t('inventory.name')), h('th', { scope: 'col' }, t('inventory.status')), h('th', { scope: 'col' }, t('inventory.address')), h('th', { scope: 'col' }, t('inventory.site')), h('th', { scope: 'col' }, t('inventory.polling')), h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, t('common.actions')))];
    const table = h('table', { class: 'table table-compact table-stack', 'data-testid': 'devices-table' }, h('thead', {}, h('tr', {}, ...(canEdit ? [h('th', { scope: 'col', class: 'select' }, all)] : []), ...head)));
    const tb = h('tbody', {});
    const siteNames = new Map([...status.values()].map((x) => [x.siteId ?? '', x.siteName ?? '']));
    for (const d of r.data.items) {
      const proto = [d.snmp === null ? null : `SNMP v${d.snmp.version}`, d.routeros === null ? null : 'RouterOS'].filter((x) => x !== null).join(' + ');
      const pick = h('input', { type: 'checkbox', 'data-select': d.id, 'aria-label': t('inventory.selectOne', { name: d.name }), checked: selected.has(d.id) });
      pick.addEventListener('change', () => {
        if (pick.checked) selected.add(d.id);
        else selected.delete(d.id);
        drawBulk();
      });
      const actions = h('td', { class: 'actions' });
      if (canEdit) {
        actions.append(
          h('button', { type: 'button', class: 'btn btn-ghost btn-small', 'data-testid': 'device-edit', onclick: () => editDevice(d, () => void load()) }, t('common.edit')),
          h('button', { type: 'button', class: 'btn btn-ghost btn-small btn-danger-text', 'data-testid': 'device-delete', onclick: () => void remove(d) }, t('common.delete')),
        );
      }
      tb.append(
        h(
          'tr',
          { 'data-device-id': d.id },
          ...(canEdit ? [h('td', { class: 'select' }, pick)] : []),
          h('td', {}, h('a', { href: `#/monitor/${encodeURIComponent(d.id)}`, class: 'strong' }, d.name), h('span', { class: 'sub' }, `${t(`deviceRole.${d.role}` as MessageKey)}${d.vendor === null ? '' : ` · ${d.vendor}`}`)),
          statusCell(status.get(d.id), d.enabled),
          h('td', { class: 'mono' }, d.address),
          h('td', {}, d.siteId === null ? t('monitor.noSite') : (siteNames.get(d.siteId) || '–')),
          h('td', {}, `${proto || t('inventory.noPolling')} · ${t('inventory.everyS', { s: d.pollIntervalS })}`),
          actions,
        ),
      );
    }
    table.append(tb);
    slot.append(h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('inventory.devices') }, table), pager(r.data.total, offset, (o) => ((offset = o), void load())));
    drawBulk();
  };
  const tools = h('div', { class: 'grid-2' });
  if (canEdit) {
    tools.append(
      deviceForm(() => void load()),
      importBox({
        title: t('inventory.importDevices'),
        hint: t('inventory.importDevicesHint'),
        accept: '.csv,text/csv',
        contentType: 'text/csv',
        template: '/api/v1/devices/import',
        testId: 'devices-import',
        path: () => '/api/v1/devices/import',
        describe: describeUpsert,
        onDone: () => void load(),
      }),
    );
  }
  const search = searchBox('device-search', t('inventory.searchDevices'), t('inventory.searchDevicesHint'), (text) => {
    q = text;
    offset = 0;
    void load();
  });
  el.append(h('section', { class: 'card' }, h('div', { class: 'card-head' }, h('h2', {}, t('inventory.devices')), search), bulkBar, out, slot), tools);
  void load();
}

let wardNames = new Map<string, string>();
async function loadWardNames(): Promise<void> {
  if (wardNames.size > 0) return;
  const r = await fetchAll<WardOut>('/api/v1/wards');
  if (r.ok) wardNames = new Map(r.data.map((w) => [w.code, w.name]));
}

export const inventoryView: View = (el, ctx) => {
  const tab: Tab = TABS.includes(ctx.param as Tab) ? (ctx.param as Tab) : 'wards';
  const nav = h('nav', { class: 'subtabs', 'aria-label': t('nav.inventory') });
  for (const x of TABS) nav.append(h('a', { href: `#/inventory/${x}`, class: x === tab ? 'subtab active' : 'subtab', 'aria-current': x === tab ? 'page' : null }, t(`inventory.${x}` as MessageKey)));
  const page = h('div', { class: 'page' });
  el.append(h('div', { class: 'toolbar' }, h('h1', {}, t('nav.inventory')), nav), page);
  if (tab === 'wards') wardsTab(page, ctx);
  else if (tab === 'sites') sitesTab(page, ctx);
  else devicesTab(page, ctx);
  return () => undefined;
};
