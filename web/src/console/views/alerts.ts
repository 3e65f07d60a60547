/**
 * Alert channels: where incident start, end and acknowledgement messages go (a webhook, a Telegram group, e-mail),
 * each with its filters (wards, lowest severity, events), a "send test" button and what was last sent.
 * Secrets are typed once and never shown again.
 */
import { api, get } from '../../api/client.ts';
import type { AlertEvent, ChannelKind, ChannelOut, WardOut } from '../../api/types.ts';
import { fmtDateTime, t } from '../../i18n/i18n.ts';
import type { MessageKey } from '../../i18n/dict.ts';
import { confirmDialog, formDialog } from '../../ui/dialog.ts';
import { clear, h, type Child } from '../../ui/dom.ts';
import { emptyNote, errorNote, loadingNote } from '../../ui/notes.ts';
import { fetchAll } from '../data/fetch-all.ts';
import type { View } from '../view.ts';

const KINDS: readonly ChannelKind[] = ['telegram', 'email', 'webhook'];
const EVENTS: readonly AlertEvent[] = ['opened', 'closed', 'acknowledged'];

function labelled(id: string, label: string, input: HTMLElement, hint?: string): Child[] {
  input.id = id;
  return [h('label', { for: id }, label), hint === undefined ? input : h('div', {}, input, h('p', { class: 'muted small hint' }, hint))];
}

