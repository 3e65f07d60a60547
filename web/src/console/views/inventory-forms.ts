/**
 * The site and device forms: add (a card on the page) and edit (a dialog), with every polling setting of a device
 * (SNMP community, port and version; RouterOS user, password, port and TLS; interval; on or off). Credentials are
 * write-only: an edit leaves them as they are unless typed again. The server validates; its messages are shown.
 */
import { api, get, hasRoute } from '../../api/client.ts';
import type { DeviceOut, Page, SiteOut } from '../../api/types.ts';
import { DEVICE_ROLES, SITE_STATUSES, VENDORS } from '../../api/enums.ts';
import { t } from '../../i18n/i18n.ts';
import type { MessageKey } from '../../i18n/dict.ts';
import { formDialog } from '../../ui/dialog.ts';
import { clear, h, type Child } from '../../ui/dom.ts';
import { errorNote } from '../../ui/notes.ts';

function field(id: string, label: string, input: HTMLElement, hint?: string): HTMLElement[] {
  input.id = id;
  if (hint === undefined) return [h('label', { for: id }, label), input];
  const hintId = `${id}-hint`;
  input.setAttribute('aria-describedby', hintId);
  return [h('label', { for: id }, label), h('div', {}, input, h('p', { class: 'muted small hint', id: hintId }, hint))];
}

function numberOrNull(v: string): number | null {
  const s = v.trim();
  if (s === '') return null;
  const n = Number(s.replace(',', '.'));
  return Number.isFinite(n) ? n : NaN;
}

// --- sites ------------------------------------------------------------------------------------------------------

interface SiteInputs {
  name: HTMLInputElement;
  lat: HTMLInputElement;
  lon: HTMLInputElement;
  status: HTMLSelectElement;
  provider: HTMLInputElement;
  mbps: HTMLInputElement;
  address: HTMLInputElement;
}

function siteInputs(prefix: string, s: SiteOut | null): { inputs: SiteInputs; fields: Child[] } {
  const inputs: SiteInputs = {
    name: h('input', { required: true, maxlength: 160, value: s?.name ?? '', 'data-testid': `${prefix}-name` }),
    lat: h('input', { required: true, inputmode: 'decimal', placeholder: '-6.0169', value: s === null ? '' : String(s.lat), 'data-testid': `${prefix}-lat` }),
    lon: h('input', { required: true, inputmode: 'decimal', placeholder: '106.0539', value: s === null ? '' : String(s.lon), 'data-testid': `${prefix}-lon` }),
    status: h('select', {}, ...SITE_STATUSES.map((x) => h('option', { value: x, selected: s?.status === x }, t(`siteStatus.${x}` as MessageKey)))),
    provider: h('input', { maxlength: 120, value: s?.provider ?? '' }),
    mbps: h('input', { inputmode: 'decimal', value: s?.contractedMbps == null ? '' : String(s.contractedMbps) }),
    address: h('input', { maxlength: 300, value: s?.address ?? '' }),
  };
  const fields = [
    ...field(`${prefix}-name`, t('inventory.name'), inputs.name),
    ...field(`${prefix}-lat`, t('inventory.lat'), inputs.lat),
    ...field(`${prefix}-lon`, t('inventory.lon'), inputs.lon),
    ...field(`${prefix}-status`, t('inventory.status'), inputs.status),
    ...field(`${prefix}-provider`, t('inventory.provider'), inputs.provider),
    ...field(`${prefix}-mbps`, t('inventory.contractedMbps'), inputs.mbps),
    ...field(`${prefix}-street`, t('inventory.street'), inputs.address),
  ];
  return { inputs, fields };
}

function siteBody(i: SiteInputs): Record<string, unknown> {
  return {
    name: i.name.value.trim(),
    lat: numberOrNull(i.lat.value),
    lon: numberOrNull(i.lon.value),
    status: i.status.value,
    provider: i.provider.value.trim() || null,
    contractedMbps: numberOrNull(i.mbps.value),
    address: i.address.value.trim() || null,
  };
}

