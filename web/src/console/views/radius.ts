/**
 * RADIUS (#/radius): the server's figures (requests, accepts, rejects, drops by reason, response time), the NAS
 * clients (add, remove; secrets never shown), open RADIUS sessions with a kick, and the Disconnect/CoA answers.
 * Issue 13 will fold this into the wider console; the view only reads and writes through the API.
 */
import { api, get } from '../../api/client.ts';
import { fmtDateTime, fmtDuration, fmtNumber, t } from '../../i18n/i18n.ts';
import type { MessageKey } from '../../i18n/dict.ts';
import { clear, h, rowActionButton } from '../../ui/dom.ts';
import { emptyNote, errorNote, loadingNote } from '../../ui/notes.ts';
import { may } from '../session.ts';
import type { View } from '../view.ts';

interface RadiusStats {
  servers: Array<{ node: string; lastMinute: string }>;
  totals: { authRequests: number; accepts: number; rejects: number; acctRequests: number; statusRequests: number; duplicates: number; dropped: number } | null;
  drops: Record<string, number>;
  responseTime: { count: number; meanMs: number; maxMs: number; p50Ms: number | null; p95Ms: number | null; p99Ms: number | null } | null;
  note: string | null;
}
interface NasClientOut {
  id: string;
  name: string;
  address: string;
  vendor: string;
  hotspotId: string;
  requireMessageAuthenticator: boolean;
  macAuthDays: number;
  enabled: boolean;
  lastSeenAt: string | null;
}
interface HotspotOut {
  id: string;
  identity: string;
}
interface SessionOut {
  id: string;
  clientName: string | null;
  user: string;
  address: string | null;
  startedAt: string;
  uptimeS: number;
  bytesIn: number;
  bytesOut: number;
}
interface CoaOut {
  id: string;
  clientName: string | null;
  kind: string;
  reason: string;
  status: string;
  requestedAt: string;
  answer: string | null;
  errorCauseName: string | null;
  error: string | null;
}

const VENDORS = ['mikrotik', 'coova', 'pfsense', 'wispr', 'standard'] as const;
const REFRESH_MS = 15_000;

function figure(label: string, value: string, testId: string): HTMLElement {
  return h('div', { class: 'figure', 'data-testid': testId }, h('span', { class: 'figure-value' }, value), h('span', { class: 'figure-label' }, label));
}

/** The dictionary's words for a server value (a drop reason, a vendor); the value itself when it has none. */
function label(prefix: string, key: string): string {
  const text = t(`${prefix}.${key}` as MessageKey) as string | undefined;
  return text ?? key;
}

function bytes(n: number): string {
  if (n >= 1e9) return `${fmtNumber(n / 1e9, { maxFractionDigits: 2 })} GB`;
  if (n >= 1e6) return `${fmtNumber(n / 1e6, { maxFractionDigits: 1 })} MB`;
  return `${fmtNumber(Math.round(n / 1e3))} kB`;
}

