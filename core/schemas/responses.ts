/**
 * What every route answers (issue 13, item 9): each route declares one of these as its `response`, the OpenAPI
 * document is written from them, the API tests check every JSON answer against them (config.checkResponses), and the
 * web client's types are these schemas' outputs (web/src/api/types.ts, type-only imports). Objects whose deeper
 * parts are computed by the geometry engine are declared with the fields clients rely on and `looseObject`, which
 * says "at least these fields".
 */
import { z } from 'zod';
import { INTERFACE_ROLES, trafficSelection } from '../interface-roles.ts';
import { userOut } from './auth.ts';
import { csvImportResult, deviceOut, siteOut } from './inventory.ts';
import { residentsImportResult, wardImportResult, wardOut } from './wards.ts';

const nullableNumber = z.number().nullable();
const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), total: z.number(), limit: z.number(), offset: z.number() });

export const okOut = z.object({ ok: z.literal(true) });
export const htmlPage = z.string().describe('An HTML page');
export const csvFile = z.string().describe('CSV text (RFC 4180, CRLF line ends)');
/** Any GeoJSON FeatureCollection. */
export const featureCollection = z.looseObject({ type: z.literal('FeatureCollection'), features: z.array(z.looseObject({ type: z.literal('Feature'), geometry: z.unknown(), properties: z.record(z.string(), z.unknown()).nullable() })) });

// --- system and auth ------------------------------------------------------------------------------------------------
export const healthOut = z.object({ status: z.enum(['ok', 'degraded']), version: z.string(), database: z.string(), dbLatencyMs: z.number().optional() });
export const loginOut = z.object({ user: z.object({ id: z.string(), email: z.string(), role: z.string(), mustChangePassword: z.boolean() }), expiresAt: z.string() });
export const meOut = userOut.extend({ mustChangePassword: z.boolean(), via: z.string() });
export const tokenListOut = z.object({ items: z.array(z.object({ id: z.string(), name: z.string(), createdAt: z.string(), expiresAt: z.string().nullable(), lastUsedAt: z.string().nullable(), kind: z.enum(['personal', 'collector']), collectorId: z.string().nullable() })) });
export const tokenCreatedOut = z.object({ id: z.string(), name: z.string(), token: z.string(), kind: z.enum(['personal', 'collector']), expiresAt: z.string() });
export const userPageOut = page(userOut);
export const auditPageOut = page(
  z.object({ id: z.string(), at: z.string(), actorId: z.string().nullable(), actor: z.string(), action: z.string(), entity: z.string(), entityId: z.string().nullable(), detail: z.unknown(), requestId: z.string().nullable() }),
);

// --- wards and inventory --------------------------------------------------------------------------------------------
export const wardPageOut = page(wardOut);
export const wardDetailOut = wardOut.extend({ bbox: z.array(z.number()).length(4), geometry: z.unknown() });
export { wardImportResult, residentsImportResult };
export const sitePageOut = page(siteOut);
export const devicePageOut = page(deviceOut);
export const csvImportOut = csvImportResult.extend({ errors: z.array(z.object({ row: z.number(), message: z.string() })) }).loose();
export const discoveryOut = z.looseObject({ ok: z.literal(true), vendor: z.string(), model: z.string().nullable(), version: z.string().nullable(), hardwareRevision: z.string().nullable().optional(), sysName: z.string().nullable() });

