/**
 * Hotspots (#/hotspots, issue 14): what people who run MikroTik hotspots do every day, Mikhmon's work in the city's
 * console. Hotspots with their user profile (rate limit) pushed to the router and the city's fair-use allowance;
 * voucher batches (make, print a sheet with QR codes, revoke); who is online now with a kick; use per day as a chart
 * and per hotspot and ward as tables. Reads and writes only through the API.
 */
import type { PortalUsageOut as UsageOut } from '../../../../core/schemas/portal.ts';
import { qualitySection } from './speed-quality.ts';
import { api, get } from '../../api/client.ts';
import type { MessageKey } from '../../i18n/dict.ts';
import { fmtDateTime, fmtDuration, fmtNumber, t } from '../../i18n/i18n.ts';
import { lineChart } from '../../ui/charts.ts';
import { confirmDialog } from '../../ui/dialog.ts';
import { clear, h, rowActionButton } from '../../ui/dom.ts';
import { emptyNote, errorNote, loadingNote } from '../../ui/notes.ts';
import { may } from '../session.ts';
import type { View } from '../view.ts';

interface HotspotOut {
  id: string;
  identity: string;
  serverAddress: string;
  ssid: string | null;
  userProfile: string | null;
  rateLimit: string | null;
  dailyTimeS: number;
  dailyBytes: number;
  maxDevices: number;
  enabled: boolean;
  profilePushedAt: string | null;
  profilePushError: string | null;
}
interface BatchOut {
  id: string;
  name: string;
  hotspotId: string | null;
  count: number;
  redeemed: number;
  revoked: number;
  validityS: number;
  timeQuotaS: number;
  dataQuotaBytes: number;
  priceIdr: number | null;
  createdAt: string;
  expiresAt: string;
}
interface SessionOut {
  id: string;
  hotspotId: string;
  wardCode: string | null;
  user: string;
  address: string;
  startedAt: string;
  uptimeS: number;
  bytesIn: number;
  bytesOut: number;
}
interface RouterAction {
  done: boolean;
  queued: boolean;
  error: string | null;
}

const REFRESH_MS = 15_000;

function bytes(n: number): string {
  if (n >= 1e9) return `${fmtNumber(n / 1e9, { maxFractionDigits: 2 })} GB`;
  if (n >= 1e6) return `${fmtNumber(n / 1e6, { maxFractionDigits: 1 })} MB`;
  return `${fmtNumber(Math.round(n / 1e3))} kB`;
}

function field(id: string, label: MessageKey, input: HTMLInputElement | HTMLSelectElement, hint?: MessageKey): HTMLElement[] {
  input.id = id;
  const out: HTMLElement[] = [h('label', { for: id }, t(label)), input];
  if (hint !== undefined) out.push(h('small', { class: 'muted span' }, t(hint)));
  return out;
}

function actionNote(r: RouterAction): HTMLElement {
  if (r.done) return h('p', { class: 'note note-ok', role: 'status' }, t('hotspots.routerDone'));
  if (r.queued) return h('p', { class: 'note', role: 'status' }, t('hotspots.routerQueued'));
  return h('p', { class: 'note note-error', role: 'alert' }, t('hotspots.routerFailed', { error: r.error ?? '' }));
}

