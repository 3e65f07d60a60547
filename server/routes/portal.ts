/**
 * The captive portal: citizen pages (server/portal/page-routes.tsx), the success page's speed test and `/portal/done`
 * (speed-routes.tsx, issue 14) and staff/collector endpoints (admin-routes.tsx).
 */
import type { AnyRoute } from '../http/route.ts';
import { portalAdminRoutes } from '../portal/admin-routes.tsx';
import { portalPageRoutes } from '../portal/page-routes.tsx';
import { speedRoutes } from '../portal/speed-routes.tsx';

export const portalRoutes: AnyRoute[] = [...portalPageRoutes, ...speedRoutes, ...portalAdminRoutes];
