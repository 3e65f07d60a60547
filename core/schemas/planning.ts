/** API shapes of issue 5: candidates, plans, rollout, KPIs, blank-spot reports. */
import { z } from 'zod';
import { DEFAULT_COVERAGE_LAYER } from '../coverage-layers.ts';
import { countLayer } from './coverage.ts';
import { isoDate, latitude, longitude } from './common.ts';

export const CANDIDATE_KINDS = ['ward-office', 'school', 'mosque', 'health-post', 'park', 'other'] as const;
export const GENERATED_KINDS = ['gap-centroid', 'gap-grid'] as const;
export const candidateKind = z.enum(CANDIDATE_KINDS);

/** One imported candidate (a CSV row or a GeoJSON point's properties + coordinates). */
export const candidateInput = z.object({
  name: z.string().trim().min(1).max(160),
  lat: latitude,
  lon: longitude,
  kind: candidateKind.default('other'),
  cost: z.number().finite().min(0, 'cost must not be negative').max(1e12).nullable().optional(),
  feasible: z.boolean().default(true),
});
export type CandidateInput = z.infer<typeof candidateInput>;

export const candidateListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(50_000).default(5000),
  offset: z.coerce.number().int().min(0).default(0),
  wardCode: z.string().max(64).optional(),
  source: z.enum(['imported', 'generated']).optional(),
});

export const generateCandidatesBody = z.object({
  layer: countLayer.default(DEFAULT_COVERAGE_LAYER),
  /** How many new sites the set is for: without maxPoints, the set is sized to it (default 30). */
  sites: z.number().int().min(1).max(10_000).default(30).describe('How many new sites the set is meant for; sizes the set when maxPoints is not given (default 30)'),
  /** Footprint radius of the sites to be planned, m (default: the outdoor profile's 100 m); sets the spacing. */
  radiusM: z.number().finite().min(1, 'a radius under 1 m is not a footprint').max(2000).optional(),
  /** Lattice spacing in the densest gaps, m (default half the radius). */
  spacingM: z.number().finite().min(10).max(2000).optional(),
  /** Total points, overriding the sizing (one per gap is kept first, most residents first). */
  maxPoints: z.number().int().min(1).max(20_000).optional(),
  /** Only the gaps with the most residents (default: every gap). */
  maxGaps: z.number().int().min(1).max(100_000).optional(),
  /** Gaps smaller than this get no points, m2. */
  minAreaM2: z.number().finite().min(0).max(10_000_000).default(2000),
});
export type GenerateCandidatesBody = z.infer<typeof generateCandidatesBody>;

export const planBudget = z.union([
  z.object({ count: z.number().int('count must be a whole number').min(1, 'count must be at least 1').max(10_000) }).strict(),
  z.object({ cost: z.number().finite().gt(0, 'cost must be above 0').max(1e15) }).strict(),
]);

export const planBody = z.object({
  name: z.string().trim().min(1).max(120),
  budget: planBudget,
  /** Minimum sites (live + new) in every ward, e.g. 10. */
  perWardMin: z.number().int().min(0).max(1000).optional(),
  wardMinimums: z.record(z.string().max(64), z.number().int().min(0).max(1000)).optional(),
  /** Coverage layer whose sites stay fixed (default assumed: every site not retired and not known to be down). */
  layer: countLayer.default(DEFAULT_COVERAGE_LAYER),
  /** Radius of every new site's footprint, m (default: the outdoor profile's radius). */
  radiusM: z.number().finite().min(1, 'a radius under 1 m is not a footprint').max(2000).optional(),
  /** Only these candidates (default: all stored ones). */
  candidateIds: z.array(z.string().min(1).max(64)).max(50_000).optional(),
  includeGenerated: z.boolean().default(true),
  /**
   * 'thorough' (default): the planner's local search and Lagrangian bound where its 'auto' allows (best plan,
   * tightest bound; about a second on a few hundred candidates); 'fast': the lazy greedy and its online bound only.
   */
  effort: z.enum(['thorough', 'fast']).default('thorough'),
});
export type PlanBody = z.infer<typeof planBody>;

export const compareQuery = z.object({ a: z.string().min(1).max(64), b: z.string().min(1).max(64) });

