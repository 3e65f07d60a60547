/** "Tidak ada sinyal di sini / No signal here": the citizen's report form. The map click sets the location. */
import { api, hasRoute } from '../api/client.ts';
import { fmtNumber, t } from '../i18n/i18n.ts';
import { clear, h } from '../ui/dom.ts';
import { errorNote, notAvailableNote } from '../ui/notes.ts';

export interface ReportDraft {
  lat: number | null;
  lon: number | null;
  note: string;
  open: boolean;
  sentId?: string | null;
}

const NOTE_MAX = 500;

export function reportForm(draft: ReportDraft, hooks: { onChange: () => void; onSent: () => void }): HTMLElement {
  const card = h('section', { class: 'card report', 'aria-labelledby': 'report-title' });
  const title = h('h2', { id: 'report-title' }, t('report.title'));
  const body = h('div', {});
  card.append(title, body);

  const draw = (): void => {
    clear(body);
    if (!draft.open) {
      if (draft.sentId !== undefined && draft.sentId !== null) {
        body.append(h('p', { class: 'note note-ok', role: 'status', 'data-testid': 'report-sent' }, '✓ ', t('report.thanks')));
      }
      body.append(
        h('p', {}, t('report.lead')),
        h(
          'button',
          {
            type: 'button',
            class: 'btn btn-primary',
            'data-testid': 'report-open',
            onclick: () => {
              draft.open = true;
              draft.sentId = null;
              draw();
              hooks.onChange();
              body.querySelector<HTMLElement>('.report-where')?.focus();
            },
          },
          t('report.open'),
        ),
      );
      return;
    }
    const where = h(
      'p',
      { class: 'report-where', tabindex: '-1', 'aria-live': 'polite', 'data-testid': 'report-where' },
      draft.lat === null || draft.lon === null
        ? h('span', { class: 'muted' }, '① ', t('report.tapMap'))
        : h('span', {}, '✓ ', t('report.location', { lat: fmtNumber(draft.lat, { maxFractionDigits: 5 }), lon: fmtNumber(draft.lon, { maxFractionDigits: 5 }) })),
    );
    const locate = h(
      'button',
      {
        type: 'button',
        class: 'btn btn-ghost btn-small',
        onclick: () => {
          if (!('geolocation' in navigator)) return;
          navigator.geolocation.getCurrentPosition(
            (pos) => {
              draft.lat = Number(pos.coords.latitude.toFixed(6));
              draft.lon = Number(pos.coords.longitude.toFixed(6));
              draw();
              hooks.onChange();
            },
            () => {
              status.textContent = t('report.locateFailed');
            },
            { timeout: 10_000, maximumAge: 60_000 },
          );
        },
      },
      t('report.useMyLocation'),
    );
    const noteId = 'report-note';
    const textarea = h('textarea', { id: noteId, name: 'note', rows: 3, maxlength: NOTE_MAX, 'data-testid': 'report-note', placeholder: t('report.notePlaceholder') });
    textarea.value = draft.note;
    textarea.addEventListener('input', () => {
      draft.note = textarea.value;
    });
    const status = h('div', { class: 'report-status', 'aria-live': 'polite' });
    const submit = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'report-submit' }, t('report.send'));
    const cancel = h(
      'button',
      {
        type: 'button',
        class: 'btn btn-ghost',
        onclick: () => {
          draft.open = false;
          draw();
          hooks.onChange();
        },
      },
      t('common.cancel'),
    );
    const form = h(
      'form',
      { class: 'form', novalidate: true },
      where,
      h('div', { class: 'row' }, locate),
      h('label', { for: noteId }, '② ', t('report.noteLabel')),
      textarea,
      h('div', { class: 'row' }, submit, cancel),
      status,
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      clear(status);
      if (draft.lat === null || draft.lon === null) {
        status.append(h('p', { class: 'note note-error', role: 'alert' }, t('report.needLocation')));
        return;
      }
      submit.disabled = true;
      void api<{ id: string }>('POST', '/api/v1/reports', '/api/v1/reports', { json: { lat: draft.lat, lon: draft.lon, note: draft.note.trim() } }).then((r) => {
        submit.disabled = false;
        if (r.ok) {
          draft.open = false;
          draft.sentId = r.data.id;
          draft.note = '';
          draft.lat = null;
          draft.lon = null;
          draw();
          hooks.onSent();
          title.focus();
        } else {
          status.append(errorNote(r));
        }
      });
    });
    body.append(form);
  };

  title.setAttribute('tabindex', '-1');
  draw();
  // The report route may not be served yet: say so calmly instead of offering a form that cannot be sent.
  void hasRoute('POST', '/api/v1/reports').then((has) => {
    if (!has) {
      clear(body);
      body.append(h('p', {}, t('report.lead')), notAvailableNote());
    }
  });
  const onDraft = (): void => {
    if (!card.isConnected) {
      document.removeEventListener('jk:draft', onDraft);
      return;
    }
    if (draft.open) draw();
  };
  document.addEventListener('jk:draft', onDraft);
  return card;
}
