/** The captive portal: citizen pages (server/portal/page-routes.tsx) and staff/collector endpoints (admin-routes.tsx). */
import type { AnyRoute } from '../http/route.ts';
import { portalAdminRoutes } from '../portal/admin-routes.tsx';
import { portalPageRoutes } from '../portal/page-routes.tsx';

export const portalRoutes: AnyRoute[] = [...portalPageRoutes, ...portalAdminRoutes];
