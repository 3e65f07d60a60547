/**
 * Wall widgets (issue 15), admins only: make a read-only token for a screen or an embedding page (shown once, with
 * its URLs), see when each was last used, revoke one (its widget stops at once).
 */
import { api, get, hasRoute } from '../../api/client.ts';
import { fmtDateTime, t } from '../../i18n/i18n.ts';
import { confirmDialog } from '../../ui/dialog.ts';
import { clear, h } from '../../ui/dom.ts';
import { emptyNote, errorNote, loadingNote, notAvailableNote } from '../../ui/notes.ts';

interface WidgetToken { id: string; name: string; createdBy: string; createdAt: string; lastUsedAt: string | null; revokedAt: string | null }
interface Made { id: string; name: string; token: string; urls: { status: string; summary: string; events: string } }

export function widgetsTab(el: HTMLElement): void {
  const slot = h('div', {}, loadingNote());
  const made = h('div', { 'aria-live': 'polite' });
  const name = h('input', { id: 'w-name', type: 'text', maxlength: 120, required: true, 'data-testid': 'widget-name', placeholder: t('widgets.namePlaceholder') });
  const form = h('form', { class: 'form form-grid', onsubmit: (e: Event) => {
    e.preventDefault();
    void (async () => {
      clear(made);
      const r = await api<Made>('POST', '/api/v1/widgets/tokens', '/api/v1/widgets/tokens', { json: { name: name.value } });
      if (!r.ok) {
        made.append(errorNote(r));
        return;
      }
      name.value = '';
      made.append(h('div', { class: 'note', 'data-testid': 'widget-made' },
        h('p', {}, t('widgets.once')),
        h('code', { class: 'token', 'data-testid': 'widget-url' }, r.data.urls.status),
        h('p', { class: 'muted small' }, t('widgets.embed')),
        h('code', { class: 'token' }, `<iframe src="${r.data.urls.status}" width="800" height="480" title="Jangkau"></iframe>`)));
      void load();
    })();
  } }, h('label', { for: 'w-name' }, t('widgets.name')), name, h('div', {}, h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'widget-create' }, t('widgets.create'))));
  el.append(h('section', { class: 'card' }, h('h2', {}, t('widgets.title')), h('p', { class: 'muted' }, t('widgets.intro')), form, made, slot));
  async function load(): Promise<void> {
    if (!(await hasRoute('GET', '/api/v1/widgets/tokens'))) {
      slot.replaceChildren(notAvailableNote());
      return;
    }
    const r = await get<{ items: WidgetToken[] }>('/api/v1/widgets/tokens');
    if (!r.ok) {
      slot.replaceChildren(errorNote(r));
      return;
    }
    if (r.data.items.length === 0) {
      slot.replaceChildren(emptyNote(t('widgets.none')));
      return;
    }
    const tb = h('tbody', {});
    for (const w of r.data.items) {
      const revoke = w.revokedAt === null
        ? h('button', { type: 'button', class: 'btn btn-danger', onclick: async () => {
          if (!(await confirmDialog({ title: t('widgets.revokeTitle', { name: w.name }), body: [t('widgets.revokeBody')], confirm: t('widgets.revoke'), danger: true }))) return;
          const d = await api<unknown>('DELETE', '/api/v1/widgets/tokens/:id', `/api/v1/widgets/tokens/${encodeURIComponent(w.id)}`);
          if (!d.ok) slot.prepend(errorNote(d));
          void load();
        } }, t('widgets.revoke'))
        : h('span', { class: 'muted' }, t('widgets.revokedAt', { at: fmtDateTime(w.revokedAt) }));
      tb.append(h('tr', {}, h('td', {}, w.name), h('td', {}, w.createdBy), h('td', {}, fmtDateTime(w.createdAt)), h('td', {}, w.lastUsedAt === null ? t('widgets.never') : fmtDateTime(w.lastUsedAt)), h('td', {}, revoke)));
    }
    slot.replaceChildren(h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('widgets.title') },
      h('table', { class: 'table table-stack', 'data-testid': 'widgets-table' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('widgets.name')), h('th', { scope: 'col' }, t('widgets.by')), h('th', { scope: 'col' }, t('widgets.created')), h('th', { scope: 'col' }, t('widgets.lastUsed')), h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, t('common.actions'))))),
        tb)));
  }
  void load();
}
