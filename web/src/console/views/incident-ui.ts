/** Pieces the incident list, the device panel and the wall share: cause in words, acknowledging with a note. */
import { api } from '../../api/client.ts';
import type { IncidentOut } from '../../api/types.ts';
import { fmtDateTime, t } from '../../i18n/i18n.ts';
import type { MessageKey } from '../../i18n/dict.ts';
import { DICT_ID } from '../../i18n/dict.ts';
import { formDialog } from '../../ui/dialog.ts';
import { h } from '../../ui/dom.ts';
import { errorNote } from '../../ui/notes.ts';

export const CAUSE_KINDS = ['timeout', 'refused', 'auth', 'protocol', 'malformed', 'unreachable', 'config', 'internal'] as const;

/** A poll error kind in the reader's language; the device's own message stays in a technical detail. */
export function causeWords(kind: string): string {
  const key = `cause.${kind}`;
  return key in DICT_ID ? t(key as MessageKey) : kind;
}

/** "Diakui oleh X, 12 Des 14.02 · note" as a small block, or null. */
export function ackLine(inc: Pick<IncidentOut, 'acknowledged'>): HTMLElement | null {
  const a = inc.acknowledged;
  if (a === null) return null;
  return h(
    'span',
    { class: 'ack', 'data-testid': 'ack-line' },
    h('span', { 'aria-hidden': 'true' }, '✓ '),
    t('incidents.ackBy', { by: a.by, at: fmtDateTime(a.at) }),
    a.note === null ? '' : ` · “${a.note}”`,
  );
}

/** Opens the "acknowledge with a note" dialog; calls done with the updated incident. */
export function acknowledge(inc: Pick<IncidentOut, 'id'> & { deviceName: string | null }, done: (updated: IncidentOut) => void): void {
  const note = h('textarea', { id: 'ack-note', rows: 3, maxlength: 1000, 'data-testid': 'ack-note', placeholder: t('incidents.ackNoteHint') });
  formDialog({
    title: t('incidents.ackTitle', { name: inc.deviceName ?? inc.id }),
    fields: [h('label', { for: 'ack-note', class: 'span' }, t('incidents.ackNote')), h('div', { class: 'span' }, note)],
    submit: t('incidents.ack'),
    testId: 'ack-dialog',
    onSubmit: async () => {
      const r = await api<IncidentOut>('POST', '/api/v1/incidents/{id}/ack', `/api/v1/incidents/${encodeURIComponent(inc.id)}/ack`, { json: note.value.trim() === '' ? {} : { note: note.value.trim() } });
      if (!r.ok) return errorNote(r);
      done(r.data);
      return null;
    },
  });
}