// --- monitoring -----------------------------------------------------------------------------------------------------
/** `unmonitored` (issue 11): inventory only, never polled, never an incident. */
export const DEVICE_STATES = ['up', 'degraded', 'down', 'unknown', 'unmonitored'] as const;
export const statusItemOut = z.object({
  deviceId: z.string(),
  name: z.string(),
  role: z.string(),
  siteId: z.string().nullable(),
  siteName: z.string().nullable(),
  lat: nullableNumber,
  lon: nullableNumber,
  wardCode: z.string().nullable(),
  provider: z.string().nullable(),
  state: z.enum(DEVICE_STATES),
  since: z.string().nullable(),
  lastPollAt: z.string().nullable(),
  clients: nullableNumber,
  lastErrorKind: z.string().nullable(),
});
export const fleetStatusOut = z.object({ items: z.array(statusItemOut), counts: z.record(z.string(), z.number()) });
export const deviceStatusOut = z.object({
  deviceId: z.string(),
  state: z.enum(DEVICE_STATES),
  since: z.string().nullable(),
  lastPollAt: z.string().nullable(),
  lastOkAt: z.string().nullable(),
  lastError: z.object({ kind: z.string(), message: z.string(), at: z.string().nullable() }).nullable(),
  uptimeS: nullableNumber,
  clients: nullableNumber,
  rxBps: nullableNumber,
  txBps: nullableNumber,
  sysName: z.string().nullable(),
  sysDescr: z.string().nullable(),
  version: z.string().nullable(),
  ssids: z.array(z.object({ ssid: z.string(), radio: z.string().nullable(), clients: z.number() })),
  enabled: z.boolean(),
  /** Issue 11: the last poll's interfaces, each with its role and whether rxBps/txBps above add it. */
  interfaces: z.array(z.object({
    index: z.number(),
    name: z.string(),
    role: z.enum(INTERFACE_ROLES),
    counted: z.boolean(),
    operUp: z.boolean().nullable(),
    speedBps: nullableNumber,
    rxBps: nullableNumber,
    txBps: nullableNumber,
  })),
  /** Which interfaces the totals add: `default` (physical and uplink) or the device's own choice. */
  trafficInterfaces: trafficSelection.nullable(),
});
export const pollListOut = z.object({ items: z.array(z.object({ at: z.string(), ok: z.boolean(), durationMs: z.number(), error: z.object({ kind: z.string(), message: z.string() }).nullable() })) });
export const seriesOut = z.object({ metric: z.string(), resolution: z.enum(['raw', '5m', '1h', '1d']), points: z.array(z.tuple([z.number(), z.number()])), max: z.array(z.tuple([z.number(), z.number()])).nullable() });
export const availabilityOut = z.looseObject({
  scope: z.record(z.string(), z.unknown()),
  from: z.string(),
  to: z.string(),
  percent: nullableNumber,
  upS: z.number(),
  downS: z.number(),
  observedS: z.number(),
  unknownS: z.number(),
  devices: z.number(),
  devicesWithData: z.number(),
  incidents: z.number(),
  mttrS: nullableNumber,
  /** The window asked for, and the part of it actually observed (a device watched for two minutes says so). */
  periodS: z.number().optional(),
  observedFrom: z.string().nullable().optional(),
  observedWindowS: z.number().nullable().optional(),
});
export const ingestOut = z.looseObject({
  batchId: z.string(),
  stored: z.boolean(),
  items: z.unknown(),
  events: z.unknown(),
  /** Issue 11: what was dropped because its device does not exist (deleted or unknown); the rest was stored. */
  dropped: z.object({ items: z.number(), events: z.number(), devices: z.array(z.string()) }).optional(),
});
/** GET /api/v1/monitoring/ingest (issue 11): what ingest dropped per collector, and the batches set aside. */
export const ingestHealthOut = z.object({
  collectors: z.array(z.object({ id: z.string(), lastSeenAt: z.string(), lastBatchId: z.string().nullable(), droppedItems: z.number(), droppedEvents: z.number() })),
  deadLetters: z.object({
    /** False where this runtime keeps none (Workers: standalone collectors keep theirs in <outbox>/rejected/). */
    available: z.boolean(),
    total: z.number(),
    items: z.array(z.object({ id: z.string(), at: z.string(), reason: z.string(), collectorId: z.string(), batchId: z.string(), items: z.number(), events: z.number(), devices: z.number() })),
  }),
});
/** GET /api/v1/system/jobs (issue 11): the background-job table and each job's last run. */
export const jobsOut = z.object({
  items: z.array(
    z.object({
      name: z.string(),
      periodS: z.number(),
      runs: z.number(),
      lastStartedAt: z.string().nullable(),
      lastFinishedAt: z.string().nullable(),
      lastOk: z.boolean().nullable(),
      lastError: z.string().nullable(),
      lastRunner: z.string().nullable(),
    }),
  ),
});
export const collectorTargetsOut = z.object({ sealedTargets: z.string(), devices: z.number() });
export const webhookListOut = z.object({ items: z.array(z.object({ id: z.string(), url: z.string(), enabled: z.boolean(), createdAt: z.string() })) });
export const webhookCreatedOut = z.object({ id: z.string(), url: z.string(), createdAt: z.string() });
export const idOut = z.object({ id: z.string() });

