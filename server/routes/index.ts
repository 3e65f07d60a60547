import type { AnyRoute } from '../http/route.ts';
import { alertRoutes } from './alerts.ts';
import { authRoutes } from './auth.ts';
import { coverageRoutes } from './coverage.ts';
import { demoRoutes } from './demo.ts';
import { inventoryRoutes } from './inventory.ts';
import { monitoringRoutes } from './monitoring.ts';
import { planningRoutes } from './planning.ts';
import { portalRoutes } from '../portal/routes/index.ts';
import { publicRoutes } from './public.ts';
import { radiusRoutes } from './radius.ts';
import { systemRoutes } from './system.ts';
import { userRoutes } from './users.ts';
import { wardRoutes } from './wards.ts';
import { openDataRoutes } from './open-data.ts';
import { monthlyReportRoutes } from './monthly-report.ts';
import { kpiProgrammeRoutes } from './kpi-programme.ts';
import { liveRoutes } from './live.ts';
import { regionRoutes } from './regions.ts';
import { collectorRoutes } from './collectors.ts';

/** The whole route table. Each capability adds its list here. */
export const ALL_ROUTES: AnyRoute[] = [...systemRoutes, ...authRoutes, ...userRoutes, ...wardRoutes, ...inventoryRoutes, ...monitoringRoutes, ...coverageRoutes, ...planningRoutes, ...publicRoutes, ...portalRoutes, ...demoRoutes, ...radiusRoutes, ...alertRoutes, ...openDataRoutes, ...monthlyReportRoutes, ...kpiProgrammeRoutes, ...liveRoutes, ...regionRoutes, ...collectorRoutes];