export function siteForm(onDone: () => void): HTMLElement {
  const { inputs, fields } = siteInputs('site', null);
  const out = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'form form-grid' }, ...fields, h('div', { class: 'row span' }, h('button', { type: 'submit', class: 'btn btn-primary' }, t('inventory.addSite'))), out);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clear(out);
    void api<SiteOut>('POST', '/api/v1/sites', '/api/v1/sites', { json: siteBody(inputs) }).then((r) => {
      if (!r.ok) return void out.append(errorNote(r));
      out.append(h('p', { class: 'note note-ok', role: 'status' }, '✓ ', r.data.outsideCity ? t('inventory.siteAddedOutside', { name: r.data.name }) : t('inventory.siteAdded', { name: r.data.name, ward: r.data.wardCode ?? '–' })));
      form.reset();
      onDone();
    });
  });
  return h('section', { class: 'card' }, h('h2', {}, t('inventory.addSite')), form);
}

export function editSite(site: SiteOut, onDone: () => void): void {
  const { inputs, fields } = siteInputs('esite', site);
  formDialog({
    title: t('inventory.editTitle', { name: site.name }),
    fields,
    submit: t('common.save'),
    testId: 'site-dialog',
    onSubmit: async () => {
      const r = await api<SiteOut>('PATCH', '/api/v1/sites/{id}', `/api/v1/sites/${encodeURIComponent(site.id)}`, { json: siteBody(inputs) });
      if (!r.ok) return errorNote(r);
      onDone();
      return null;
    },
  });
}

// --- devices ----------------------------------------------------------------------------------------------------

interface DeviceInputs {
  name: HTMLInputElement;
  role: HTMLSelectElement;
  address: HTMLInputElement;
  site: HTMLSelectElement;
  vendor: HTMLSelectElement;
  enabled: HTMLInputElement;
  monitor: HTMLInputElement;
  interval: HTMLInputElement;
  snmpTimeout: HTMLInputElement;
  snmpRetries: HTMLInputElement;
  community: HTMLInputElement;
  snmpPort: HTMLInputElement;
  snmpVersion: HTMLSelectElement;
  rosUser: HTMLInputElement;
  rosPassword: HTMLInputElement;
  rosPort: HTMLInputElement;
  rosTls: HTMLInputElement;
  radius: HTMLInputElement;
  traffic: HTMLInputElement;
}

const IF_ROLES = ['physical', 'uplink', 'virtual'];

/** Issue 11: the CSV/form text of a traffic selection (`uplink;ether5`); the server validates what it receives. */
function selectionText(s: DeviceOut['trafficInterfaces']): string {
  if (s === null) return '';
  return [...(s.roles ?? []), ...(s.names ?? []).map((n) => (IF_ROLES.includes(n) ? `name:${n}` : n))].join(';');
}

function selectionOf(text: string): { roles?: string[]; names?: string[] } | null {
  const items = text.split(';').map((x) => x.trim()).filter((x) => x !== '');
  if (items.length === 0) return null;
  const roles = items.filter((x) => IF_ROLES.includes(x));
  const names = items.filter((x) => !IF_ROLES.includes(x)).map((x) => (x.startsWith('name:') ? x.slice(5) : x));
  return { ...(roles.length > 0 ? { roles } : {}), ...(names.length > 0 ? { names } : {}) };
}

function loadSiteOptions(select: HTMLSelectElement, selected: string | null): void {
  void get<Page<SiteOut>>('/api/v1/sites', { limit: 1000 }).then((r) => {
    if (!r.ok) return;
    for (const s of [...r.data.items].sort((a, b) => a.name.localeCompare(b.name))) select.append(h('option', { value: s.id, selected: s.id === selected }, s.name));
  });
}

