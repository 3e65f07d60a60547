/**
 * Every console view in one list: its hash id, label, group in the menu and who sees it. A new view (e.g. hotspot
 * management) adds one entry here; the menu, the phone drawer, the page title and role checks follow.
 */
import type { Role } from '../api/types.ts';
import type { MessageKey } from '../i18n/dict.ts';
import type { View } from './view.ts';
import { accountView } from './views/account.ts';
import { adminView } from './views/admin.ts';
import { alertsView } from './views/alerts.ts';
import { collectorsView } from './views/collectors.ts';
import { coverageView } from './views/coverage.ts';
import { incidentsView } from './views/incidents.ts';
import { inventoryView } from './views/inventory.ts';
import { kpisView } from './views/kpis.ts';
import { monitorView } from './views/monitor.ts';
import { plannerView } from './views/planner.ts';
import { hotspotsView } from './views/hotspots.ts';
import { radiusView } from './views/radius.ts';
import { reportsView } from './views/reports.ts';
import { wallView } from './views/wall.ts';

export type RouteGroup = 'watch' | 'plan' | 'manage';

export interface ConsoleRoute {
  id: string;
  label: MessageKey;
  group: RouteGroup;
  view: View;
  /** Who sees it in the menu (the server decides what they may do); absent: every staff role. */
  roles?: readonly Role[];
}

export const GROUPS: readonly { id: RouteGroup; label: MessageKey }[] = [
  { id: 'watch', label: 'navGroup.watch' },
  { id: 'plan', label: 'navGroup.plan' },
  { id: 'manage', label: 'navGroup.manage' },
];

export const ROUTES: readonly ConsoleRoute[] = [
  { id: 'monitor', label: 'nav.monitor', group: 'watch', view: monitorView },
  { id: 'incidents', label: 'nav.incidents', group: 'watch', view: incidentsView },
  { id: 'wall', label: 'nav.wall', group: 'watch', view: wallView },
  { id: 'coverage', label: 'nav.coverage', group: 'plan', view: coverageView },
  { id: 'planner', label: 'nav.planner', group: 'plan', view: plannerView },
  { id: 'kpis', label: 'nav.kpis', group: 'plan', view: kpisView },
  { id: 'reports', label: 'nav.reports', group: 'plan', view: reportsView },
  { id: 'inventory', label: 'nav.inventory', group: 'manage', view: inventoryView },
  { id: 'hotspots', label: 'nav.hotspots', group: 'manage', view: hotspotsView },
  { id: 'radius', label: 'nav.radius', group: 'manage', view: radiusView },
  { id: 'collectors', label: 'nav.collectors', group: 'manage', view: collectorsView, roles: ['admin', 'engineer'] },
  { id: 'alerts', label: 'nav.alerts', group: 'manage', view: alertsView, roles: ['admin', 'engineer'] },
  { id: 'admin', label: 'nav.admin', group: 'manage', view: adminView, roles: ['admin'] },
  { id: 'account', label: 'nav.account', group: 'manage', view: accountView },
];

export function routesFor(role: Role): ConsoleRoute[] {
  return ROUTES.filter((r) => r.roles === undefined || r.roles.includes(role));
}
