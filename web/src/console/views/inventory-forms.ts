/** The add-site and add-device forms; the server validates, its messages are shown as they come. */
import { api, get, hasRoute } from '../../api/client.ts';
import type { Page, SiteOut } from '../../api/types.ts';
import { DEVICE_ROLES, SITE_STATUSES, VENDORS } from '../../api/enums.ts';
import { t } from '../../i18n/i18n.ts';
import type { MessageKey } from '../../i18n/dict.ts';
import { clear, h } from '../../ui/dom.ts';
import { errorNote } from '../../ui/notes.ts';

function field(id: string, label: string, input: HTMLElement): HTMLElement[] {
  input.id = id;
  return [h('label', { for: id }, label), input];
}

function numberOrNull(v: string): number | null {
  const s = v.trim();
  if (s === '') return null;
  const n = Number(s.replace(',', '.'));
  return Number.isFinite(n) ? n : NaN;
}

export function siteForm(onDone: () => void): HTMLElement {
  const name = h('input', { required: true, maxlength: 160, 'data-testid': 'site-name' });
  const lat = h('input', { required: true, inputmode: 'decimal', placeholder: '-6.0169', 'data-testid': 'site-lat' });
  const lon = h('input', { required: true, inputmode: 'decimal', placeholder: '106.0539', 'data-testid': 'site-lon' });
  const status = h('select', {}, ...SITE_STATUSES.map((s) => h('option', { value: s }, t(`siteStatus.${s}` as MessageKey))));
  const provider = h('input', { maxlength: 120 });
  const mbps = h('input', { inputmode: 'decimal' });
  const out = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'form form-grid' },
    ...field('site-name', t('inventory.name'), name),
    ...field('site-lat', t('inventory.lat'), lat),
    ...field('site-lon', t('inventory.lon'), lon),
    ...field('site-status', t('inventory.status'), status),
    ...field('site-provider', t('inventory.provider'), provider),
    ...field('site-mbps', t('inventory.contractedMbps'), mbps),
    h('div', { class: 'row span' }, h('button', { type: 'submit', class: 'btn btn-primary' }, t('inventory.addSite'))),
    out,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clear(out);
    const body = {
      name: name.value.trim(),
      lat: numberOrNull(lat.value),
      lon: numberOrNull(lon.value),
      status: status.value,
      provider: provider.value.trim() || null,
      contractedMbps: numberOrNull(mbps.value),
    };
    void api<SiteOut>('POST', '/api/v1/sites', '/api/v1/sites', { json: body }).then((r) => {
      if (!r.ok) return void out.append(errorNote(r));
      out.append(h('p', { class: 'note note-ok', role: 'status' }, '✓ ', r.data.outsideCity ? t('inventory.siteAddedOutside', { name: r.data.name }) : t('inventory.siteAdded', { name: r.data.name, ward: r.data.wardCode ?? '–' })));
      form.reset();
      onDone();
    });
  });
  return h('section', { class: 'card' }, h('h3', {}, t('inventory.addSite')), form);
}

