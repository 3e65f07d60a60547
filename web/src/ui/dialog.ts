/**
 * Modal dialogs on the native <dialog> element (focus is kept inside, Escape closes, the page behind is inert):
 * a confirmation that says what an action takes with it, and a form dialog whose submit can fail and stay open.
 * Focus returns to what opened it.
 */
import { t } from '../i18n/i18n.ts';
import { clear, h, type Child } from './dom.ts';

let counter = 0;

function shell(title: string, testId: string): { dialog: HTMLDialogElement; body: HTMLElement; actions: HTMLElement; close: () => void } {
  const id = `dlg-${++counter}`;
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const body = h('div', { class: 'dialog-body' });
  const actions = h('div', { class: 'dialog-actions' });
  const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': `${id}-title`, 'data-testid': testId }, h('h2', { id: `${id}-title`, class: 'dialog-title' }, title), body, actions);
  const close = (): void => {
    if (dialog.open) dialog.close();
  };
  dialog.addEventListener('close', () => {
    dialog.remove();
    opener?.focus();
  });
  document.body.append(dialog);
  return { dialog, body, actions, close };
}

/** Asks before doing something that cannot be undone; resolves true when confirmed. */
export function confirmDialog(options: { title: string; body: Child[]; confirm: string; danger?: boolean; testId?: string }): Promise<boolean> {
  return new Promise((resolve) => {
    const d = shell(options.title, options.testId ?? 'confirm-dialog');
    let answer = false;
    for (const c of options.body) d.body.append(typeof c === 'string' ? h('p', {}, c) : (c as Node));
    const cancel = h('button', { type: 'button', class: 'btn btn-ghost', 'data-testid': 'dialog-cancel' }, t('common.cancel'));
    const ok = h('button', { type: 'button', class: options.danger === true ? 'btn btn-danger' : 'btn btn-primary', 'data-testid': 'dialog-confirm' }, options.confirm);
    cancel.addEventListener('click', d.close);
    ok.addEventListener('click', () => {
      answer = true;
      d.close();
    });
    d.actions.append(cancel, ok);
    d.dialog.addEventListener('close', () => resolve(answer));
    d.dialog.showModal();
    cancel.focus();
  });
}

/**
 * A form in a dialog. `submit` returns null when done (the dialog closes) or an element to show (an error note);
 * the dialog then stays open with what was typed.
 */
export function formDialog(options: { title: string; fields: Child[]; submit: string; onSubmit: () => Promise<HTMLElement | null>; testId?: string; wide?: boolean }): void {
  const d = shell(options.title, options.testId ?? 'form-dialog');
  if (options.wide === true) d.dialog.classList.add('dialog-wide');
  const status = h('div', { 'aria-live': 'polite', class: 'dialog-status' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'dialog-submit' }, options.submit);
  const cancel = h('button', { type: 'button', class: 'btn btn-ghost', 'data-testid': 'dialog-cancel' }, t('common.cancel'));
  const form = h('form', { class: 'form form-grid', method: 'dialog' }, ...options.fields, h('div', { class: 'span' }, status));
  cancel.addEventListener('click', d.close);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clear(status);
    submit.disabled = true;
    void options.onSubmit().then(
      (problem) => {
        submit.disabled = false;
        if (problem === null) d.close();
        else status.append(problem);
      },
      () => {
        submit.disabled = false;
        status.append(h('p', { class: 'note note-error', role: 'alert' }, t('error.unexpected')));
      },
    );
  });
  form.append(h('div', { class: 'dialog-actions span' }, cancel, submit));
  d.body.append(form);
  d.dialog.showModal();
  form.querySelector<HTMLElement>('input:not([type=hidden]), select, textarea')?.focus();
}
