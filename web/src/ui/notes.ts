/** Calm inline notes: "not available yet", errors with per-row details, loading. */
import type { ApiResult } from '../api/client.ts';
import { t } from '../i18n/i18n.ts';
import { h } from './dom.ts';

export function notAvailableNote(what?: string): HTMLElement {
  return h(
    'p',
    { class: 'note note-quiet', role: 'note', 'data-note': 'not-available' },
    h('span', { class: 'note-icon', 'aria-hidden': 'true' }, '◔'),
    ' ',
    what === undefined ? t('common.notAvailable') : `${what}: ${t('common.notAvailable')}`,
  );
}

export function errorNote(result: Extract<ApiResult<unknown>, { ok: false }>): HTMLElement {
  if (result.notAvailable) return notAvailableNote();
  const box = h('div', { class: 'note note-error', role: 'alert' }, h('span', { class: 'note-icon', 'aria-hidden': 'true' }, '⚠'), ' ', result.message);
  if (result.details.length > 0) {
    const list = h('ul', { class: 'error-details', 'aria-label': t('common.errorDetails') });
    for (const d of result.details.slice(0, 200)) list.append(h('li', {}, h('strong', {}, d.path), ': ', d.message));
    box.append(list);
  }
  return box;
}

export function loadingNote(): HTMLElement {
  return h('p', { class: 'note note-loading', 'aria-live': 'polite' }, t('common.loading'));
}

export function emptyNote(text: string): HTMLElement {
  return h('p', { class: 'note note-quiet' }, text);
}
