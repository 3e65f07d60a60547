/**
 * Shapes the web UI reads. Existing resources come from core's schemas (type-only imports); the routes still being
 * built follow the API contract and are declared here until core carries their schemas.
 */
import type { DeviceOut, SiteOut, SiteStatus } from '../../../core/schemas/inventory.ts';
import type { WardOut } from '../../../core/schemas/wards.ts';
import type { ErrorDetail } from '../../../core/errors.ts';
import type { Role } from '../../../core/roles.ts';
import type { LayerDevices } from '../../../core/coverage-layers.ts';
import type { FeatureCollection, Geometry, MultiPolygon, Polygon } from 'geojson';

export type { DeviceOut, SiteOut, SiteStatus, WardOut, ErrorDetail, Role, LayerDevices };

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

export type DeviceState = 'up' | 'degraded' | 'down' | 'unknown';
export type PublicState = 'up' | 'down' | 'unknown' | 'planned';
export type PointState = DeviceState | 'planned';

export interface StatusItem {
  deviceId: string;
  name: string;
  role: string;
  siteId: string | null;
  siteName: string | null;
  lat: number | null;
  lon: number | null;
  wardCode: string | null;
  state: DeviceState;
  since: string | null;
  lastPollAt: string | null;
  clients: number | null;
}

export interface DeviceStatus {
  deviceId: string;
  state: DeviceState;
  since: string | null;
  lastPollAt: string | null;
  lastError: { kind: string; message: string; at: string } | null;
  uptimeS: number | null;
  clients: number | null;
  rxBps: number | null;
  txBps: number | null;
}

export interface PollItem {
  at: string;
  ok: boolean;
  durationMs: number | null;
  error: { kind: string; message: string } | null;
}

export interface Series {
  resolution: 'raw' | '5m' | '1h' | '1d';
  points: [number, number][];
}

export interface Incident {
  id: string;
  deviceId: string;
  deviceName: string;
  startedAt: string;
  endedAt: string | null;
  /** A poll error (`{ kind, message }`) or, from older servers, a plain text. */
  cause: string | { kind: string; message: string } | null;
}

/** An incident's cause as one line of text. */
export function causeText(cause: Incident['cause']): string {
  if (cause === null || cause === undefined) return '';
  if (typeof cause === 'string') return cause;
  return `${cause.kind}: ${cause.message}`;
}

export interface Availability {
  percent: number | null;
  downS: number;
  observedS: number;
  /** Issue 12: the period asked for and the window actually observed within it. */
  periodS?: number;
  observedFrom?: string | null;
  observedWindowS?: number;
  incidents: number;
  mttrS: number | null;
}

export type CoverageLayer = 'assumed' | 'live' | 'reliable' | 'expected' | 'planned';
export const COVERAGE_LAYERS: readonly CoverageLayer[] = ['assumed', 'live', 'reliable', 'expected', 'planned'];


export interface WardCoverage {
  code: string;
  name: string;
  coveredAreaM2: number;
  coveredPct: number;
  residents: number | null;
  residentsCovered: number | null;
  residentsCoveredPct: number | null;
  residentsReason?: string;
  liveAccessPoints: number;
  unverifiedAccessPoints?: number;
  apsPer1000: number | null;
}

export interface CoverageWards {
  layer: CoverageLayer;
  layerDefinition?: string;
  devices?: LayerDevices;
  populationModel: string;
  items: WardCoverage[];
  city?: { partial: boolean; wardsWithoutResidents: number };
}

export interface Gap {
  wardCode: string;
  wardName: string;
  areaM2: number;
  residents: number | null;
  /** Residents, or (ward residents unknown) the area at the city's mean density; `warning` says so. */
  rankResidents?: number;
  warning?: string;
  centroid: [number, number];
  geometry: Geometry;
}

export interface WhatIfItem {
  code: string;
  name?: string;
  before: { coveredPct: number; residentsCovered: number | null };
  after: { coveredPct: number; residentsCovered: number | null };
}

export interface Candidate {
  id: string;
  name: string;
  lat: number;
  lon: number;
  wardCode: string | null;
  cost?: number | null;
  kind?: string | null;
}

export interface PlanSite {
  candidateId: string;
  name: string;
  lat: number;
  lon: number;
  wardCode: string | null;
  marginalResidents: number;
  cumulativeResidents: number;
}

export interface Plan {
  id: string;
  name: string;
  sites: PlanSite[];
  curve: [number, number][];
  upperBound: number | null;
  gapPct: number | null;
  warnings?: string[];
  layer?: CoverageLayer;
  devices?: LayerDevices;
  /** The same budget planned on a denser automatic set of points: what that plan reaches. */
  denserCandidates?: { candidates: number; newResidents: number; moreResidents: number; morePct: number } | null;
}

export type KpiStatus = 'green' | 'orange' | 'red' | 'no-data';
export interface Kpi {
  key: string;
  label: string;
  value: number | null;
  target: number | null;
  unit: string;
  status: KpiStatus;
  /** Why there is no value (status no-data): a code translated as kpiReason.<code>. */
  reason?: string;
  /** Why a value is missing or qualified (English, from the server). */
  note?: string;
}
export interface WardKpis {
  wardCode: string;
  wardName: string;
  kpis: Kpi[];
}

export interface Hotspot {
  id: string;
  name: string;
  lat: number;
  lon: number;
  wardCode: string | null;
  state: PublicState;
}

export interface PublicSummary {
  pointsLive: number;
  /** Live sites with a device up now. */
  pointsWorking?: number;
  pointsTotal: number;
  availabilityTodayPct: number | null;
  residentsCoveredPct: number | null;
  residentsCoveredReason?: string;
  partial?: boolean;
  wards: { code: string; name: string; coveredPct: number | null; status: KpiStatus | string | null; reason?: string }[];
}

export interface WardFeatureProps {
  code: string;
  name: string;
  district: string;
  areaM2: number;
  population: number | null;
}
export type WardCollection = FeatureCollection<Polygon | MultiPolygon, WardFeatureProps>;