export const radiusView: View = (el, ctx) => {
  const canWrite = may(ctx.me, 'editDevices');
  let stopped = false;
  const statsBox = h('section', { class: 'card', 'data-testid': 'radius-stats' }, h('h2', {}, t('radius.figures')), loadingNote());
  const clientsBox = h('section', { class: 'card', 'data-testid': 'radius-clients' }, h('h2', {}, t('radius.clients')), loadingNote());
  const sessionsBox = h('section', { class: 'card', 'data-testid': 'radius-sessions' }, h('h2', {}, t('radius.sessions')), loadingNote());
  const coaBox = h('section', { class: 'card', 'data-testid': 'radius-coa' }, h('h2', {}, t('radius.disconnects')), loadingNote());
  // One card per row: the NAS client table (seven columns and its actions) does not fit half the page.
  el.append(h('div', { class: 'toolbar' }, h('h1', {}, t('nav.radius')), h('span', { class: 'muted small' }, t('radius.window'))), h('div', { class: 'page' }, statsBox, clientsBox, sessionsBox, coaBox));

  async function loadStats(): Promise<void> {
    const r = await get<RadiusStats>('/api/v1/radius/stats', { minutes: 60 });
    if (stopped) return;
    const body: HTMLElement[] = [h('h2', {}, t('radius.figures'))];
    if (!r.ok) return void statsBox.replaceChildren(...body, errorNote(r));
    const s = r.data;
    if (s.totals === null) return void statsBox.replaceChildren(...body, emptyNote(t('radius.noData')));
    const rt = s.responseTime;
    const ms = (v: number | null | undefined): string => (v === null || v === undefined ? '–' : `≤ ${fmtNumber(v, { maxFractionDigits: 1 })} ms`);
    body.push(
      h(
        'div',
        { class: 'figures' },
        figure(t('radius.requests'), fmtNumber(s.totals.authRequests), 'radius-requests'),
        figure(t('radius.accepts'), fmtNumber(s.totals.accepts), 'radius-accepts'),
        figure(t('radius.rejects'), fmtNumber(s.totals.rejects), 'radius-rejects'),
        figure(t('radius.dropped'), fmtNumber(s.totals.dropped), 'radius-dropped'),
        figure(t('radius.accounting'), fmtNumber(s.totals.acctRequests), 'radius-acct'),
        figure('p50', ms(rt?.p50Ms), 'radius-p50'),
        figure('p99', ms(rt?.p99Ms), 'radius-p99'),
      ),
    );
    const reasons = Object.entries(s.drops).sort((a, b) => b[1] - a[1]);
    if (reasons.length > 0) {
      const tb = h('tbody', {});
      for (const [reason, n] of reasons) tb.append(h('tr', {}, h('td', {}, label('radius.drop', reason)), h('td', { class: 'mono muted' }, reason), h('td', { class: 'num' }, fmtNumber(n))));
      body.push(h('h3', {}, t('radius.dropsByReason')), h('div', { class: 'table-wrap' }, h('table', { class: 'table table-compact', 'data-testid': 'radius-drops' }, tb)));
    }
    body.push(h('p', { class: 'muted small' }, t('radius.servers', { list: s.servers.map((x) => `${x.node} (${fmtDateTime(x.lastMinute)})`).join(', ') })));
    statsBox.replaceChildren(...body);
  }

  async function loadClients(): Promise<void> {
    const [r, hs] = await Promise.all([get<{ items: NasClientOut[] }>('/api/v1/radius/clients'), get<{ items: HotspotOut[] }>('/api/v1/portal/hotspots')]);
    if (stopped) return;
    const head = h('h2', {}, t('radius.clients'));
    if (!r.ok) return void clientsBox.replaceChildren(head, errorNote(r));
    const hotspots = hs.ok ? hs.data.items : [];
    const hotspotName = new Map(hotspots.map((x) => [x.id, x.identity]));
    const parts: HTMLElement[] = [head];
    if (r.data.items.length === 0) parts.push(emptyNote(t('radius.noClients')));
    else {
      const tb = h('tbody', {});
      for (const c of r.data.items) {
        const del = canWrite
          ? h('button', { type: 'button', class: 'btn btn-ghost btn-small', onclick: () => void api('DELETE', '/api/v1/radius/clients/{id}', `/api/v1/radius/clients/${encodeURIComponent(c.id)}`).then(() => loadClients()) }, t('radius.remove'))
          : '';
        tb.append(
          h(
            'tr',
            { 'data-client': c.name },
            h('td', {}, c.name),
            h('td', { class: 'mono' }, c.address),
            h('td', {}, label('radius.vendor', c.vendor)),
            h('td', {}, hotspotName.get(c.hotspotId) ?? c.hotspotId),
            h('td', {}, c.requireMessageAuthenticator ? t('radius.maRequired') : h('strong', { class: 'warn' }, t('radius.maLegacy'))),
            h('td', { class: 'muted' }, c.lastSeenAt === null ? t('radius.neverSeen') : fmtDateTime(c.lastSeenAt)),
            h('td', {}, del),
          ),
        );
      }
      const thead = h('thead', {}, h('tr', {}, ...['name', 'address', 'vendor', 'hotspot', 'messageAuthenticator', 'lastSeen', ''].map((k) => h('th', {}, k === '' ? '' : t(`radius.col.${k}` as MessageKey)))));
      parts.push(h('div', { class: 'table-wrap' }, h('table', { class: 'table table-compact', 'data-testid': 'radius-client-table' }, thead, tb)));
    }
    if (canWrite) parts.push(clientForm(hotspots));
    clientsBox.replaceChildren(...parts);
  }

  function clientForm(hotspots: HotspotOut[]): HTMLElement {
    const name = h('input', { required: true, maxlength: 120, 'data-testid': 'nas-name' });
    const address = h('input', { required: true, placeholder: '10.5.50.1', 'data-testid': 'nas-address' });
    const secret = h('input', { type: 'password', required: true, autocomplete: 'new-password', minlength: 12, 'data-testid': 'nas-secret' });
    const vendor = h('select', { 'data-testid': 'nas-vendor' }, ...VENDORS.map((v) => h('option', { value: v }, label('radius.vendor', v))));
    const hotspot = h('select', { 'data-testid': 'nas-hotspot' }, ...hotspots.map((x) => h('option', { value: x.id }, x.identity)));
    const legacy = h('input', { type: 'checkbox', id: 'nas-legacy' });
    const out = h('div', { 'aria-live': 'polite' });
    const f = (id: string, text: string, input: HTMLElement): HTMLElement[] => {
      input.id = id;
      return [h('label', { for: id }, text), input];
    };
    const form = h(
      'form',
      { class: 'form form-grid' },
      ...f('nas-name', t('radius.col.name'), name),
      ...f('nas-address', t('radius.col.address'), address),
      ...f('nas-secret', t('radius.secret'), secret),
      ...f('nas-vendor', t('radius.col.vendor'), vendor),
      ...f('nas-hotspot', t('radius.col.hotspot'), hotspot),
      h('label', { class: 'check span', for: 'nas-legacy' }, legacy, ' ', t('radius.legacyNoMa')),
      h('div', { class: 'row span' }, h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'nas-add' }, t('radius.addClient'))),
      out,
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      clear(out);
      const body = { name: name.value.trim(), address: address.value.trim(), secret: secret.value, vendor: vendor.value, hotspotId: hotspot.value, requireMessageAuthenticator: !legacy.checked };
      void api('POST', '/api/v1/radius/clients', '/api/v1/radius/clients', { json: body }).then((r) => {
        if (!r.ok) return void out.append(errorNote(r));
        void loadClients();
      });
    });
    return h('div', {}, h('h3', {}, t('radius.addClient')), hotspots.length === 0 ? emptyNote(t('radius.needHotspot')) : form);
  }

  async function loadSessions(): Promise<void> {
    const r = await get<{ items: SessionOut[] }>('/api/v1/radius/sessions', { open: 'true', limit: 100 });
    if (stopped) return;
    const head = h('h2', {}, t('radius.sessions'));
    if (!r.ok) return void sessionsBox.replaceChildren(head, errorNote(r));
    if (r.data.items.length === 0) return void sessionsBox.replaceChildren(head, emptyNote(t('radius.noSessions')));
    const tb = h('tbody', {});
    for (const s of r.data.items) {
      const kick = canWrite
        ? rowActionButton(t('radius.kick'), 'kick', () => {
            void api('POST', '/api/v1/radius/sessions/{id}/disconnect', `/api/v1/radius/sessions/${encodeURIComponent(s.id)}/disconnect`, { json: { waitMs: 3000 } }).then(() => Promise.all([loadSessions(), loadCoa()]));
          })
        : '';
      tb.append(h('tr', {}, h('td', { class: 'mono' }, s.user), h('td', {}, s.clientName ?? '–'), h('td', { class: 'mono' }, s.address ?? '–'), h('td', { class: 'num' }, fmtDuration(s.uptimeS)), h('td', { class: 'num' }, `${bytes(s.bytesIn)} / ${bytes(s.bytesOut)}`), h('td', {}, kick)));
    }
    const thead = h('thead', {}, h('tr', {}, ...['user', 'client', 'address', 'uptime', 'traffic', ''].map((k) => h('th', {}, k === '' ? '' : t(`radius.col.${k}` as MessageKey)))));
    sessionsBox.replaceChildren(head, h('div', { class: 'table-wrap' }, h('table', { class: 'table table-compact' }, thead, tb)));
  }

  async function loadCoa(): Promise<void> {
    const r = await get<{ items: CoaOut[] }>('/api/v1/radius/disconnects', { limit: 20 });
    if (stopped) return;
    const head = h('h2', {}, t('radius.disconnects'));
    if (!r.ok) return void coaBox.replaceChildren(head, errorNote(r));
    if (r.data.items.length === 0) return void coaBox.replaceChildren(head, emptyNote(t('radius.noDisconnects')));
    const tb = h('tbody', {});
    for (const q of r.data.items) {
      const answer = q.answer ?? (q.status === 'timeout' ? t('radius.noAnswer') : label('radius.status', q.status));
      tb.append(h('tr', {}, h('td', {}, fmtDateTime(q.requestedAt)), h('td', {}, q.clientName ?? '–'), h('td', {}, label('radius.reason', q.reason)), h('td', {}, answer, q.errorCauseName === null ? '' : h('span', { class: 'muted' }, ` (${q.errorCauseName})`))));
    }
    const thead = h('thead', {}, h('tr', {}, ...['time', 'client', 'reason', 'answer'].map((k) => h('th', {}, t(`radius.col.${k}` as MessageKey)))));
    coaBox.replaceChildren(head, h('div', { class: 'table-wrap' }, h('table', { class: 'table table-compact', 'data-testid': 'radius-coa-table' }, thead, tb)));
  }

  const all = (): void => void Promise.all([loadStats(), loadClients(), loadSessions(), loadCoa()]);
  all();
  const timer = window.setInterval(() => void Promise.all([loadStats(), loadSessions(), loadCoa()]), REFRESH_MS);
  return () => {
    stopped = true;
    window.clearInterval(timer);
  };
};
