/**
 * The SMS/WhatsApp gateway of the portal's one-time codes (issue 14), admins only: start from a preset (Zenziva,
 * Fonnte, Wablas) or describe any HTTP gateway (URL, method, headers, body template, success test), set the price and
 * the daily cap, send a test, and read each message's delivery status. Header values and template secrets are
 * write-only: the server says only that they are set.
 */
import { api, get, hasRoute } from '../../api/client.ts';
import { fmtDateTime, fmtNumber, t } from '../../i18n/i18n.ts';
import type { MessageKey } from '../../i18n/dict.ts';
import { clear, h } from '../../ui/dom.ts';
import { emptyNote, errorNote, loadingNote, notAvailableNote } from '../../ui/notes.ts';

interface NamedSet { name: string; set: boolean }
interface HttpSms {
  kind: 'http';
  preset: string;
  url: string;
  method: 'POST' | 'GET';
  contentType: 'form' | 'json';
  bodyTemplate: string;
  phoneFormat: 'e164' | 'international' | 'national';
  successStatusMin: number;
  successStatusMax: number;
  successBodyMatch: string | null;
  timeoutMs: number;
  pricePerMessageIdr: number;
  dailyCapIdr: number | null;
  headers: NamedSet[];
  secrets: NamedSet[];
}
interface Settings { sms: { kind: 'outbox' } | HttpSms }
interface Preset { id: string; label: string; url: string; method: 'POST' | 'GET'; contentType: 'form' | 'json'; bodyTemplate: string; phoneFormat: HttpSms['phoneFormat']; successStatusMin: number; successStatusMax: number; successBodyMatch: string | null; headerNames: string[]; secretNames: string[]; note: string }
interface Status {
  today: { day: string; gateway: 'outbox' | 'http'; counted: number; sent: number; failed: number; queued: number; costIdr: number; pricePerMessageIdr: number | null; dailyCapIdr: number | null; capReached: boolean };
  items: Array<{ id: string; purpose: string; status: 'queued' | 'sent' | 'failed'; attempts: number; lastError: string | null; createdAt: string; sentAt: string | null; nextAttemptAt: string | null }>;
}

const ROWS = 3;

function field(id: string, label: MessageKey, input: HTMLElement): HTMLElement[] {
  return [h('label', { for: id }, t(label)), input];
}

function select(id: string, options: Array<[string, string]>, value: string): HTMLSelectElement {
  const s = h('select', { id, 'data-testid': id });
  for (const [v, label] of options) s.append(h('option', { value: v, selected: v === value }, label));
  return s;
}

/** Name + value rows; a value left empty keeps what is stored (shown as "set"). */
function secretRows(prefix: string, stored: NamedSet[], names: string[]): { el: HTMLElement; read: () => Array<{ name: string; value?: string }> } {
  const list = [...new Set([...stored.map((s) => s.name), ...names])];
  while (list.length < ROWS) list.push('');
  const rows = list.map((name, i) => {
    const isSet = stored.some((s) => s.name === name);
    const n = h('input', { type: 'text', value: name, maxlength: 64, 'aria-label': t('sms.secretName'), 'data-testid': `${prefix}-name-${i}` });
    const v = h('input', { type: 'password', autocomplete: 'new-password', maxlength: 1000, 'aria-label': t('sms.secretValue'), placeholder: isSet ? t('sms.secretKept') : '', 'data-testid': `${prefix}-value-${i}` });
    return { n, v, el: h('div', { class: 'inline-pair' }, n, v) };
  });
  return {
    el: h('div', {}, ...rows.map((r) => r.el)),
    read: () => rows.filter((r) => r.n.value.trim() !== '').map((r) => (r.v.value === '' ? { name: r.n.value.trim() } : { name: r.n.value.trim(), value: r.v.value })),
  };
}

