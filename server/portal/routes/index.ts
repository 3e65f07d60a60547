/**
 * The captive portal's route table, the one entry into server/portal/routes/: citizen pages (page-routes.tsx), the success page's speed test and `/portal/done`
 * (speed-routes.tsx, issue 14) and staff/collector endpoints (admin-routes.tsx).
 */
import type { AnyRoute } from '../../http/route.ts';
import { portalAdminRoutes } from './admin-routes.tsx';
import { portalPageRoutes } from './page-routes.tsx';
import { speedRoutes } from './speed-routes.tsx';

export const portalRoutes: AnyRoute[] = [...portalPageRoutes, ...speedRoutes, ...portalAdminRoutes];
