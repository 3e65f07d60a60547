/** The sign-in form and the forced password change. */
import type { Me } from '../api/types.ts';
import { t } from '../i18n/i18n.ts';
import { clear, h } from '../ui/dom.ts';
import { brand, langSwitch } from '../ui/header.ts';
import { errorNote } from '../ui/notes.ts';
import { changePassword, signIn, signOut } from './session.ts';

function frame(root: HTMLElement, title: string, content: HTMLElement): void {
  clear(root);
  root.append(
    h('header', { class: 'topbar' }, brand(t('console.title')), h('div', { class: 'topbar-actions' }, h('a', { class: 'btn btn-ghost', href: '/' }, t('console.publicMap')), langSwitch())),
    h('main', { class: 'auth-main', id: 'main' }, h('section', { class: 'card auth-card', 'aria-labelledby': 'auth-title' }, h('h1', { id: 'auth-title' }, title), content)),
  );
}

export function signInScreen(root: HTMLElement, done: (me: Me) => void): void {
  const email = h('input', { id: 'email', name: 'email', type: 'email', autocomplete: 'username', required: true, 'data-testid': 'email' });
  const password = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true, 'data-testid': 'password' });
  const status = h('div', { 'aria-live': 'assertive' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block', 'data-testid': 'sign-in' }, t('auth.signIn'));
  const form = h(
    'form',
    { class: 'form' },
    h('p', { class: 'muted' }, t('auth.lead')),
    h('label', { for: 'email' }, t('auth.email')),
    email,
    h('label', { for: 'password' }, t('auth.password')),
    password,
    submit,
    status,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clear(status);
    submit.disabled = true;
    void signIn(email.value.trim(), password.value).then((r) => {
      submit.disabled = false;
      if (r.ok) done(r.data);
      else {
        status.append(errorNote(r));
        password.select();
      }
    });
  });
  frame(root, t('auth.title'), form);
  email.focus();
}

export function passwordChangeScreen(root: HTMLElement, me: Me, done: () => void): void {
  const current = h('input', { id: 'current', type: 'password', autocomplete: 'current-password', required: true, 'data-testid': 'current-password' });
  const next = h('input', { id: 'next', type: 'password', autocomplete: 'new-password', required: true, minlength: 12, 'data-testid': 'new-password' });
  const again = h('input', { id: 'again', type: 'password', autocomplete: 'new-password', required: true, minlength: 12, 'data-testid': 'repeat-password' });
  const status = h('div', { 'aria-live': 'assertive' });
  const form = h(
    'form',
    { class: 'form' },
    h('p', {}, t('auth.mustChange', { email: me.email })),
    h('label', { for: 'current' }, t('auth.currentPassword')),
    current,
    h('label', { for: 'next' }, t('auth.newPassword')),
    next,
    h('p', { class: 'muted small' }, t('auth.passwordRule')),
    h('label', { for: 'again' }, t('auth.repeatPassword')),
    again,
    h('div', { class: 'row' }, h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'change-password' }, t('auth.changePassword')), h('button', { type: 'button', class: 'btn btn-ghost', onclick: () => void signOut().then(() => location.reload()) }, t('auth.signOut'))),
    status,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clear(status);
    if (next.value !== again.value) {
      status.append(h('p', { class: 'note note-error', role: 'alert' }, t('auth.passwordsDiffer')));
      return;
    }
    void changePassword(current.value, next.value).then((r) => {
      if (r.ok) done();
      else status.append(errorNote(r));
    });
  });
  frame(root, t('auth.changeTitle'), form);
  current.focus();
}