export function smsTab(el: HTMLElement): void {
  const formSlot = h('div', {}, loadingNote());
  const statusSlot = h('div', {}, loadingNote());
  el.append(
    h('section', { class: 'card' }, h('h2', {}, t('sms.title')), h('p', { class: 'muted' }, t('sms.intro')), formSlot),
    h('section', { class: 'card' }, h('h2', {}, t('sms.statusTitle')), statusSlot),
  );

  async function loadForm(presetId?: string): Promise<void> {
    if (!(await hasRoute('GET', '/api/v1/portal/sms/presets'))) {
      formSlot.replaceChildren(notAvailableNote());
      return;
    }
    const [s, p] = await Promise.all([get<Settings>('/api/v1/portal/settings'), get<{ items: Preset[] }>('/api/v1/portal/sms/presets')]);
    if (!s.ok) return void formSlot.replaceChildren(errorNote(s));
    if (!p.ok) return void formSlot.replaceChildren(errorNote(p));
    const cur = s.data.sms.kind === 'http' ? s.data.sms : null;
    const preset = presetId === undefined ? null : (p.data.items.find((x) => x.id === presetId) ?? null);
    const base = preset ?? cur;
    const kind = select('sms-kind', [['outbox', t('sms.kindOutbox')], ['http', t('sms.kindHttp')]], presetId !== undefined || cur !== null ? 'http' : 'outbox');
    const presetSel = select('sms-preset', [['custom', t('sms.presetCustom')], ...p.data.items.map((x): [string, string] => [x.id, x.label])], presetId ?? cur?.preset ?? 'custom');
    presetSel.addEventListener('change', () => void loadForm(presetSel.value === 'custom' ? undefined : presetSel.value));
    const url = h('input', { id: 'sms-url', type: 'url', maxlength: 500, value: base?.url ?? '', 'data-testid': 'sms-url' });
    const method = select('sms-method', [['POST', 'POST'], ['GET', 'GET']], base?.method ?? 'POST');
    const ctype = select('sms-ctype', [['form', t('sms.form')], ['json', 'JSON']], base?.contentType ?? 'json');
    const template = h('textarea', { id: 'sms-template', rows: 3, maxlength: 2000, 'data-testid': 'sms-template' }, base?.bodyTemplate ?? '{"to":"{phone}","text":"{message}"}');
    const phone = select('sms-phone-format', [['e164', '+62812...'], ['international', '62812...'], ['national', '0812...']], base?.phoneFormat ?? 'e164');
    const smin = h('input', { id: 'sms-smin', type: 'number', min: 100, max: 599, value: base?.successStatusMin ?? 200 });
    const smax = h('input', { id: 'sms-smax', type: 'number', min: 100, max: 599, value: base?.successStatusMax ?? 299, 'aria-label': t('sms.statusMax') });
    const match = h('input', { id: 'sms-match', type: 'text', maxlength: 200, value: base?.successBodyMatch ?? '', 'data-testid': 'sms-match' });
    const timeout = h('input', { id: 'sms-timeout', type: 'number', min: 200, max: 30000, value: cur?.timeoutMs ?? 5000 });
    const price = h('input', { id: 'sms-price', type: 'number', min: 0, max: 100000, value: cur?.pricePerMessageIdr ?? 0, 'data-testid': 'sms-price' });
    const cap = h('input', { id: 'sms-cap', type: 'number', min: 0, value: cur?.dailyCapIdr ?? '', placeholder: t('sms.noCap'), 'data-testid': 'sms-cap' });
    const headers = secretRows('sms-header', cur?.headers ?? [], preset?.headerNames ?? []);
    const secrets = secretRows('sms-secret', cur?.secrets ?? [], preset?.secretNames ?? []);
    const out = h('div', { 'aria-live': 'polite' });
    const form = h('form', { class: 'form form-grid', 'data-testid': 'sms-form', onsubmit: (e: Event) => {
      e.preventDefault();
      void (async () => {
        clear(out);
        const sms = kind.value === 'outbox'
          ? { kind: 'outbox' }
          : {
            kind: 'http',
            preset: presetSel.value,
            url: url.value,
            method: method.value,
            contentType: ctype.value,
            bodyTemplate: template.value,
            phoneFormat: phone.value,
            successStatusMin: Number(smin.value),
            successStatusMax: Number(smax.value),
            successBodyMatch: match.value === '' ? null : match.value,
            timeoutMs: Number(timeout.value),
            pricePerMessageIdr: Number(price.value),
            dailyCapIdr: cap.value === '' ? null : Number(cap.value),
            headers: headers.read(),
            secrets: secrets.read(),
          };
        const r = await api<Settings>('PUT', '/api/v1/portal/settings', '/api/v1/portal/settings', { json: { sms } });
        if (!r.ok) return void out.append(errorNote(r));
        out.append(h('p', { class: 'note', role: 'status', 'data-testid': 'sms-saved' }, t('sms.saved')));
        void loadStatus();
      })();
    } },
    ...field('sms-kind', 'sms.kind', kind),
    ...field('sms-preset', 'sms.preset', presetSel),
    preset === null ? null : h('p', { class: 'muted small span' }, preset.note),
    ...field('sms-url', 'sms.url', url),
    ...field('sms-method', 'sms.method', method),
    ...field('sms-ctype', 'sms.contentType', ctype),
    ...field('sms-template', 'sms.template', template),
    h('p', { class: 'muted small span' }, t('sms.templateHint')),
    ...field('sms-phone-format', 'sms.phoneFormat', phone),
    h('label', { for: 'sms-smin' }, t('sms.successStatus')), h('div', { class: 'inline-pair' }, smin, smax),
    ...field('sms-match', 'sms.bodyMatch', match),
    ...field('sms-timeout', 'sms.timeout', timeout),
    h('span', {}, t('sms.headers')), headers.el,
    h('span', {}, t('sms.secrets')), secrets.el,
    ...field('sms-price', 'sms.price', price),
    ...field('sms-cap', 'sms.cap', cap),
    h('div', { class: 'span' }, h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'sms-save' }, t('common.save'))),
    out);
    const testPhone = h('input', { id: 'sms-test-phone', type: 'tel', maxlength: 20, placeholder: '0812 3456 7890', 'data-testid': 'sms-test-phone' });
    const testOut = h('div', { 'aria-live': 'polite' });
    const test = h('form', { class: 'form form-grid', onsubmit: (e: Event) => {
      e.preventDefault();
      void (async () => {
        clear(testOut);
        const r = await api<{ status: string; reason: string | null }>('POST', '/api/v1/portal/sms/test', '/api/v1/portal/sms/test', { json: { phone: testPhone.value } });
        if (!r.ok) return void testOut.append(errorNote(r));
        testOut.append(h('p', { class: 'note', role: 'status', 'data-testid': 'sms-test-result' }, t(`sms.st.${r.data.status}` as MessageKey), r.data.reason === null ? '' : ` (${r.data.reason})`));
        void loadStatus();
      })();
    } }, ...field('sms-test-phone', 'sms.testPhone', testPhone), h('div', { class: 'span' }, h('button', { type: 'submit', class: 'btn btn-secondary', 'data-testid': 'sms-test' }, t('sms.test'))), testOut);
    formSlot.replaceChildren(form, h('h3', {}, t('sms.testTitle')), test);
  }

  async function loadStatus(): Promise<void> {
    if (!(await hasRoute('GET', '/api/v1/portal/sms/messages'))) return void statusSlot.replaceChildren(notAvailableNote());
    const r = await get<Status>('/api/v1/portal/sms/messages', { limit: 50 });
    if (!r.ok) return void statusSlot.replaceChildren(errorNote(r));
    const d = r.data.today;
    const summary = h('p', { 'data-testid': 'sms-today' },
      d.gateway === 'outbox' ? t('sms.outboxNote') : t('sms.today', { sent: d.sent, queued: d.queued, failed: d.failed, cost: fmtNumber(d.costIdr) }),
      d.dailyCapIdr === null ? '' : ` ${t('sms.capOf', { cap: fmtNumber(d.dailyCapIdr) })}`);
    const parts: HTMLElement[] = [summary];
    if (d.capReached) parts.push(h('p', { class: 'err', role: 'alert', 'data-testid': 'sms-cap-reached' }, t('sms.capReached')));
    if (r.data.items.length === 0) parts.push(emptyNote(t('sms.none')));
    else {
      const tb = h('tbody', {});
      for (const m of r.data.items) {
        const state = m.status === 'queued' && m.nextAttemptAt !== null ? `${t('sms.st.queued')} · ${t('sms.nextAt', { at: fmtDateTime(m.nextAttemptAt) })}` : t(`sms.st.${m.status}` as MessageKey);
        tb.append(h('tr', {}, h('td', {}, fmtDateTime(m.createdAt)), h('td', {}, m.purpose), h('td', {}, state), h('td', {}, String(m.attempts)), h('td', {}, m.lastError ?? '')));
      }
      parts.push(h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('sms.statusTitle') },
        h('table', { class: 'table table-compact table-stack', 'data-testid': 'sms-messages' },
          h('thead', {}, h('tr', {}, ...(['sms.at', 'sms.purpose', 'sms.state', 'sms.attempts', 'sms.reason'] as MessageKey[]).map((k) => h('th', { scope: 'col' }, t(k))))),
          tb)));
    }
    statusSlot.replaceChildren(...parts);
  }

  void loadForm();
  void loadStatus();
}
