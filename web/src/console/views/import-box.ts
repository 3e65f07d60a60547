/** A file import with a progress bar and the server's per-row errors listed (422 details). */
import { upload } from '../../api/client.ts';
import { t } from '../../i18n/i18n.ts';
import { clear, h } from '../../ui/dom.ts';
import { errorNote } from '../../ui/notes.ts';

export interface ImportField {
  id: string;
  label: string;
  value: string;
  /** A fixed choice instead of free text. */
  options?: readonly { value: string; label: string }[];
}

export interface ImportBoxOptions {
  title: string;
  hint: string;
  accept: string;
  contentType: string;
  template: string;
  fields?: ImportField[];
  path: (values: Record<string, string>) => string;
  describe: (result: unknown) => string;
  onDone: () => void;
  testId: string;
}

export function importBox(options: ImportBoxOptions): HTMLElement {
  const fileId = `${options.testId}-file`;
  // The browser's own file button speaks the browser's language; ours speaks the console's.
  const file = h('input', { type: 'file', id: fileId, class: 'file-input', accept: options.accept, required: true, 'data-testid': `${options.testId}-file` });
  const chosen = h('span', { class: 'muted small file-name' }, t('import.noFile'));
  file.addEventListener('change', () => {
    chosen.textContent = file.files?.[0]?.name ?? t('import.noFile');
  });
  const picker = h('div', { class: 'file-picker' }, file, h('label', { for: fileId, class: 'btn btn-ghost btn-small' }, t('import.choose')), chosen);
  const inputs = new Map<string, HTMLInputElement | HTMLSelectElement>();
  const fieldEls = (options.fields ?? []).flatMap((f) => {
    const id = `${options.testId}-${f.id}`;
    let input: HTMLInputElement | HTMLSelectElement;
    if (f.options !== undefined) {
      input = h('select', { id }, ...f.options.map((o) => h('option', { value: o.value, selected: o.value === f.value }, o.label)));
    } else {
      input = h('input', { id, value: f.value, required: true });
    }
    inputs.set(f.id, input);
    return [h('label', { for: id }, f.label), input];
  });
  const bar = h('progress', { max: 100, value: 0, class: 'progress', hidden: true, 'aria-label': t('import.progress') });
  const out = h('div', { 'aria-live': 'polite', 'data-testid': `${options.testId}-result` });
  const submit = h('button', { type: 'submit', class: 'btn btn-secondary' }, t('import.upload'));
  const form = h('form', { class: 'form form-grid' }, h('label', { for: fileId }, t('import.file')), picker, ...fieldEls, h('div', { class: 'row span' }, submit, bar), out);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clear(out);
    const f = file.files?.[0];
    if (f === undefined) {
      out.append(h('p', { class: 'note note-error', role: 'alert' }, t('import.chooseFile')));
      return;
    }
    submit.disabled = true;
    bar.hidden = false;
    bar.value = 0;
    void f.text().then(async (text) => {
      const values: Record<string, string> = {};
      for (const [k, input] of inputs) values[k] = input.value.trim();
      const r = await upload<unknown>(options.template, options.path(values), text, {
        contentType: options.contentType,
        onProgress: (fraction) => {
          if (fraction === null) bar.removeAttribute('value');
          else bar.value = Math.round(fraction * 100);
        },
      });
      submit.disabled = false;
      bar.hidden = true;
      if (r.ok) {
        out.append(h('p', { class: 'note note-ok', role: 'status' }, '✓ ', options.describe(r.data)));
        options.onDone();
      } else {
        out.append(errorNote(r));
      }
    });
  });
  return h('section', { class: 'card import-card' }, h('h3', {}, options.title), h('p', { class: 'muted small' }, options.hint), form);
}