// --- coverage -------------------------------------------------------------------------------------------------------
export const wardCoverageItemOut = z.looseObject({
  code: z.string(),
  name: z.string(),
  district: z.string(),
  areaM2: z.number(),
  coveredAreaM2: z.number(),
  coveredPct: z.number(),
  residents: nullableNumber,
  residentsCovered: nullableNumber,
  residentsCoveredPct: nullableNumber,
  accessPoints: z.number(),
  liveAccessPoints: z.number(),
  unverifiedAccessPoints: z.number().optional(),
  apsPer1000Residents: nullableNumber,
  /** Why residents is null (a code). */
  residentsReason: z.string().optional(),
});
/** What stands behind a layer: devices in total, counted as covering, counted though never polled, down. */
export const layerDevicesOut = z.looseObject({ total: z.number(), counted: z.number(), unverified: z.number(), down: z.number(), countedUnverified: z.number() });
export const wardCoverageOut = z.looseObject({
  layer: z.string(),
  layerDefinition: z.string().optional(),
  devices: layerDevicesOut.optional(),
  populationSource: z.string(),
  items: z.array(wardCoverageItemOut),
  city: z.looseObject({ partial: z.boolean(), wardsWithoutResidents: z.number() }).optional(),
});
export const gapsOut = z.looseObject({
  items: z.array(
    z.looseObject({
      wardCode: z.string(), wardName: z.string(), areaM2: z.number(), residents: nullableNumber,
      /** Residents, or (ward residents unknown) the area at the city's mean density; `warning` says so. */
      rankResidents: z.number().optional(), warning: z.string().optional(),
      centroid: z.tuple([z.number(), z.number()]), geometry: z.unknown(),
    }),
  ),
});
const wardState = z.looseObject({ coveredPct: z.number(), residentsCovered: nullableNumber });
export const whatIfOut = z.looseObject({ items: z.array(z.looseObject({ code: z.string(), name: z.string().optional(), before: wardState, after: wardState })) });

