/**
 * The staff console (`/console`): sign-in, a forced password change when the account asks for one, then the views
 * as hash routes (#/monitor, #/coverage, #/planner, #/kpis, #/inventory, #/wall).
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
import type { View } from './view.ts';
import { coverageView } from './views/coverage.ts';
import { inventoryView } from './views/inventory.ts';
import { kpisView } from './views/kpis.ts';
import { monitorView } from './views/monitor.ts';
import { plannerView } from './views/planner.ts';
import { radiusView } from './views/radius.ts';
import { wallView } from './views/wall.ts';

interface Route {
  id: string;
  label: MessageKey;
  view: View;
}

const ROUTES: readonly Route[] = [
  { id: 'monitor', label: 'nav.monitor', view: monitorView },
  { id: 'coverage', label: 'nav.coverage', view: coverageView },
  { id: 'planner', label: 'nav.planner', view: plannerView },
  { id: 'kpis', label: 'nav.kpis', view: kpisView },
  { id: 'inventory', label: 'nav.inventory', view: inventoryView },
  { id: 'radius', label: 'nav.radius', view: radiusView },
  { id: 'wall', label: 'nav.wall', view: wallView },
];

let me: Me | null = null;
let stopView: (() => void) | null = null;

function parseHash(): { route: Route; param: string | null } {
  const parts = location.hash.replace(/^#\/?/, '').split('/');
  const route = ROUTES.find((r) => r.id === parts[0]) ?? ROUTES[0]!;
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

function shell(root: HTMLElement, user: Me): void {
  const { route, param } = parseHash();
  const wall = route.id === 'wall';
  document.body.classList.toggle('wall-mode', wall);
  const nav = h('nav', { class: 'tabs', 'aria-label': t('nav.label') });
  for (const r of ROUTES) {
    nav.append(
      h('a', { href: `#/${r.id}`, class: r.id === route.id ? 'tab active' : 'tab', 'aria-current': r.id === route.id ? 'page' : null, 'data-route': r.id }, t(r.label)),
    );
  }
  const userBox = h(
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
  const main = h('main', { class: wall ? 'view view-wall' : 'view', id: 'main', tabindex: '-1' });
  clear(root);
  if (!wall) {
    const header = h('header', { class: 'topbar' }, brand(t('console.title')), nav, userBox);
    root.append(h('a', { class: 'skip-link', href: '#main' }, t('common.skipToContent')), header);
    demoBanner(header);
  }
  root.append(main);
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