function channelForm(kind: ChannelKind, wards: WardOut[], existing: ChannelOut | null, done: () => void): void {
  const s = (existing?.settings ?? {}) as Record<string, unknown>;
  const str = (k: string): string => (typeof s[k] === 'string' ? (s[k] as string) : '');
  const name = h('input', { required: true, maxlength: 120, value: existing?.name ?? '', 'data-testid': 'ch-name' });
  const fields: Child[] = [...labelled('ch-name', t('alerts.name'), name)];
  const inputs: Record<string, HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement> = {};
  const secretHint = existing?.secretSet === true ? t('alerts.secretKept') : undefined;
  if (kind === 'telegram') {
    inputs.chatId = h('input', { required: true, value: str('chatId'), placeholder: '-1001234567890', 'data-testid': 'ch-chat' });
    inputs.apiBaseUrl = h('input', { type: 'url', value: str('apiBaseUrl') || 'https://api.telegram.org', 'data-testid': 'ch-api' });
    inputs.secret = h('input', { type: 'password', autocomplete: 'off', required: existing === null, 'data-testid': 'ch-secret', placeholder: '123456:ABC-DEF…' });
    fields.push(...labelled('ch-chat', t('alerts.chatId'), inputs.chatId, t('alerts.chatIdHint')), ...labelled('ch-secret', t('alerts.botToken'), inputs.secret, secretHint ?? t('alerts.botTokenHint')), ...labelled('ch-api', t('alerts.apiBase'), inputs.apiBaseUrl));
  } else if (kind === 'email') {
    inputs.host = h('input', { required: true, value: str('host'), placeholder: 'smtp.cilegon.go.id', 'data-testid': 'ch-host' });
    inputs.port = h('input', { inputmode: 'numeric', value: String(s.port ?? 587), 'data-testid': 'ch-port' });
    inputs.security = h('select', {}, h('option', { value: 'starttls', selected: s.security !== 'tls' }, 'STARTTLS (587)'), h('option', { value: 'tls', selected: s.security === 'tls' }, 'TLS (465)'));
    inputs.username = h('input', { value: str('username'), autocomplete: 'off', 'data-testid': 'ch-user' });
    inputs.secret = h('input', { type: 'password', autocomplete: 'off', 'data-testid': 'ch-secret' });
    inputs.from = h('input', { type: 'email', required: true, value: str('from'), 'data-testid': 'ch-from' });
    inputs.to = h('input', { required: true, value: Array.isArray(s.to) ? (s.to as string[]).join(', ') : '', placeholder: 'piket@cilegon.go.id, kabid@cilegon.go.id', 'data-testid': 'ch-to' });
    inputs.caPem = h('textarea', { rows: 3, placeholder: '-----BEGIN CERTIFICATE-----' });
    inputs.caPem.value = str('caPem');
    fields.push(
      ...labelled('ch-host', t('alerts.smtpHost'), inputs.host),
      ...labelled('ch-port', t('alerts.smtpPort'), inputs.port),
      ...labelled('ch-sec', t('alerts.smtpSecurity'), inputs.security),
      ...labelled('ch-user', t('alerts.smtpUser'), inputs.username),
      ...labelled('ch-secret', t('alerts.smtpPassword'), inputs.secret, secretHint),
      ...labelled('ch-from', t('alerts.from'), inputs.from),
      ...labelled('ch-to', t('alerts.to'), inputs.to, t('alerts.toHint')),
      ...labelled('ch-ca', t('alerts.caPem'), inputs.caPem, t('alerts.caPemHint')),
    );
  } else {
    inputs.url = h('input', { type: 'url', required: true, value: existing?.target ?? '', placeholder: 'https://…', 'data-testid': 'ch-url' });
    inputs.secret = h('input', { type: 'password', autocomplete: 'off', required: existing === null, minlength: 16, 'data-testid': 'ch-secret' });
    fields.push(...labelled('ch-url', t('alerts.url'), inputs.url), ...labelled('ch-secret', t('alerts.webhookSecret'), inputs.secret, secretHint ?? t('alerts.webhookSecretHint')));
  }
  // Filters.
  const severity = h('select', {}, h('option', { value: 'warning', selected: existing?.minSeverity !== 'critical' }, t('alerts.sevAll')), h('option', { value: 'critical', selected: existing?.minSeverity === 'critical' }, t('alerts.sevCritical')));
  const events = EVENTS.map((e) => h('input', { type: 'checkbox', id: `ch-ev-${e}`, value: e, checked: existing === null || existing.events.includes(e) }));
  const wardSel = h('select', { multiple: true, size: Math.min(8, Math.max(3, wards.length)), 'aria-describedby': 'ch-wards-hint' }, ...wards.map((w) => h('option', { value: w.code, selected: existing?.wardCodes?.includes(w.code) === true }, `${w.name} (${w.district})`)));
  fields.push(
    ...labelled('ch-sev', t('alerts.minSeverity'), severity),
    h('span', { class: 'label' }, t('alerts.events')),
    h('fieldset', { class: 'checks' }, h('legend', { class: 'sr-only' }, t('alerts.events')), ...EVENTS.map((e, i) => h('label', { class: 'check', for: `ch-ev-${e}` }, events[i]!, ' ', t(`alerts.event.${e}` as MessageKey)))),
    h('label', { for: 'ch-wards' }, t('alerts.wards')),
    h('div', {}, (wardSel.id = 'ch-wards', wardSel), h('p', { class: 'muted small hint', id: 'ch-wards-hint' }, t('alerts.wardsHint'))),
  );
  formDialog({
    title: existing === null ? t('alerts.addTitle', { kind: t(`alerts.kind.${kind}` as MessageKey) }) : t('alerts.editTitle', { name: existing.name }),
    fields,
    wide: true,
    testId: 'channel-dialog',
    submit: t('common.save'),
    onSubmit: async () => {
      const settings: Record<string, unknown> = {};
      if (kind === 'telegram') {
        settings.chatId = inputs.chatId!.value.trim();
        settings.apiBaseUrl = inputs.apiBaseUrl!.value.trim() || 'https://api.telegram.org';
      } else if (kind === 'email') {
        settings.host = inputs.host!.value.trim();
        settings.port = Number(inputs.port!.value) || 587;
        settings.security = inputs.security!.value;
        settings.username = inputs.username!.value.trim() || null;
        settings.from = inputs.from!.value.trim();
        settings.to = inputs.to!.value.split(/[,;\s]+/).map((x) => x.trim()).filter((x) => x !== '');
        settings.caPem = inputs.caPem!.value.trim() || null;
      } else {
        settings.url = inputs.url!.value.trim();
      }
      const chosenWards = [...wardSel.selectedOptions].map((o) => o.value);
      const common = {
        name: name.value.trim(),
        minSeverity: severity.value,
        events: events.filter((e) => e.checked).map((e) => e.value),
        wardCodes: chosenWards.length === 0 ? null : chosenWards,
      };
      const secret = inputs.secret!.value;
      const r =
        existing === null
          ? await api('POST', '/api/v1/alerts/channels', '/api/v1/alerts/channels', { json: { kind, ...common, settings, ...(secret === '' ? {} : { secret }) } })
          : await api('PATCH', '/api/v1/alerts/channels/{id}', `/api/v1/alerts/channels/${encodeURIComponent(existing.id)}`, { json: { ...common, settings, ...(secret === '' ? {} : { secret }) } });
      if (!r.ok) return errorNote(r);
      done();
      return null;
    },
  });
}