// --- planning, rollout, KPIs, reports -------------------------------------------------------------------------------
export const candidateOut = z.object({ id: z.string(), name: z.string(), kind: z.string(), lat: z.number(), lon: z.number(), wardCode: z.string().nullable(), cost: nullableNumber, feasible: z.boolean(), generated: z.boolean(), createdAt: z.string() });
export const candidatePageOut = page(candidateOut);
export const candidatesImportedOut = z.object({ created: z.number(), items: z.array(candidateOut) });
export const candidatesGeneratedOut = z.object({ created: z.number(), gapsUsed: z.number(), items: z.array(candidateOut) });
export const planSiteOut = z.object({
  rank: z.number(), candidateId: z.string(), name: z.string(), kind: z.string(), generated: z.boolean(), lat: z.number(), lon: z.number(), wardCode: z.string().nullable(),
  cost: nullableNumber, marginalResidents: z.number(), cumulativeResidents: z.number(), reason: z.string(),
});
export const planOut = z.looseObject({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  layer: z.string(),
  radiusM: z.number(),
  budget: z.object({ count: z.number().optional(), cost: z.number().optional() }),
  sites: z.array(planSiteOut),
  curve: z.array(z.tuple([z.number(), z.number()])),
  newResidents: z.number(),
  upperBound: z.number(),
  gapPct: z.number(),
  totalCost: z.number(),
  warnings: z.array(z.string()),
  notices: z.array(z.object({ code: z.string(), params: z.record(z.string(), z.union([z.string(), z.number()])) })),
  devices: layerDevicesOut.optional(),
  /** The same budget planned on a denser automatic set of points: what that plan reaches. */
  denserCandidates: z.looseObject({ candidates: z.number(), newResidents: z.number(), moreResidents: z.number(), morePct: z.number() }).nullable().optional(),
});
export const planPageOut = page(planOut);
export const planCompareOut = z.looseObject({ newResidentsDelta: z.number(), totalCostDelta: z.number(), common: z.array(z.string()), onlyA: z.array(z.string()), onlyB: z.array(z.string()), curves: z.array(z.array(z.number().nullable())) });
const step = z.enum(['proposed', 'approved', 'installing', 'live', 'dropped']);
export const rolloutItemOut = z.object({
  id: z.string(), programme: z.string(), planId: z.string().nullable(), candidateId: z.string().nullable(), name: z.string(), lat: z.number(), lon: z.number(), wardCode: z.string().nullable(),
  status: step, department: z.string().nullable(), provider: z.string().nullable(), budget: nullableNumber, siteId: z.string().nullable(), deviceId: z.string().nullable(),
  dates: z.object({ proposed: z.string(), approved: z.string().nullable(), installing: z.string().nullable(), live: z.string().nullable(), dropped: z.string().nullable() }),
  due: z.object({ approved: z.string().nullable(), installing: z.string().nullable(), live: z.string().nullable() }),
  nextStep: z.enum(['approved', 'installing', 'live']).nullable(), nextDue: z.string().nullable(), overdue: z.boolean(), notes: z.string().nullable(), owner: z.string().nullable(),
  createdAt: z.string(), updatedAt: z.string(),
});
export const rolloutPageOut = page(rolloutItemOut);
export const rolloutFromPlanOut = z.object({ created: z.number(), skipped: z.number(), items: z.array(rolloutItemOut) });
export const rolloutWardsOut = z.object({
  items: z.array(z.object({ wardCode: z.string(), wardName: z.string(), proposed: z.number(), approved: z.number(), installing: z.number(), live: z.number(), dropped: z.number(), overdue: z.number(), budget: z.number() })),
});
export const kpiValueOut = z.object({ key: z.string(), label: z.string(), value: nullableNumber, target: nullableNumber, unit: z.string(), status: z.enum(['green', 'orange', 'red', 'no-data']), reason: z.string().optional(), note: z.string().optional() });
export const wardKpisOut = z.looseObject({ asOf: z.string(), periodDays: z.number(), items: z.array(z.looseObject({ wardCode: z.string(), wardName: z.string(), district: z.string(), kpis: z.array(kpiValueOut) })) });
export const providerKpisOut = z.object({ items: z.array(z.looseObject({ provider: z.string(), devices: z.number(), kpis: z.array(kpiValueOut) })) });
export const programmeKpisOut = z.object({ items: z.array(z.looseObject({ programme: z.string(), items: z.number(), kpis: z.array(kpiValueOut) })) });
export const thresholdsOut = z.object({
  items: z.array(z.looseObject({ key: z.string(), label: z.string(), unit: z.string(), scope: z.string(), direction: z.enum(['higher', 'lower']), target: nullableNumber, green: z.number(), red: z.number() })),
});
export const snapshotOut = z.looseObject({ day: z.string(), rows: z.number(), takenAt: z.string() });
export const kpiHistoryOut = z.object({ key: z.string(), scope: z.string(), scopeKey: z.string(), items: z.array(z.object({ day: z.string(), value: nullableNumber, status: z.string() })), points: z.array(z.tuple([z.number(), z.number()])) });
export const publicSummaryOut = z.looseObject({
  asOf: z.string(),
  pointsLive: z.number(),
  pointsWorking: z.number(),
  pointsTotal: z.number(),
  availabilityTodayPct: nullableNumber,
  residentsCoveredPct: nullableNumber,
  residentsCoveredReason: z.string().optional(),
  partial: z.boolean().optional(),
  wards: z.array(z.looseObject({ code: z.string(), name: z.string(), coveredPct: nullableNumber, status: z.string(), reason: z.string().optional() })),
});
export const reportCreatedOut = z.object({ id: z.string(), wardCode: z.string() });
/** Issue 15: each hotspot also says its ward's names, its network names (SSID), when it last answered and since when its state holds. */
export const publicHotspotOut = z.object({
  id: z.string(), name: z.string(), lat: z.number(), lon: z.number(), wardCode: z.string().nullable(), state: z.enum(['up', 'down', 'unknown', 'planned']),
  wardName: z.string().nullable(), kecamatan: z.string().nullable(), ssids: z.array(z.string()), lastSeen: z.string().nullable(), stateSince: z.string().nullable(),
});
export const hotspotsOut = z.object({ items: z.array(publicHotspotOut), total: z.number() });
export const hotspotStatusOut = z.object({
  hotspot: publicHotspotOut,
  days: z.array(z.object({ day: z.string(), availabilityPct: z.number().nullable(), observedH: z.number() })),
  availabilityPct: z.number().nullable(),
  maintenance: z.array(z.object({ startsAt: z.string(), endsAt: z.string(), active: z.boolean() })),
  asOf: z.string(),
});

