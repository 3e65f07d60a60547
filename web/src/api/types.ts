/**
 * Shapes the web UI reads. Existing resources come from core's schemas (type-only imports); the routes still being
 * built follow the API contract and are declared here until core carries their schemas.
 */
import type { DeviceOut, SiteOut, SiteStatus } from '../../../core/schemas/inventory.ts';
import type { WardOut } from '../../../core/schemas/wards.ts';
import type { ErrorDetail } from '../../../core/errors.ts';
import type { Role } from '../../../core/roles.ts';
import type { LayerDevices } from '../../../core/coverage-layers.ts';
import type { IncidentOut, MaintenanceOut } from '../../../core/schemas/monitoring.ts';
import type { ChannelOut, DeliveryOut, Severity, AlertEvent, ChannelKind } from '../../../core/schemas/alerts.ts';
import type { ReportOut, ReportTriage } from '../../../core/schemas/planning.ts';
import type { UserOut } from '../../../core/schemas/auth.ts';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { z } from 'zod';
import type {
  availabilityOut, candidateOut, deviceStatusOut, gapsOut, hotspotsOut, kpiValueOut, planOut, planSiteOut, pollListOut, publicSummaryOut, seriesOut, statusItemOut,
  wardCoverageItemOut, wardCoverageOut, wardKpisOut, whatIfOut,
} from '../../../core/schemas/responses.ts';

export type { DeviceOut, SiteOut, SiteStatus, WardOut, ErrorDetail, Role, LayerDevices, IncidentOut, MaintenanceOut, ChannelOut, DeliveryOut, Severity, AlertEvent, ChannelKind, ReportOut, ReportTriage, UserOut };

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface Me {
  id: string;
  email: string;
  role: Role;
  displayName: string | null;
  mustChangePassword: boolean;
}

/** `unmonitored` (issue 11): inventory only, never polled. */
export type DeviceState = 'up' | 'degraded' | 'down' | 'unknown' | 'unmonitored';
export type PublicState = 'up' | 'down' | 'unknown' | 'planned';
export type PointState = DeviceState | 'planned';

/** From the response schemas the server declares (core/schemas/responses.ts): the browser reads what the server writes. */
export type StatusItem = z.output<typeof statusItemOut>;
export type DeviceStatus = z.output<typeof deviceStatusOut>;
export type PollItem = z.output<typeof pollListOut>['items'][number];
export type Series = z.output<typeof seriesOut>;
export type Availability = z.output<typeof availabilityOut>;
export type WardCoverage = z.output<typeof wardCoverageItemOut>;
export type CoverageWards = z.output<typeof wardCoverageOut>;
export type Gap = z.output<typeof gapsOut>['items'][number];
export type WhatIfItem = z.output<typeof whatIfOut>['items'][number];
export type Candidate = z.output<typeof candidateOut>;
export type Plan = z.output<typeof planOut>;
export type PlanSite = z.output<typeof planSiteOut>;
export type Kpi = z.output<typeof kpiValueOut>;
export type WardKpis = z.output<typeof wardKpisOut>['items'][number];
export type Hotspot = z.output<typeof hotspotsOut>['items'][number];
export type PublicSummary = z.output<typeof publicSummaryOut>;

export type CoverageLayer = 'assumed' | 'live' | 'reliable' | 'expected' | 'planned';
export const COVERAGE_LAYERS: readonly CoverageLayer[] = ['assumed', 'live', 'reliable', 'expected', 'planned'];


export type KpiStatus = 'green' | 'orange' | 'red' | 'no-data';

export interface WardFeatureProps {
  code: string;
  name: string;
  district: string;
  areaM2: number;
  population: number | null;
}
export type WardCollection = FeatureCollection<Polygon | MultiPolygon, WardFeatureProps>;

// Issue 15: the KPI programme.
export type KpiProgrammeItem = z.output<typeof import('../../../core/schemas/responses.ts').kpiProgrammeItemOut>;