function deviceInputs(prefix: string, d: DeviceOut | null): { inputs: DeviceInputs; fields: Child[] } {
  const keep = d === null ? undefined : t('inventory.keepSecret');
  const inputs: DeviceInputs = {
    name: h('input', { required: true, maxlength: 160, value: d?.name ?? '', 'data-testid': `${prefix}-name` }),
    role: h('select', {}, ...DEVICE_ROLES.map((r) => h('option', { value: r, selected: d?.role === r }, t(`deviceRole.${r}` as MessageKey)))),
    address: h('input', { required: true, placeholder: '10.20.0.11', value: d?.address ?? '', 'data-testid': `${prefix}-address` }),
    site: h('select', {}, h('option', { value: '' }, t('inventory.noSiteChoice'))),
    vendor: h('select', {}, h('option', { value: '' }, t('inventory.detect')), ...VENDORS.map((v) => h('option', { value: v, selected: d?.vendor === v }, v))),
    enabled: h('input', { type: 'checkbox', checked: d === null || d.enabled }),
    // Issue 11: unticked keeps the device in the inventory only (never polled, never an incident).
    monitor: h('input', { type: 'checkbox', checked: d === null || d.monitor, 'data-testid': `${prefix}-monitor` }),
    snmpTimeout: h('input', { inputmode: 'numeric', placeholder: d?.snmp == null ? '1500' : String(d.snmp.timeoutMs), value: d?.snmp?.patienceSet === true ? String(d.snmp.timeoutMs) : '' }),
    snmpRetries: h('input', { inputmode: 'numeric', placeholder: d?.snmp == null ? '1' : String(d.snmp.retries), value: d?.snmp?.patienceSet === true ? String(d.snmp.retries) : '' }),
    interval: h('input', { inputmode: 'numeric', value: String(d?.pollIntervalS ?? 60) }),
    community: h('input', { type: 'password', autocomplete: 'off', placeholder: d?.snmp?.communitySet === true ? '••••••' : '' }),
    snmpPort: h('input', { inputmode: 'numeric', placeholder: '161', value: d?.snmp == null ? '' : String(d.snmp.port) }),
    snmpVersion: h('select', {}, h('option', { value: '2c', selected: d?.snmp?.version !== '1' }, 'v2c'), h('option', { value: '1', selected: d?.snmp?.version === '1' }, 'v1')),
    rosUser: h('input', { autocomplete: 'off', value: d?.routeros?.username ?? '' }),
    rosPassword: h('input', { type: 'password', autocomplete: 'off', placeholder: d?.routeros?.passwordSet === true ? '••••••' : '' }),
    rosPort: h('input', { inputmode: 'numeric', placeholder: '8728', value: d?.routeros == null ? '' : String(d.routeros.port) }),
    rosTls: h('input', { type: 'checkbox', checked: d?.routeros?.tls === true }),
    radius: h('input', { inputmode: 'numeric', placeholder: '100', value: d?.coverage?.radiusM === undefined ? '' : String(d.coverage.radiusM) }),
    traffic: h('input', { autocomplete: 'off', placeholder: 'physical;uplink', value: selectionText(d?.trafficInterfaces ?? null), 'data-testid': `${prefix}-traffic` }),
  };
  loadSiteOptions(inputs.site, d?.siteId ?? null);
  const fields: Child[] = [
    ...field(`${prefix}-name`, t('inventory.name'), inputs.name),
    ...field(`${prefix}-role`, t('inventory.role'), inputs.role),
    ...field(`${prefix}-address`, t('inventory.address'), inputs.address),
    ...field(`${prefix}-site`, t('inventory.site'), inputs.site),
    ...field(`${prefix}-vendor`, t('inventory.vendor'), inputs.vendor),
    h('span', { class: 'label' }, t('inventory.monitoring')),
    h('label', { class: 'check', for: `${prefix}-enabled` }, ((inputs.enabled.id = `${prefix}-enabled`), inputs.enabled), ' ', t('inventory.enabledLabel')),
    h('span', { class: 'label' }, ''),
    h('label', { class: 'check', for: `${prefix}-monitor` }, ((inputs.monitor.id = `${prefix}-monitor`), inputs.monitor), ' ', t('inventory.monitorLabel')),
    ...field(`${prefix}-interval`, t('inventory.pollIntervalS'), inputs.interval),
    ...field(`${prefix}-traffic`, t('inventory.trafficInterfaces'), inputs.traffic, t('inventory.trafficInterfacesHint')),
    h('h3', { class: 'span form-section' }, 'SNMP'),
    ...field(`${prefix}-community`, t('inventory.snmpCommunity'), inputs.community, keep),
    ...field(`${prefix}-port`, t('inventory.snmpPort'), inputs.snmpPort),
    ...field(`${prefix}-snmpver`, t('inventory.snmpVersion'), inputs.snmpVersion),
    ...field(`${prefix}-snmptimeout`, t('inventory.snmpTimeoutMs'), inputs.snmpTimeout, t('inventory.snmpPatienceHint')),
    ...field(`${prefix}-snmpretries`, t('inventory.snmpRetries'), inputs.snmpRetries),
    h('h3', { class: 'span form-section' }, 'RouterOS API'),
    ...field(`${prefix}-rosuser`, t('inventory.rosUser'), inputs.rosUser),
    ...field(`${prefix}-rospass`, t('inventory.rosPassword'), inputs.rosPassword, keep),
    ...field(`${prefix}-rosport`, t('inventory.rosPort'), inputs.rosPort),
    h('span', { class: 'label' }, 'API-SSL'),
    h('label', { class: 'check', for: `${prefix}-rostls` }, ((inputs.rosTls.id = `${prefix}-rostls`), inputs.rosTls), ' ', t('inventory.rosTls')),
    h('h3', { class: 'span form-section' }, t('inventory.coverageSection')),
    ...field(`${prefix}-radius`, t('inventory.radiusM'), inputs.radius),
  ];
  return { inputs, fields };
}