export const hotspotsView: View = (el, ctx) => {
  const writer = may(ctx.me, 'editDevices');
  let stopped = false;
  let hotspots: HotspotOut[] = [];
  const hotspotName = (id: string | null): string => (id === null ? t('hotspots.allHotspots') : (hotspots.find((x) => x.id === id)?.identity ?? id));

  // What the last action said; kept across the re-render that follows it.
  const hotspotNote = h('div', { 'aria-live': 'polite', 'data-testid': 'hotspot-note' });
  const batchNote = h('div', { 'aria-live': 'polite', 'data-testid': 'batch-note' });
  const hotspotBox = h('section', { class: 'card', 'data-testid': 'hotspot-list' }, h('h2', {}, t('hotspots.list')), loadingNote());
  const voucherBox = h('section', { class: 'card', 'data-testid': 'voucher-batches' }, h('h2', {}, t('hotspots.vouchers')), loadingNote());
  const sessionBox = h('section', { class: 'card', 'data-testid': 'hotspot-sessions' }, h('h2', {}, t('hotspots.online')), loadingNote());
  const usageBox = h('section', { class: 'card', 'data-testid': 'hotspot-usage' }, h('h2', {}, t('hotspots.usage')), loadingNote());
  // Issue 14: what citizens measured with the portal's speed test.
  const quality = qualitySection();
  el.append(h('div', { class: 'toolbar' }, h('h1', {}, t('nav.hotspots'))), h('div', { class: 'page' }, hotspotBox, sessionBox, voucherBox, usageBox, quality.el));
  return mount();

  function mount(): () => void {
    void loadHotspots().then(() => Promise.all([loadBatches(), loadSessions(), loadUsage(), quality.load()]));
    const timer = window.setInterval(() => void loadSessions(), REFRESH_MS);
    return () => {
      stopped = true;
      window.clearInterval(timer);
    };
  }

  async function loadHotspots(): Promise<void> {
    const r = await get<{ items: HotspotOut[] }>('/api/v1/portal/hotspots');
    if (stopped) return;
    const head = h('h2', {}, t('hotspots.list'));
    if (!r.ok) return void hotspotBox.replaceChildren(head, errorNote(r));
    hotspots = r.data.items;
    if (hotspots.length === 0) return void hotspotBox.replaceChildren(head, emptyNote(t('hotspots.none')));
    const canWrite = canEdit();
    const tb = h('tbody', {});
    for (const x of hotspots) {
      const status = h('td', { 'data-testid': 'profile-status' }, x.profilePushError !== null ? h('span', { class: 'warn' }, t('hotspots.pushFailed', { error: x.profilePushError })) : x.profilePushedAt === null ? h('span', { class: 'muted' }, t('hotspots.neverPushed')) : t('hotspots.pushedAt', { at: fmtDateTime(x.profilePushedAt) }));
      const push = canWrite
        ? h(
            'button',
            {
              type: 'button',
              class: 'btn btn-secondary btn-small',
              'data-testid': 'push-profile',
              disabled: x.userProfile === null,
              title: x.userProfile === null ? t('hotspots.needProfile') : '',
              onclick: (ev: Event) => {
                const b = ev.currentTarget as HTMLButtonElement;
                b.disabled = true;
                void api<RouterAction>('POST', '/api/v1/portal/hotspots/{id}/push-profile', `/api/v1/portal/hotspots/${encodeURIComponent(x.id)}/push-profile`, { json: {} }).then((res) => {
                  b.disabled = false;
                  clear(hotspotNote);
                  if (!res.ok) return void hotspotNote.append(errorNote(res));
                  hotspotNote.append(h('strong', {}, `${x.identity}: `), actionNote(res.data));
                  void loadHotspots();
                });
              },
            },
            t('hotspots.pushProfile'),
          )
        : '';
      tb.append(
        h(
          'tr',
          { 'data-hotspot': x.identity },
          h('td', {}, h('strong', {}, x.identity), h('div', { class: 'muted small mono' }, x.serverAddress)),
          h('td', {}, x.ssid ?? '–'),
          h('td', {}, x.userProfile ?? '–', h('div', { class: 'muted small mono' }, x.rateLimit ?? t('hotspots.noRateLimit'))),
          h('td', {}, t('hotspots.allowanceText', { time: fmtDuration(x.dailyTimeS), data: x.dailyBytes > 0 ? bytes(x.dailyBytes) : t('hotspots.unlimited'), n: x.maxDevices })),
          status,
          h('td', {}, push),
        ),
      );
    }
    const thead = h('thead', {}, h('tr', {}, ...(['hotspot', 'ssid', 'profile', 'allowance', 'onRouter', ''] as const).map((k) => h('th', {}, k === '' ? '' : t(`hotspots.col.${k}` as MessageKey)))));
    hotspotBox.replaceChildren(head, h('p', { class: 'muted small' }, t('hotspots.profileHint')), hotspotNote, h('div', { class: 'table-wrap' }, h('table', { class: 'table table-compact', 'data-testid': 'hotspot-table' }, thead, tb)));
  }

  function canEdit(): boolean {
    return writer;
  }

  async function loadBatches(): Promise<void> {
    const r = await get<{ items: BatchOut[] }>('/api/v1/portal/voucher-batches', { limit: 50 });
    if (stopped) return;
    const parts: HTMLElement[] = [h('h2', {}, t('hotspots.vouchers')), batchNote];
    if (!r.ok) return void voucherBox.replaceChildren(...parts, errorNote(r));
    const canWrite = canEdit();
    if (r.data.items.length === 0) parts.push(emptyNote(t('hotspots.noBatches')));
    else {
      const tb = h('tbody', {});
      for (const b of r.data.items) {
        const print = canWrite ? h('a', { class: 'btn btn-secondary btn-small', href: `/api/v1/portal/voucher-batches/${encodeURIComponent(b.id)}/sheet`, target: '_blank', rel: 'noopener', 'data-testid': 'print-sheet' }, t('hotspots.print')) : '';
        const revoke =
          canWrite && b.revoked < b.count
            ? h(
                'button',
                {
                  type: 'button',
                  class: 'btn btn-ghost btn-small',
                  'data-testid': 'revoke-batch',
                  onclick: () =>
                    void confirmDialog({ title: t('hotspots.revokeTitle', { name: b.name }), body: [t('hotspots.revokeBody', { n: b.count - b.revoked })], confirm: t('hotspots.revoke'), danger: true }).then((ok) => {
                      if (!ok) return;
                      void api('POST', '/api/v1/portal/voucher-batches/{id}/revoke', `/api/v1/portal/voucher-batches/${encodeURIComponent(b.id)}/revoke`, { json: { all: true } }).then(() => loadBatches());
                    }),
                },
                t('hotspots.revoke'),
              )
            : '';
        tb.append(
          h(
            'tr',
            { 'data-batch': b.name },
            h('td', {}, b.name),
            h('td', {}, hotspotName(b.hotspotId)),
            h('td', { class: 'num' }, t('hotspots.usedOf', { used: b.redeemed, n: b.count })),
            h('td', { class: 'num' }, b.revoked > 0 ? t('hotspots.revokedN', { n: b.revoked }) : '–'),
            h('td', {}, t('hotspots.batchAllowance', { time: fmtDuration(b.timeQuotaS), data: b.dataQuotaBytes > 0 ? bytes(b.dataQuotaBytes) : t('hotspots.unlimited'), valid: fmtDuration(b.validityS) })),
            h('td', { class: 'num' }, b.priceIdr === null || b.priceIdr === 0 ? t('hotspots.free') : `Rp ${fmtNumber(b.priceIdr)}`),
            h('td', {}, fmtDateTime(b.expiresAt)),
            h('td', {}, print, ' ', revoke),
          ),
        );
      }
      const thead = h('thead', {}, h('tr', {}, ...(['name', 'hotspot', 'used', 'revoked', 'allowance', 'price', 'expires', ''] as const).map((k) => h('th', {}, k === '' ? '' : t(`hotspots.bcol.${k}` as MessageKey)))));
      parts.push(h('div', { class: 'table-wrap' }, h('table', { class: 'table table-compact', 'data-testid': 'batch-table' }, thead, tb)));
    }
    if (canWrite) parts.push(batchForm());
    voucherBox.replaceChildren(...parts);
  }

  function batchForm(): HTMLElement {
    const name = h('input', { required: true, maxlength: 120, 'data-testid': 'batch-name' });
    const hotspot = h('select', { 'data-testid': 'batch-hotspot' }, h('option', { value: '' }, t('hotspots.allHotspots')), ...hotspots.map((x) => h('option', { value: x.id }, x.identity)));
    const count = h('input', { type: 'number', min: 1, max: 1000, value: 30, required: true, 'data-testid': 'batch-count' });
    const hours = h('input', { type: 'number', min: 1, max: 2160, value: 4, required: true, 'data-testid': 'batch-hours' });
    const validDays = h('input', { type: 'number', min: 1, max: 90, value: 1, required: true, 'data-testid': 'batch-valid-days' });
    const dataMb = h('input', { type: 'number', min: 0, value: 0, required: true, 'data-testid': 'batch-data-mb' });
    const expires = h('input', { type: 'number', min: 1, max: 366, value: 90, required: true, 'data-testid': 'batch-expires' });
    const price = h('input', { type: 'number', min: 0, value: 0, 'data-testid': 'batch-price' });
    const ssid = h('input', { maxlength: 32, placeholder: 'Cilegon-WiFi-Gratis', 'data-testid': 'batch-ssid' });
    const loginHost = h('input', { maxlength: 64, placeholder: 'login.wifi', 'data-testid': 'batch-login-host' });
    const out = h('div', { 'aria-live': 'polite', class: 'span' });
    hotspot.addEventListener('change', () => {
      const x = hotspots.find((y) => y.id === hotspot.value);
      if (x?.ssid != null && ssid.value === '') ssid.value = x.ssid;
      loginHost.placeholder = x?.serverAddress ?? 'login.wifi';
    });
    const form = h(
      'form',
      { class: 'form form-grid', 'data-testid': 'batch-form' },
      ...field('batch-name', 'hotspots.f.name', name),
      ...field('batch-hotspot', 'hotspots.f.hotspot', hotspot),
      ...field('batch-count', 'hotspots.f.count', count),
      ...field('batch-hours', 'hotspots.f.hours', hours),
      ...field('batch-valid-days', 'hotspots.f.validDays', validDays, 'hotspots.f.validDaysHint'),
      ...field('batch-data-mb', 'hotspots.f.dataMb', dataMb, 'hotspots.f.dataMbHint'),
      ...field('batch-expires', 'hotspots.f.expires', expires),
      ...field('batch-price', 'hotspots.f.price', price),
      ...field('batch-ssid', 'hotspots.f.ssid', ssid),
      ...field('batch-login-host', 'hotspots.f.loginHost', loginHost, 'hotspots.f.loginHostHint'),
      h('div', { class: 'row span' }, h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'batch-create' }, t('hotspots.makeBatch'))),
      out,
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      clear(out);
      const body = {
        name: name.value.trim(),
        count: Number(count.value),
        hotspotId: hotspot.value === '' ? null : hotspot.value,
        timeQuotaS: Math.round(Number(hours.value) * 3600),
        validityS: Math.round(Number(validDays.value) * 86_400),
        dataQuotaBytes: Math.round(Number(dataMb.value) * 1e6),
        expiresInDays: Number(expires.value),
        priceIdr: Number(price.value) > 0 ? Math.round(Number(price.value)) : null,
        ssid: ssid.value.trim() === '' ? null : ssid.value.trim(),
        loginHost: loginHost.value.trim() === '' ? null : loginHost.value.trim(),
      };
      void api<BatchOut>('POST', '/api/v1/portal/voucher-batches', '/api/v1/portal/voucher-batches', { json: body }).then((r) => {
        if (!r.ok) return void out.append(errorNote(r));
        clear(batchNote);
        batchNote.append(h('p', { class: 'note note-ok', role: 'status', 'data-testid': 'batch-made' }, t('hotspots.batchMade', { name: r.data.name, n: r.data.count })));
        void loadBatches();
      });
    });
    return h('div', {}, h('h3', {}, t('hotspots.makeBatch')), form);
  }

  async function loadSessions(): Promise<void> {
    const r = await get<{ items: SessionOut[] }>('/api/v1/portal/sessions/active', { limit: 500 });
    if (stopped) return;
    const head = h('h2', {}, t('hotspots.online'));
    if (!r.ok) return void sessionBox.replaceChildren(head, errorNote(r));
    if (r.data.items.length === 0) return void sessionBox.replaceChildren(head, emptyNote(t('hotspots.noneOnline')));
    const canWrite = canEdit();
    const byHotspot = new Map<string, SessionOut[]>();
    for (const s of r.data.items) byHotspot.set(s.hotspotId, [...(byHotspot.get(s.hotspotId) ?? []), s]);
    const parts: HTMLElement[] = [head];
    for (const [hid, list] of byHotspot) {
      const tb = h('tbody', {});
      for (const s of list) {
        const out = h('span', { 'aria-live': 'polite' });
        const kick = canWrite
          ? rowActionButton(t('hotspots.kick'), 'kick', (b) => {
              void api<RouterAction & { kicked: number }>('POST', '/api/v1/portal/sessions/{id}/kick', `/api/v1/portal/sessions/${encodeURIComponent(s.id)}/kick`, { json: {} }).then((res) => {
                clear(out);
                if (!res.ok) {
                  b.disabled = false;
                  return void out.append(errorNote(res));
                }
                out.append(actionNote(res.data));
              });
            })
          : '';
        tb.append(h('tr', { 'data-user': s.user }, h('td', { class: 'mono' }, s.user), h('td', { class: 'mono' }, s.address), h('td', { class: 'num' }, fmtDuration(s.uptimeS)), h('td', { class: 'num' }, `${bytes(s.bytesIn)} / ${bytes(s.bytesOut)}`), h('td', {}, kick, out)));
      }
      const thead = h('thead', {}, h('tr', {}, ...(['user', 'address', 'uptime', 'traffic', ''] as const).map((k) => h('th', {}, k === '' ? '' : t(`hotspots.scol.${k}` as MessageKey)))));
      parts.push(h('h3', {}, `${hotspotName(hid)} (${list.length})`), h('div', { class: 'table-wrap' }, h('table', { class: 'table table-compact', 'data-testid': 'session-table' }, thead, tb)));
    }
    sessionBox.replaceChildren(...parts);
  }

  async function loadUsage(): Promise<void> {
    const r = await get<UsageOut>('/api/v1/portal/usage');
    if (stopped) return;
    const parts: HTMLElement[] = [h('h2', {}, t('hotspots.usage'))];
    if (!r.ok) return void usageBox.replaceChildren(...parts, errorNote(r));
    const u = r.data;
    if (u.byHotspot.length === 0) return void usageBox.replaceChildren(...parts, emptyNote(t('hotspots.noUsage', { from: u.from, to: u.to })));
    // Per day: sessions and data across hotspots (unique users per day are per hotspot; summing would count a
    // citizen at two hotspots twice, so the city line is drawn from the wards' figures).
    const days = [...new Set(u.byHotspot.map((x) => x.day))].sort();
    const dayMs = (d: string): number => Date.parse(`${d}T00:00:00+07:00`);
    const usersPerDay = new Map<string, number>();
    for (const w of u.byWard) usersPerDay.set(w.day, (usersPerDay.get(w.day) ?? 0) + w.uniqueUsers);
    const dataPerDay = new Map<string, number>();
    for (const x of u.byHotspot) dataPerDay.set(x.day, (dataPerDay.get(x.day) ?? 0) + x.bytesIn + x.bytesOut);
    const fmtDay = (ms: number): string => new Date(ms + 7 * 3_600_000).toISOString().slice(5, 10);
    parts.push(
      h(
        'div',
        { class: 'grid-2' },
        lineChart(days.map((d) => [dayMs(d), usersPerDay.get(d) ?? 0] as const), { label: t('hotspots.chartUsers'), formatY: (v) => fmtNumber(Math.round(v)), formatX: fmtDay, fill: true }),
        lineChart(days.map((d) => [dayMs(d), (dataPerDay.get(d) ?? 0) / 1e9] as const), { label: t('hotspots.chartData'), formatY: (v) => `${fmtNumber(v, { maxFractionDigits: 1 })} GB`, formatX: fmtDay, fill: true }),
      ),
    );
    const perHotspot = new Map<string, { users: number; sessions: number; uptimeS: number; bytes: number }>();
    for (const x of u.byHotspot) {
      const a = perHotspot.get(x.hotspotId) ?? { users: 0, sessions: 0, uptimeS: 0, bytes: 0 };
      a.users += x.uniqueUsers;
      a.sessions += x.sessions;
      a.uptimeS += x.uptimeS;
      a.bytes += x.bytesIn + x.bytesOut;
      perHotspot.set(x.hotspotId, a);
    }
    const tb = h('tbody', {});
    for (const [hid, a] of [...perHotspot].sort((p, q) => q[1].bytes - p[1].bytes)) {
      tb.append(h('tr', {}, h('td', {}, hotspotName(hid)), h('td', { class: 'num' }, fmtNumber(a.users)), h('td', { class: 'num' }, fmtNumber(a.sessions)), h('td', { class: 'num' }, fmtDuration(a.uptimeS)), h('td', { class: 'num' }, bytes(a.bytes))));
    }
    const thead = h('thead', {}, h('tr', {}, ...(['hotspot', 'userDays', 'sessions', 'time', 'data'] as const).map((k) => h('th', {}, t(`hotspots.ucol.${k}` as MessageKey)))));
    const perWard = new Map<string, number>();
    for (const w of u.byWard) perWard.set(w.wardCode ?? '', (perWard.get(w.wardCode ?? '') ?? 0) + w.uniqueUsers);
    const wb = h('tbody', {});
    for (const [ward, n] of [...perWard].sort((p, q) => q[1] - p[1])) wb.append(h('tr', {}, h('td', {}, ward === '' ? t('hotspots.noWard') : ward), h('td', { class: 'num' }, fmtNumber(n))));
    parts.push(
      h('p', { class: 'muted small' }, t('hotspots.usageWindow', { from: u.from, to: u.to })),
      h('div', { class: 'grid-2' }, h('div', { class: 'table-wrap' }, h('table', { class: 'table table-compact', 'data-testid': 'usage-hotspots' }, thead, tb)), h('div', { class: 'table-wrap' }, h('table', { class: 'table table-compact', 'data-testid': 'usage-wards' }, h('thead', {}, h('tr', {}, h('th', {}, t('hotspots.ucol.ward')), h('th', {}, t('hotspots.ucol.userDays')))), wb))),
    );
    usageBox.replaceChildren(...parts);
  }
};
