/** Inventory: wards (imports), sites and devices (tables, forms, CSV imports). Write actions follow the role. */
import { get } from '../../api/client.ts';
import type { DeviceOut, Page, SiteOut, WardOut } from '../../api/types.ts';
import { fmtNumber, t } from '../../i18n/i18n.ts';
import type { MessageKey } from '../../i18n/dict.ts';
import { clear, h } from '../../ui/dom.ts';
import { errorNote, loadingNote, emptyNote } from '../../ui/notes.ts';
import { fetchAll } from '../data/fetch-all.ts';
import { may } from '../session.ts';
import type { View, ViewCtx } from '../view.ts';
import { importBox } from './import-box.ts';
import { deviceForm, siteForm } from './inventory-forms.ts';

type Tab = 'wards' | 'sites' | 'devices';
const TABS: readonly Tab[] = ['wards', 'sites', 'devices'];
const PAGE = 50;

function wardsTab(el: HTMLElement, ctx: ViewCtx): void {
  const tableSlot = h('div', {}, loadingNote());
  const load = async (): Promise<void> => {
    const r = await fetchAll<WardOut>('/api/v1/wards');
    clear(tableSlot);
    if (!r.ok) return void tableSlot.append(errorNote(r));
    if (r.data.length === 0) return void tableSlot.append(emptyNote(t('inventory.noWards')));
    const total = r.data.reduce((n, w) => n + (w.population ?? 0), 0);
    tableSlot.append(h('p', { class: 'muted' }, t('inventory.wardsSummary', { n: fmtNumber(r.data.length), p: fmtNumber(total) })));
    const table = h('table', { class: 'table table-compact', 'data-testid': 'wards-table' }, h('thead', {}, h('tr', {}, h('th', {}, t('inventory.code')), h('th', {}, t('common.ward')), h('th', {}, t('coverage.district')), h('th', { class: 'num' }, t('coverage.area')), h('th', { class: 'num' }, t('coverage.residents')))));
    const tb = h('tbody', {});
    for (const w of r.data) {
      tb.append(h('tr', {}, h('td', { class: 'mono' }, w.code), h('td', {}, w.name), h('td', {}, w.district), h('td', { class: 'num' }, `${fmtNumber(w.areaM2 / 1e6, { maxFractionDigits: 2 })} km²`), h('td', { class: 'num' }, w.population === null ? '–' : `${fmtNumber(w.population)}${w.populationSource === 'district-estimate' ? ' *' : ''}`)));
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
  el.append(imports, h('section', { class: 'card' }, h('h2', {}, t('inventory.wards')), tableSlot));
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

function sitesTab(el: HTMLElement, ctx: ViewCtx): void {
  const slot = h('div', {}, loadingNote());
  let offset = 0;
  const load = async (): Promise<void> => {
    const r = await get<Page<SiteOut>>('/api/v1/sites', { limit: PAGE, offset });
    clear(slot);
    if (!r.ok) return void slot.append(errorNote(r));
    if (r.data.total === 0) return void slot.append(emptyNote(t('inventory.noSites')));
    const table = h('table', { class: 'table table-compact', 'data-testid': 'sites-table' }, h('thead', {}, h('tr', {}, h('th', {}, t('inventory.name')), h('th', {}, t('inventory.status')), h('th', {}, t('common.ward')), h('th', {}, t('inventory.provider')), h('th', { class: 'num' }, t('inventory.location')))));
    const tb = h('tbody', {});
    for (const s of r.data.items) {
      tb.append(
        h(
          'tr',
          {},
          h('td', {}, s.name),
          h('td', {}, h('span', { class: `chip chip-site-${s.status}` }, t(`siteStatus.${s.status}` as MessageKey))),
          h('td', {}, s.outsideCity ? h('span', { class: 'chip chip-orange' }, '! ', t('kpi.outsideCity')) : (s.wardCode ?? '–')),
          h('td', {}, s.provider ?? '–'),
          h('td', { class: 'num mono' }, `${s.lat.toFixed(5)}, ${s.lon.toFixed(5)}`),
        ),
      );
    }
    table.append(tb);
    slot.append(h('div', { class: 'table-wrap' }, table), pager(r.data.total, offset, (o) => ((offset = o), void load())));
  };
  const tools = h('div', { class: 'grid-2' });
  if (may(ctx.me, 'editSites')) tools.append(siteForm(() => void load()));
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
        describe: (d) => t('inventory.created', { n: (d as { created?: number }).created ?? 0 }),
        onDone: () => void load(),
      }),
    );
  }
  el.append(tools, h('section', { class: 'card' }, h('h2', {}, t('inventory.sites')), slot));
  void load();
}

function devicesTab(el: HTMLElement, ctx: ViewCtx): void {
  const slot = h('div', {}, loadingNote());
  let offset = 0;
  const load = async (): Promise<void> => {
    const r = await get<Page<DeviceOut>>('/api/v1/devices', { limit: PAGE, offset });
    clear(slot);
    if (!r.ok) return void slot.append(errorNote(r));
    if (r.data.total === 0) return void slot.append(emptyNote(t('inventory.noDevices')));
    const table = h('table', { class: 'table table-compact', 'data-testid': 'devices-table' }, h('thead', {}, h('tr', {}, h('th', {}, t('inventory.name')), h('th', {}, t('inventory.role')), h('th', {}, t('inventory.vendor')), h('th', {}, t('inventory.address')), h('th', {}, t('inventory.polling')), h('th', { class: 'num' }, t('inventory.radius')))));
    const tb = h('tbody', {});
    for (const d of r.data.items) {
      const proto = [d.snmp === null ? null : `SNMP v${d.snmp.version}`, d.routeros === null ? null : 'RouterOS'].filter((x) => x !== null).join(' + ');
      tb.append(
        h(
          'tr',
          {},
          h('td', {}, d.name, d.enabled ? '' : h('span', { class: 'chip' }, ` ${t('inventory.disabled')}`)),
          h('td', {}, t(`deviceRole.${d.role}` as MessageKey)),
          h('td', {}, d.vendor ?? '–'),
          h('td', { class: 'mono' }, d.address),
          h('td', {}, `${proto || '–'} · ${t('inventory.everyS', { s: d.pollIntervalS })}`),
          h('td', { class: 'num' }, d.coverage?.radiusM === undefined ? '–' : `${fmtNumber(d.coverage.radiusM)} m`),
        ),
      );
    }
    table.append(tb);
    slot.append(h('div', { class: 'table-wrap' }, table), pager(r.data.total, offset, (o) => ((offset = o), void load())));
  };
  const tools = h('div', { class: 'grid-2' });
  if (may(ctx.me, 'editDevices')) {
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
        describe: (d) => t('inventory.created', { n: (d as { created?: number }).created ?? 0 }),
        onDone: () => void load(),
      }),
    );
  }
  el.append(tools, h('section', { class: 'card' }, h('h2', {}, t('inventory.devices')), slot));
  void load();
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