export const alertsView: View = (el) => {
  let stopped = false;
  let wards: WardOut[] = [];
  const slot = h('div', { class: 'channel-grid' }, loadingNote());
  const addBar = h('div', { class: 'row' });
  el.append(
    h('div', { class: 'toolbar' }, h('h1', {}, t('nav.alerts')), addBar),
    h('div', { class: 'page' }, h('p', { class: 'muted lead' }, t('alerts.lead')), slot),
  );
  for (const k of KINDS) {
    addBar.append(h('button', { type: 'button', class: 'btn btn-secondary btn-small', 'data-testid': `add-${k}`, onclick: () => channelForm(k, wards, null, () => void load()) }, '+ ', t(`alerts.kind.${k}` as MessageKey)));
  }

  function card(c: ChannelOut): HTMLElement {
    const result = h('p', { class: 'small', 'aria-live': 'polite', 'data-testid': 'test-result' });
    const test = h('button', { type: 'button', class: 'btn btn-secondary btn-small', 'data-testid': 'ch-test' }, t('alerts.sendTest'));
    test.addEventListener('click', () => {
      test.disabled = true;
      result.textContent = t('alerts.sending');
      void api<{ delivered: boolean; error: string | null }>('POST', '/api/v1/alerts/channels/{id}/test', `/api/v1/alerts/channels/${encodeURIComponent(c.id)}/test`).then((r) => {
        test.disabled = false;
        if (!r.ok) {
          result.textContent = r.message;
          return;
        }
        result.className = r.data.delivered ? 'small note note-ok' : 'small note note-error';
        result.textContent = r.data.delivered ? `✓ ${t('alerts.testOk')}` : `✕ ${t('alerts.testFailed')}: ${r.data.error ?? ''}`;
      });
    });
    const toggle = h('input', { type: 'checkbox', id: `ch-on-${c.id}`, checked: c.enabled });
    toggle.addEventListener('change', () => {
      void api('PATCH', '/api/v1/alerts/channels/{id}', `/api/v1/alerts/channels/${encodeURIComponent(c.id)}`, { json: { enabled: toggle.checked } }).then((r) => {
        if (!r.ok) {
          toggle.checked = !toggle.checked;
          result.textContent = r.message;
        }
      });
    });
    const remove = h('button', {
      type: 'button',
      class: 'btn btn-ghost btn-small',
      onclick: () =>
        void confirmDialog({ title: t('alerts.removeTitle', { name: c.name }), body: [t('alerts.removeBody')], confirm: t('common.delete'), danger: true }).then(async (yes) => {
          if (!yes) return;
          const r = await api('DELETE', '/api/v1/alerts/channels/{id}', `/api/v1/alerts/channels/${encodeURIComponent(c.id)}`);
          if (r.ok) void load();
          else result.textContent = r.message;
        }),
    }, t('common.delete'));
    const wardsText = c.wardCodes === null ? t('alerts.allWards') : c.wardCodes.map((code) => wards.find((w) => w.code === code)?.name ?? code).join(', ');
    const last = c.lastDelivery;
    return h(
      'article',
      { class: 'card channel', 'data-testid': 'channel', 'data-kind': c.kind },
      h('div', { class: 'card-head' }, h('h2', {}, c.name), h('span', { class: 'chip' }, t(`alerts.kind.${c.kind}` as MessageKey))),
      h(
        'dl',
        { class: 'facts' },
        h('dt', {}, t('alerts.target')), h('dd', { class: 'wrap' }, c.target),
        h('dt', {}, t('alerts.wards')), h('dd', {}, wardsText),
        h('dt', {}, t('alerts.minSeverity')), h('dd', {}, c.minSeverity === 'critical' ? t('alerts.sevCritical') : t('alerts.sevAll')),
        h('dt', {}, t('alerts.events')), h('dd', {}, c.events.map((e) => t(`alerts.event.${e}` as MessageKey)).join(', ')),
        h('dt', {}, t('alerts.last')),
        h('dd', {}, last === null ? '–' : h('span', { class: last.ok ? 'ok' : 'bad' }, `${last.ok ? '✓' : '✕'} ${fmtDateTime(last.at)}${last.ok || last.error === null ? '' : ` · ${last.error}`}`)),
      ),
      h(
        'div',
        { class: 'row' },
        h('label', { class: 'check', for: `ch-on-${c.id}` }, toggle, ' ', t('alerts.enabled')),
        test,
        h('button', { type: 'button', class: 'btn btn-ghost btn-small', onclick: () => channelForm(c.kind, wards, c, () => void load()) }, t('common.edit')),
        remove,
      ),
      result,
    );
  }

  async function load(): Promise<void> {
    const [r, w] = await Promise.all([get<{ items: ChannelOut[] }>('/api/v1/alerts/channels'), wards.length === 0 ? fetchAll<WardOut>('/api/v1/wards') : Promise.resolve(null)]);
    if (stopped) return;
    if (w !== null && w.ok) wards = [...w.data].sort((a, b) => a.name.localeCompare(b.name));
    clear(slot);
    if (!r.ok) return void slot.append(errorNote(r));
    if (r.data.items.length === 0) return void slot.append(emptyNote(t('alerts.none')));
    for (const c of r.data.items) slot.append(card(c));
  }
  void load();
  return () => {
    stopped = true;
  };
};
