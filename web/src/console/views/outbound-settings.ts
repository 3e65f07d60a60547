/**
 * Where the server may send (issue 10), admins only: whether alert channels, webhooks and the SMS gateway may reach
 * loopback and private networks (a city's own gateway or chat server often lives there). Link-local and cloud
 * metadata addresses stay refused whatever is chosen; every change is written to the audit log.
 */
import { api, get } from '../../api/client.ts';
import { t } from '../../i18n/i18n.ts';
import { clear, h } from '../../ui/dom.ts';
import { errorNote, loadingNote } from '../../ui/notes.ts';

interface OutboundPolicy { allowPrivate: boolean }

export function outboundTab(page: HTMLElement): void {
  const slot = h('div', {}, loadingNote());
  page.append(h('section', { class: 'card', 'data-testid': 'outbound-card' }, h('h2', {}, t('outbound.title')), h('p', { class: 'muted small' }, t('outbound.lead')), slot));
  void get<OutboundPolicy>('/api/v1/settings/outbound').then((r) => {
    clear(slot);
    if (!r.ok) return void slot.append(errorNote(r));
    const allow = h('input', { type: 'checkbox', id: 'outbound-private', checked: r.data.allowPrivate, 'data-testid': 'outbound-private' });
    const shown = h('div', { 'aria-live': 'polite' });
    const form = h(
      'form',
      { class: 'form' },
      h('label', { class: 'check', for: 'outbound-private' }, allow, ' ', t('outbound.allowPrivate')),
      h('p', { class: 'muted small' }, t('outbound.never')),
      h('div', { class: 'row' }, h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'outbound-save' }, t('common.save'))),
      shown,
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      clear(shown);
      void api<OutboundPolicy>('PUT', '/api/v1/settings/outbound', '/api/v1/settings/outbound', { json: { allowPrivate: allow.checked } }).then((res) => {
        if (!res.ok) return void shown.append(errorNote(res));
        allow.checked = res.data.allowPrivate;
        shown.append(h('div', { class: 'note note-ok', role: 'status', 'data-testid': 'outbound-saved' }, res.data.allowPrivate ? t('outbound.savedAllowed') : t('outbound.savedRefused')));
      });
    });
    slot.append(form);
  });
}