/** The JSON for POST (all fields) or PATCH (credentials only when typed), or what is missing. */
function deviceBody(i: DeviceInputs, existing: DeviceOut | null): { body: Record<string, unknown> } | { error: string } {
  const port = numberOrNull(i.snmpPort.value);
  const body: Record<string, unknown> = {
    name: i.name.value.trim(),
    role: i.role.value,
    address: i.address.value.trim(),
    siteId: i.site.value === '' ? null : i.site.value,
    pollIntervalS: numberOrNull(i.interval.value) ?? 60,
    enabled: i.enabled.checked,
    monitor: i.monitor.checked,
  };
  if (i.vendor.value !== '') body.vendor = i.vendor.value;
  // Issue 11: sent when typed or changed, so editing another field never touches the device's choice.
  if (existing === null ? i.traffic.value.trim() !== '' : selectionText(selectionOf(i.traffic.value) as DeviceOut['trafficInterfaces']) !== selectionText(existing.trafficInterfaces)) {
    body.trafficInterfaces = selectionOf(i.traffic.value);
  }
  // SNMP: a typed community (re)sets it with the port and version; clearing the port of a device that had SNMP turns it off.
  // Issue 11: SNMP patience of this device; empty fields take the role's default.
  const timeoutMs = numberOrNull(i.snmpTimeout.value);
  const retries = numberOrNull(i.snmpRetries.value);
  const patience = { ...(timeoutMs === null ? {} : { timeoutMs }), ...(retries === null ? {} : { retries }) };
  const patienceChanged =
    existing?.snmp != null && (existing.snmp.patienceSet ? timeoutMs !== existing.snmp.timeoutMs || retries !== existing.snmp.retries : timeoutMs !== null || retries !== null);
  if (i.community.value !== '') body.snmp = { community: i.community.value, version: i.snmpVersion.value, ...(port === null ? {} : { port }), ...patience };
  else if (existing?.snmp != null && i.snmpPort.value.trim() === '') body.snmp = null;
  else if (existing?.snmp != null && (port !== existing.snmp.port || i.snmpVersion.value !== existing.snmp.version || patienceChanged)) return { error: t('inventory.retypeCommunity') };
  const rosPort = numberOrNull(i.rosPort.value);
  const user = i.rosUser.value.trim();
  const ros = existing?.routeros ?? null;
  if (user === '') {
    if (ros !== null) body.routeros = null;
  } else if (i.rosPassword.value !== '' || ros === null) {
    body.routeros = { username: user, password: i.rosPassword.value, tls: i.rosTls.checked, ...(rosPort === null ? {} : { port: rosPort }) };
  } else if (ros.username !== user || ros.tls !== i.rosTls.checked || (rosPort !== null && rosPort !== ros.port)) {
    return { error: t('inventory.retypePassword') };
  }
  const r = numberOrNull(i.radius.value);
  if (r !== null) body.coverage = { ...(existing?.coverage ?? {}), radiusM: r };
  return { body };
}