export function deviceForm(onDone: () => void): HTMLElement {
  const name = h('input', { required: true, maxlength: 160 });
  const role = h('select', {}, ...DEVICE_ROLES.map((r) => h('option', { value: r }, t(`deviceRole.${r}` as MessageKey))));
  const address = h('input', { required: true, placeholder: '10.20.0.11' });
  const site = h('select', {}, h('option', { value: '' }, t('inventory.noSiteChoice')));
  const vendor = h('select', {}, h('option', { value: '' }, t('inventory.detect')), ...VENDORS.map((v) => h('option', { value: v }, v)));
  const community = h('input', { type: 'password', autocomplete: 'off' });
  const snmpPort = h('input', { inputmode: 'numeric', placeholder: '161' });
  const radius = h('input', { inputmode: 'numeric', placeholder: '100' });
  const interval = h('input', { inputmode: 'numeric', value: '60' });
  const out = h('div', { 'aria-live': 'polite' });
  // Discovery: ask the device at this address what it is, and fill in the vendor (and the name when empty).
  const discoverOut = h('span', { class: 'muted small', 'aria-live': 'polite', 'data-testid': 'discover-result' });
  const discover = h('button', { type: 'button', class: 'btn btn-ghost btn-small', hidden: true, 'data-testid': 'discover' }, t('inventory.discover'));
  void hasRoute('POST', '/api/v1/devices/discover').then((has) => {
    discover.hidden = !has;
  });
  discover.addEventListener('click', () => {
    clear(out);
    if (address.value.trim() === '' || community.value === '') {
      discoverOut.textContent = t('inventory.discoverNeeds');
      return;
    }
    discover.disabled = true;
    discoverOut.textContent = t('common.loading');
    const port = numberOrNull(snmpPort.value);
    void api<{ vendor: string; model: string | null; version: string | null; sysName: string | null }>('POST', '/api/v1/devices/discover', '/api/v1/devices/discover', {
      json: { address: address.value.trim(), snmp: { community: community.value, ...(port === null ? {} : { port }) } },
    }).then((r) => {
      discover.disabled = false;
      if (!r.ok) {
        discoverOut.textContent = '';
        out.append(errorNote(r));
        return;
      }
      vendor.value = r.data.vendor;
      // Recordings and privacy-minded devices answer placeholders such as "<private>": not a name.
      if (name.value.trim() === '' && r.data.sysName !== null && !/^<.*>$/.test(r.data.sysName)) name.value = r.data.sysName;
      discoverOut.textContent = `✓ ${[r.data.vendor, r.data.model, r.data.version].filter((x) => x !== null && x !== '').join(' · ')}`;
    });
  });
  void get<Page<SiteOut>>('/api/v1/sites', { limit: 1000 }).then((r) => {
    if (!r.ok) return;
    for (const s of [...r.data.items].sort((a, b) => a.name.localeCompare(b.name))) site.append(h('option', { value: s.id }, s.name));
  });
  const form = h(
    'form',
    { class: 'form form-grid' },
    ...field('dev-name', t('inventory.name'), name),
    ...field('dev-role', t('inventory.role'), role),
    ...field('dev-address', t('inventory.address'), address),
    ...field('dev-site', t('inventory.site'), site),
    ...field('dev-vendor', t('inventory.vendor'), vendor),
    ...field('dev-community', t('inventory.snmpCommunity'), community),
    ...field('dev-port', t('inventory.snmpPort'), snmpPort),
    h('div', { class: 'row span' }, discover, discoverOut),
    ...field('dev-radius', t('inventory.radiusM'), radius),
    ...field('dev-interval', t('inventory.pollIntervalS'), interval),
    h('div', { class: 'row span' }, h('button', { type: 'submit', class: 'btn btn-primary' }, t('inventory.addDevice'))),
    out,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clear(out);
    const port = numberOrNull(snmpPort.value);
    const r = numberOrNull(radius.value);
    const body: Record<string, unknown> = {
      name: name.value.trim(),
      role: role.value,
      address: address.value.trim(),
      siteId: site.value === '' ? null : site.value,
      pollIntervalS: numberOrNull(interval.value) ?? 60,
    };
    if (vendor.value !== '') body.vendor = vendor.value;
    if (community.value !== '') body.snmp = { community: community.value, ...(port === null ? {} : { port }) };
    if (r !== null) body.coverage = { radiusM: r };
    void api<{ name: string }>('POST', '/api/v1/devices', '/api/v1/devices', { json: body }).then((res) => {
      if (!res.ok) return void out.append(errorNote(res));
      out.append(h('p', { class: 'note note-ok', role: 'status' }, '✓ ', t('inventory.deviceAdded', { name: res.data.name })));
      form.reset();
      onDone();
    });
  });
  return h('section', { class: 'card' }, h('h3', {}, t('inventory.addDevice')), form);
}
