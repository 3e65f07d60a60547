/**
 * The staff console (`/console`): sign-in, a forced password change when the account asks for one, then the views
 * as hash routes listed in routes.ts. Wide screens show the menu as a side column; phones a compact header with a
 * menu button that opens it as a drawer.
 */
import '../styles/base.css';
import '../styles/console.css';
import { onUnauthorised } from '../api/client.ts';
import type { Me } from '../api/types.ts';
import { lang, onLangChange, t } from '../i18n/i18n.ts';
import type { MessageKey } from '../i18n/dict.ts';
import { clear, h } from '../ui/dom.ts';
import { brand, langSwitch } from '../ui/header.ts';
import { demoBanner } from '../ui/demo-banner.ts';
import { passwordChangeScreen, signInScreen } from './sign-in.ts';
import { currentUser, forgetSession, signOut } from './session.ts';
import { GROUPS, routesFor, type ConsoleRoute } from './routes.ts';

let me: Me | null = null;
let stopView: (() => void) | null = null;
let closeMenu: (() => void) | null = null;

document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && document.body.classList.contains('menu-open')) closeMenu?.();
});

function parseHash(routes: readonly ConsoleRoute[]): { route: ConsoleRoute; param: string | null } {
  const parts = location.hash.replace(/^#\/?/, '').split('/');
  const route = routes.find((r) => r.id === parts[0]) ?? routes[0]!;
  const param = parts.length > 1 && parts[1] !== '' ? decodeURIComponent(parts.slice(1).join('/')) : null;
  return { route, param };
}

function navigate(hash: string): void {
  // Records the view's state in the address (for reloads and links) without re-mounting the view.
  if (location.hash !== hash) history.replaceState(null, '', hash);
}

function stop(): void {
  if (stopView !== null) {
    try {
      stopView();
    } catch {
      /* a view that fails to clean up must not block the next one */
    }
    stopView = null;
  }
}

function menu(routes: readonly ConsoleRoute[], current: ConsoleRoute): HTMLElement {
  const nav = h('nav', { class: 'sidenav', id: 'console-menu', 'aria-label': t('nav.label') });
  for (const g of GROUPS) {
    const items = routes.filter((r) => r.group === g.id);
    if (items.length === 0) continue;
    const list = h('ul', { class: 'nav-list' });
    for (const r of items) {
      const active = r.id === current.id;
      list.append(h('li', {}, h('a', { href: `#/${r.id}`, class: active ? 'tab active' : 'tab', 'aria-current': active ? 'page' : null, 'data-route': r.id }, t(r.label))));
    }
    nav.append(h('div', { class: 'nav-group' }, h('span', { class: 'nav-group-title', 'aria-hidden': 'true' }, t(g.label)), list));
  }
  return nav;
}

function shell(root: HTMLElement, user: Me): void {
  const routes = routesFor(user.role);
  const { route, param } = parseHash(routes);
  const wall = route.id === 'wall';
  document.body.classList.toggle('wall-mode', wall);
  const main = h('main', { class: wall ? 'view view-wall' : 'view', id: 'main', tabindex: '-1' });
  clear(root);
  if (wall) {
    root.append(main);
  } else {
    const nav = menu(routes, route);
    const toggle = h(
      'button',
      { type: 'button', class: 'btn btn-ghost menu-toggle', 'aria-expanded': 'false', 'aria-controls': 'console-menu', 'data-testid': 'menu-toggle' },
      h('span', { 'aria-hidden': 'true' }, '☰'),
      t('nav.menu'),
    );
    const setOpen = (open: boolean): void => {
      document.body.classList.toggle('menu-open', open);
      toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
    };
    toggle.addEventListener('click', () => setOpen(!document.body.classList.contains('menu-open')));
    nav.addEventListener('click', (e) => {
      if ((e.target as HTMLElement).closest('a') !== null) setOpen(false);
    });
    closeMenu = (): void => {
      setOpen(false);
      toggle.focus();
    };
    const userBox = (): HTMLElement => h(
      'div',
      { class: 'user-box' },
      h('span', { class: 'user-name', title: user.email }, user.displayName ?? user.email, ' ', h('span', { class: 'role-chip' }, t(`role.${user.role}` as MessageKey))),
      h(
        'button',
        {
          type: 'button',
          class: 'btn btn-ghost',
          'data-testid': 'sign-out',
          onclick: () => {
            void signOut().then(() => {
              me = null;
              render();
            });
          },
        },
        t('auth.signOut'),
      ),
      langSwitch(),
    );
    const header = h('header', { class: 'topbar' }, brand(t('console.title')), toggle, userBox());
    // On phones the header keeps only the brand and the menu button; who is signed in moves into the drawer.
    const drawerUser = userBox();
    for (const el of drawerUser.querySelectorAll('[data-testid]')) el.removeAttribute('data-testid');
    nav.append(h('div', { class: 'nav-user' }, drawerUser));
    root.append(h('a', { class: 'skip-link', href: '#main' }, t('common.skipToContent')), header);
    demoBanner(header);
    root.append(h('div', { class: 'shell' }, nav, main));
  }
  document.body.classList.remove('menu-open');
  document.title = `Jangkau · ${t(route.label)}`;
  stopView = route.view(main, { me: user, param, navigate });
}

function render(): void {
  const root = document.getElementById('app');
  if (root === null) return;
  stop();
  document.documentElement.lang = lang();
  document.body.classList.remove('wall-mode');
  if (me === null) {
    signInScreen(root, (user) => {
      me = user;
      render();
    });
    return;
  }
  if (me.mustChangePassword) {
    passwordChangeScreen(root, me, () => {
      if (me !== null) me = { ...me, mustChangePassword: false };
      render();
    });
    return;
  }
  shell(root, me);
}

async function start(): Promise<void> {
  const root = document.getElementById('app');
  if (root === null) return;
  root.append(h('p', { class: 'note note-loading boot' }, t('common.loading')));
  me = await currentUser();
  render();
  window.addEventListener('hashchange', () => render());
  onLangChange(() => render());
  onUnauthorised(() => {
    if (me === null) return;
    me = null;
    forgetSession();
    render();
  });
}

void start();