export const ROLLOUT_STATUSES = ['proposed', 'approved', 'installing', 'live', 'dropped'] as const;
export const rolloutStatus = z.enum(ROLLOUT_STATUSES);
export type RolloutStatus = z.infer<typeof rolloutStatus>;

const rolloutFields = {
  programme: z.string().trim().min(1).max(80).optional(),
  department: z.string().trim().max(120).nullable().optional(),
  provider: z.string().trim().max(120).nullable().optional(),
  budget: z.number().finite().min(0).max(1e12).nullable().optional(),
  dueApproved: isoDate.nullable().optional(),
  dueInstalling: isoDate.nullable().optional(),
  dueLive: isoDate.nullable().optional(),
  notes: z.string().max(2000).nullable().optional(),
  /** The person in charge (issue 13). */
  owner: z.string().trim().max(120).nullable().optional(),
};

export const rolloutCreateBody = z.object({ name: z.string().trim().min(1).max(160), lat: latitude, lon: longitude, ...rolloutFields });
export const rolloutPatchBody = z.object(rolloutFields);
export const rolloutFromPlanBody = z.object(rolloutFields).extend({
  /** Budget of each site when the candidate has no cost. */
  budgetPerSite: z.number().finite().min(0).max(1e12).optional(),
});
export const rolloutAdvanceBody = z.object({
  to: rolloutStatus.exclude(['proposed']),
  /** When the step happened (default now). */
  at: z.string().datetime({ offset: true }).optional(),
  /** Needed to go live: the installed device. */
  deviceId: z.string().min(1).max(64).optional(),
  department: z.string().trim().max(120).nullable().optional(),
  provider: z.string().trim().max(120).nullable().optional(),
  budget: z.number().finite().min(0).max(1e12).nullable().optional(),
  note: z.string().max(2000).optional(),
  /** The person in charge from this step on (issue 13). */
  owner: z.string().trim().max(120).nullable().optional(),
});
export type RolloutAdvanceBody = z.infer<typeof rolloutAdvanceBody>;

export const rolloutListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(5000).default(500),
  offset: z.coerce.number().int().min(0).default(0),
  wardCode: z.string().max(64).optional(),
  status: rolloutStatus.optional(),
  programme: z.string().max(80).optional(),
  overdue: z.enum(['true', 'false']).optional(),
});

export const kpiThresholdsBody = z.record(
  z.string().max(64),
  z.object({ green: z.number().finite(), red: z.number().finite() }).strict(),
);

export const kpiHistoryQuery = z.object({
  key: z.string().min(1).max(64),
  wardCode: z.string().max(64).optional(),
  provider: z.string().max(120).optional(),
  programme: z.string().max(80).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
});

export const REPORT_NOTE_MAX = 500;
export const reportBody = z
  .object({
    lat: latitude,
    lon: longitude,
    note: z.string().trim().max(REPORT_NOTE_MAX, `note is limited to ${REPORT_NOTE_MAX} characters`).default(''),
  })
  .strict();

/** What staff made of a citizen's report (issue 13): new, seen, planned (a site is coming), resolved. */
export const REPORT_TRIAGE = ['new', 'seen', 'planned', 'resolved'] as const;
export const reportTriage = z.enum(REPORT_TRIAGE);
export type ReportTriage = z.infer<typeof reportTriage>;

export const reportListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(5000).default(500),
  offset: z.coerce.number().int().min(0).default(0),
  wardCode: z.string().max(64).optional(),
  /** The reports inside this region: a province, kabupaten/kota, kecamatan or desa/kelurahan code (issue 17). */
  region: z.string().min(1).max(64).optional(),
  triage: reportTriage.optional(),
});

export const reportTriageBody = z.object({ triage: reportTriage, note: z.string().trim().max(1000).nullable().optional() }).strict();

export const reportOut = z.object({
  id: z.string(),
  lat: z.number(),
  lon: z.number(),
  wardCode: z.string().nullable(),
  note: z.string(),
  createdAt: z.string(),
  triage: reportTriage,
  triageNote: z.string().nullable(),
  triageBy: z.string().nullable(),
  triageAt: z.string().nullable(),
});
export type ReportOut = z.infer<typeof reportOut>;
