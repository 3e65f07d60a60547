/** Calm inline notes: "not available yet", errors with per-row details, loading. */
import type { ApiResult } from '../api/client.ts';
import { lang, t } from '../i18n/i18n.ts';
import { detailWords, errorWords } from './error-words.ts';
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

/**
 * An error in the reader's language (error-words.ts): the sentence, each detail as "where: what", and, where the
 * console has no words of its own, the server's English message folded away as a technical detail.
 */
export function errorNote(result: Extract<ApiResult<unknown>, { ok: false }>): HTMLElement {
  if (result.notAvailable) return notAvailableNote();
  const sentence = errorWords(result);
  const box = h('div', { class: 'note note-error', role: 'alert' }, h('span', { class: 'note-icon', 'aria-hidden': 'true' }, '⚠'), ' ', sentence);
  const technical: string[] = sentence === result.message ? [] : [result.message];
  if (result.details.length > 0) {
    const list = h('ul', { class: 'error-details', 'aria-label': t('common.errorDetails') });
    for (const d of result.details.slice(0, 200)) {
      const w = detailWords(d);
      if (!w.worded || w.what !== d.message) technical.push(`${d.path}: ${d.message}`);
      list.append(h('li', {}, h('strong', {}, w.where), ': ', w.what));
    }
    box.append(list);
  }
  if (lang() !== 'en' && technical.length > 0) {
    box.append(h('details', { class: 'tech' }, h('summary', {}, t('common.technical')), h('pre', { lang: 'en', class: 'tech-text' }, technical.slice(0, 50).join('\n'))));
  }
  return box;
}

export function loadingNote(): HTMLElement {
  return h('p', { class: 'note note-loading', 'aria-live': 'polite' }, t('common.loading'));
}

export function emptyNote(text: string): HTMLElement {
  return h('p', { class: 'note note-quiet' }, text);
}