export function deviceForm(onDone: () => void): HTMLElement {
  const { inputs, fields } = deviceInputs('dev', null);
  const out = h('div', { 'aria-live': 'polite' });
  // Discovery: ask the device at this address what it is, and fill in the vendor (and the name when empty).
  const discoverOut = h('span', { class: 'muted small', 'aria-live': 'polite', 'data-testid': 'discover-result' });
  const discover = h('button', { type: 'button', class: 'btn btn-ghost btn-small', hidden: true, 'data-testid': 'discover' }, t('inventory.discover'));
  void hasRoute('POST', '/api/v1/devices/discover').then((has) => {
    discover.hidden = !has;
  });
  // What discovery found is saved with the device (the form has no model field of its own).
  let discoveredModel: string | null = null;
  discover.addEventListener('click', () => {
    clear(out);
    if (inputs.address.value.trim() === '' || inputs.community.value === '') {
      discoverOut.textContent = t('inventory.discoverNeeds');
      return;
    }
    discover.disabled = true;
    discoverOut.textContent = t('common.loading');
    const port = numberOrNull(inputs.snmpPort.value);
    void api<{ vendor: string; model: string | null; version: string | null; hardwareRevision?: string | null; sysName: string | null }>('POST', '/api/v1/devices/discover', '/api/v1/devices/discover', {
      json: { address: inputs.address.value.trim(), snmp: { community: inputs.community.value, ...(port === null ? {} : { port }) } },
    }).then((r) => {
      discover.disabled = false;
      if (!r.ok) {
        discoverOut.textContent = '';
        out.append(errorNote(r));
        return;
      }
      inputs.vendor.value = r.data.vendor;
      // Recordings and privacy-minded devices answer placeholders such as "<private>": not a name.
      if (inputs.name.value.trim() === '' && r.data.sysName !== null && !/^<.*>$/.test(r.data.sysName)) inputs.name.value = r.data.sysName;
      // Issue 11: the hardware revision stays with the model (TP-Link `SG2218P 1.20`).
      const model = r.data.model === null ? null : [r.data.model, r.data.hardwareRevision ?? ''].join(' ').trim();
      discoveredModel = model;
      discoverOut.textContent = `✓ ${[r.data.vendor, model, r.data.version].filter((x) => x !== null && x !== '').join(' · ')}`;
    });
  });
  // The discover button sits right after the SNMP port.
  fields.splice(fields.indexOf(inputs.snmpPort) + 1, 0, h('div', { class: 'row span' }, discover, discoverOut));
  const form = h('form', { class: 'form form-grid' }, ...fields, h('div', { class: 'row span' }, h('button', { type: 'submit', class: 'btn btn-primary' }, t('inventory.addDevice'))), out);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clear(out);
    const made = deviceBody(inputs, null);
    if ('error' in made) return void out.append(h('p', { class: 'note note-error', role: 'alert' }, made.error));
    if (discoveredModel !== null) made.body.model = discoveredModel.slice(0, 120);
    void api<{ name: string }>('POST', '/api/v1/devices', '/api/v1/devices', { json: made.body }).then((res) => {
      if (!res.ok) return void out.append(errorNote(res));
      out.append(h('p', { class: 'note note-ok', role: 'status' }, '✓ ', t('inventory.deviceAdded', { name: res.data.name })));
      form.reset();
      onDone();
    });
  });
  return h('section', { class: 'card' }, h('h2', {}, t('inventory.addDevice')), form);
}

export function editDevice(device: DeviceOut, onDone: () => void): void {
  const { inputs, fields } = deviceInputs('edev', device);
  formDialog({
    title: t('inventory.editTitle', { name: device.name }),
    fields,
    wide: true,
    submit: t('common.save'),
    testId: 'device-dialog',
    onSubmit: async () => {
      const made = deviceBody(inputs, device);
      if ('error' in made) return h('p', { class: 'note note-error', role: 'alert' }, made.error);
      const r = await api<DeviceOut>('PATCH', '/api/v1/devices/{id}', `/api/v1/devices/${encodeURIComponent(device.id)}`, { json: made.body });
      if (!r.ok) return errorNote(r);
      onDone();
      return null;
    },
  });
}