/** Portal staff and collector endpoints: lists and results (their items are declared in core/schemas/portal.ts where they exist). */
export const itemsOut = z.looseObject({ items: z.array(z.unknown()) });
export const looseResult = z.looseObject({});

// --- Issue 15: reports, open data, metrics ----------------------------------------------------------------------
export const xlsxFile = z.string().describe('An Office Open XML workbook (.xlsx, binary)');
export const pdfFile = z.string().describe('A PDF document (binary)');
export const prometheusText = z.string().describe('Prometheus text exposition format 0.0.4');
export const dcatCatalogOut = z.looseObject({
  '@context': z.record(z.string(), z.string()),
  '@type': z.literal('dcat:Catalog'),
  'dcat:dataset': z.array(z.looseObject({ '@type': z.literal('dcat:Dataset'), 'dct:identifier': z.string(), 'dcat:distribution': z.array(z.looseObject({ 'dcat:downloadURL': z.object({ '@id': z.string() }), 'dcat:mediaType': z.string() })) })),
}).describe('DCAT catalogue (JSON-LD)');
export const openDataSnapshotOut = z.object({ day: z.string(), datasets: z.array(z.object({ dataset: z.string(), rows: z.number() })) });

// --- Issue 15: the KPI programme ---
const kpiWords = z.object({ id: z.string(), en: z.string() });
export const kpiProgrammeItemOut = z.object({
  key: z.string(), scope: z.string(), direction: z.enum(['higher', 'lower']), unit: z.string(), label: kpiWords, definition: kpiWords,
  target: z.number().nullable(), green: z.number(), red: z.number(), defaults: z.object({ target: z.number().nullable(), green: z.number(), red: z.number() }),
  department: z.string().nullable(), pic: z.object({ name: z.string().nullable(), contact: z.string().nullable() }),
  updatedAt: z.string().nullable(), updatedBy: z.string().nullable(),
  trend: z.object({ direction: z.enum(['up', 'down', 'flat']), better: z.boolean().nullable(), from: z.object({ day: z.string(), value: z.number() }), to: z.object({ day: z.string(), value: z.number() }), days: z.number() }).nullable(),
  trendReason: z.enum(['no-snapshots', 'one-day', 'no-values']).optional(),
  points: z.array(z.object({ day: z.string(), value: z.number().nullable() })),
});
export const kpiProgrammeOut = z.object({ items: z.array(kpiProgrammeItemOut), trendDays: z.number() });
export const kpiProgrammeChangesOut = z.object({ key: z.string(), items: z.array(z.object({ at: z.string(), by: z.string(), changes: z.record(z.string(), z.tuple([z.unknown(), z.unknown()])) })) });
export const kpiNoteOut = z.object({ key: z.string(), month: z.string(), note: z.string(), by: z.string(), updatedAt: z.string() });
export const kpiNotesOut = z.object({ month: z.string(), items: z.array(kpiNoteOut.omit({ month: true })) });
export const districtKpisOut = z.object({
  asOf: z.string(),
  items: z.array(z.object({
    kecamatan: z.string(), wards: z.number(), livePoints: z.number(), residents: z.number().nullable(), residentsCoveredPct: z.number().nullable(),
    availabilityPct: z.number().nullable(), status: z.enum(['green', 'orange', 'red', 'no-data']), reason: z.string().optional(),
  })),
});
