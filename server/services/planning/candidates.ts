/**
 * Candidate sites for new access points: imported from CSV or GeoJSON points (public buildings: ward offices,
 * schools, mosques, health posts, parks), or generated in the current gaps by uncovered residents
 * (geo/planner/candidate-points.ts: every gap served, the densest gaps on a finer lattice, sized to the sites planned).
 *
 * Import rules (all or nothing; every faulty row named, nothing stored when one is wrong):
 * - columns / properties: name, lat, lon (GeoJSON: the point's coordinates), kind (ward-office | school | mosque |
 *   health-post | park | other; default other), cost (optional, >= 0: a negative cost is refused), feasible
 *   (optional true/false/yes/no/1/0; default true).
 * - a location outside every ward (the ward locator's 25 m tolerance included) is REFUSED: a candidate there cannot
 *   add residents of the city, so it is an error in the file, not something to keep and flag.
 * - duplicates are refused: two rows within DUPLICATE_RADIUS_M of each other (same name and place, or simply the
 *   same spot), or a row within that distance of a stored candidate; the message names both.
 */
import { zodIssueDetails } from '../../../core/zod-details.ts';
import type { Feature, FeatureCollection, Point } from 'geojson';
import type { CountLayerName } from '../../../core/coverage-layers.ts';
import { AppError, type ErrorDetail } from '../../../core/errors.ts';
import { parseCsvWithColumns } from '../csv-import.ts';
import { candidateInput, type CandidateInput, type GenerateCandidatesBody } from '../../../core/schemas/planning.ts';
import { isoAt } from '../../../core/time.ts';
import { newId } from '../../crypto/random.ts';
import { deleteCandidate, deleteCandidatesBySource, insertCandidates, listAllCandidates, listCandidates } from '../../db/planning.ts';
import { inTransaction } from '../../db/tx.ts';
import type { CandidatesTable } from '../../db/types.ts';
import type { ServiceCtx } from '../../deps.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { PROFILE_RADIUS_M, type CoverageEngine, type Gap } from '../../../geo/coverage/index.ts';
import { candidatePoints, type CandidatePoint } from '../../../geo/planner/candidate-points.ts';
import { currentCoverageEngine, GAP_SLICING } from '../coverage/coverage-engine-cache.ts';
import { layerInfo, type LayerInfo } from '../coverage/coverage-views.ts';
import { loadWardLocator } from '../wards/load-ward-locator.ts';

export const DUPLICATE_RADIUS_M = 5;
const MAX_ROWS = 20_000;

export interface CandidateOut {
  id: string;
  name: string;
  kind: string;
  lat: number;
  lon: number;
  wardCode: string | null;
  cost: number | null;
  feasible: boolean;
  generated: boolean;
  createdAt: string;
}

export function toCandidateOut(r: CandidatesTable): CandidateOut {
  return {
    id: r.id, name: r.name, kind: r.kind, lat: Number(r.lat), lon: Number(r.lon), wardCode: r.ward_code,
    cost: r.cost === null ? null : Number(r.cost), feasible: Number(r.feasible) === 1, generated: r.source === 'generated', createdAt: r.created_at,
  };
}

/** Metres between two nearby points (equirectangular; exact enough at 5 m). */
export function nearMetres(aLon: number, aLat: number, bLon: number, bLat: number): number {
  const k = 111_320;
  const dx = (aLon - bLon) * k * Math.cos(((aLat + bLat) / 2) * (Math.PI / 180));
  const dy = (aLat - bLat) * k;
  return Math.hypot(dx, dy);
}

/** Finds points within `radiusM` of earlier ones with a hash grid. */
class NearIndex<T> {
  private readonly cells = new Map<string, Array<{ lon: number; lat: number; item: T }>>();
  private readonly stepLat: number;
  constructor(private readonly radiusM: number) {
    this.stepLat = radiusM / 111_320;
  }
  private key(lon: number, lat: number): [number, number] {
    return [Math.floor(lon / (this.stepLat * 1.01 / Math.max(0.2, Math.cos((lat * Math.PI) / 180)))), Math.floor(lat / this.stepLat)];
  }
  find(lon: number, lat: number): T | undefined {
    const [i, j] = this.key(lon, lat);
    for (let di = -2; di <= 2; di++) {
      for (let dj = -1; dj <= 1; dj++) {
        for (const p of this.cells.get(`${i + di}:${j + dj}`) ?? []) if (nearMetres(lon, lat, p.lon, p.lat) <= this.radiusM) return p.item;
      }
    }
    return undefined;
  }
  add(lon: number, lat: number, item: T): void {
    const [i, j] = this.key(lon, lat);
    const k = `${i}:${j}`;
    const list = this.cells.get(k) ?? [];
    list.push({ lon, lat, item });
    this.cells.set(k, list);
  }
}

const NUMERIC = new Set(['lat', 'lon', 'cost']);

function parseFlag(v: unknown): unknown {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v === 1 ? true : v === 0 ? false : v;
  if (typeof v !== 'string') return v;
  const s = v.trim().toLowerCase();
  if (['true', 'yes', 'ya', '1', 'y'].includes(s)) return true;
  if (['false', 'no', 'tidak', '0', 'n'].includes(s)) return false;
  return v;
}

function csvValues(values: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, raw] of Object.entries(values)) {
    const v = raw.trim();
    if (v === '') continue;
    if (NUMERIC.has(k)) out[k] = Number(v.replace(',', '.'));
    else if (k === 'feasible') out[k] = parseFlag(v);
    else out[k] = v;
  }
  return out;
}

interface RawCandidate {
  path: string;
  value: Record<string, unknown>;
}

function readFile(text: string): RawCandidate[] {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) {
    let fc: FeatureCollection;
    try {
      fc = JSON.parse(trimmed) as FeatureCollection;
    } catch {
      throw new AppError('bad_request', 'the file starts like GeoJSON but is not valid JSON');
    }
    if (fc?.type !== 'FeatureCollection' || !Array.isArray(fc.features)) throw new AppError('validation_failed', 'expected a GeoJSON FeatureCollection of points');
    if (fc.features.length > MAX_ROWS) throw new AppError('validation_failed', `at most ${MAX_ROWS} candidates per file`);
    return fc.features.map((f: Feature, i) => {
      const props = { ...(f.properties ?? {}) } as Record<string, unknown>;
      if (f.geometry?.type === 'Point') {
        const [lon, lat] = (f.geometry as Point).coordinates;
        props.lon = lon;
        props.lat = lat;
      } else {
        props.lon = Number.NaN;
        props.lat = Number.NaN;
        props.__geometry = f.geometry?.type ?? 'none';
      }
      if (typeof props.cost === 'string') props.cost = props.cost.trim() === '' ? undefined : Number(props.cost);
      if (props.feasible !== undefined) props.feasible = parseFlag(props.feasible);
      return { path: `features[${i}]`, value: props };
    });
  }
  const table = parseCsvWithColumns(text, ['name', 'lat', 'lon'], { maxRows: MAX_ROWS });
  return table.rows.map((r) => ({ path: `line ${r.line}`, value: csvValues(r.values) }));
}

/** Imports candidates (CSV or GeoJSON points). All or nothing. */
export async function importCandidates(ctx: ServiceCtx, text: string): Promise<{ created: number; items: CandidateOut[] }> {
  const raw = readFile(text);
  const errors: ErrorDetail[] = [];
  const valid: Array<{ path: string; body: CandidateInput; wardCode: string }> = [];
  const locator = await loadWardLocator(ctx.db);
  const index = new NearIndex<string>(DUPLICATE_RADIUS_M);
  for (const c of await listAllCandidates(ctx.db)) index.add(Number(c.lon), Number(c.lat), `stored candidate "${c.name}" (${c.id})`);
  for (const r of raw) {
    if (r.value.__geometry !== undefined) {
      errors.push({ path: r.path, message: `geometry ${String(r.value.__geometry)} is not a Point`, code: 'import.notPoint', params: { geometry: String(r.value.__geometry) } });
      continue;
    }
    const parsed = candidateInput.safeParse(r.value);
    if (!parsed.success) {
      for (const d of zodIssueDetails(parsed.error.issues, [])) errors.push({ path: r.path, message: `${d.path === '' ? '' : `${d.path}: `}${d.message}`, code: d.code!, params: { ...d.params, field: d.path } });
      continue;
    }
    const b = parsed.data;
    const wardCode = locator.locate(b.lon, b.lat);
    if (wardCode === null) {
      errors.push({ path: r.path, message: `"${b.name}" at ${b.lat}, ${b.lon} lies outside the city (in no ward)`, code: 'import.outsideCity', params: { name: b.name } });
      continue;
    }
    const dup = index.find(b.lon, b.lat);
    if (dup !== undefined) {
      errors.push({ path: r.path, message: `"${b.name}" duplicates ${dup} (within ${DUPLICATE_RADIUS_M} m)`, code: 'import.duplicate', params: { name: b.name, other: dup, metres: DUPLICATE_RADIUS_M } });
      continue;
    }
    index.add(b.lon, b.lat, `${r.path} ("${b.name}")`);
    valid.push({ path: r.path, body: b, wardCode });
  }
  if (raw.length === 0) throw new AppError('validation_failed', 'the file holds no candidates');
  if (errors.length > 0) {
    throw new AppError('validation_failed', `${errors.length} of ${raw.length} candidates are invalid; nothing was imported`, { details: errors, reason: 'import.candidatesInvalid', params: { rows: new Set(errors.map((e) => e.path)).size, total: raw.length } });
  }
  const now = isoAt(ctx.clock.nowMs());
  const rows: CandidatesTable[] = valid.map((v) => ({
    id: newId(), name: v.body.name, kind: v.body.kind, lat: v.body.lat, lon: v.body.lon, ward_code: v.wardCode,
    cost: v.body.cost ?? null, feasible: v.body.feasible ? 1 : 0, source: 'imported', created_at: now,
  }));
  await inTransaction(ctx, async (trx) => {
    await insertCandidates(trx, rows);
    await recordAudit(ctx, trx, { action: 'import', entity: 'candidate', entityId: null, detail: { created: rows.length } });
  });
  return { created: rows.length, items: rows.map(toCandidateOut) };
}

export async function listCandidatePage(
  ctx: ServiceCtx,
  q: { limit: number; offset: number; wardCode?: string | undefined; source?: string | undefined },
): Promise<{ items: CandidateOut[]; total: number; limit: number; offset: number }> {
  const { rows, total } = await listCandidates(ctx.db, q);
  return { items: rows.map(toCandidateOut), total, limit: q.limit, offset: q.offset };
}

export async function removeCandidate(ctx: ServiceCtx, id: string): Promise<void> {
  await inTransaction(ctx, async (trx) => {
    if ((await deleteCandidate(trx, id)) === 0) throw new AppError('not_found', `no candidate ${id}`);
    await recordAudit(ctx, trx, { action: 'delete', entity: 'candidate', entityId: id });
  });
}

export interface GenerateCandidatesOut {
  created: number;
  /** Gaps with at least one point, and all gaps of at least minAreaM2. */
  gapsUsed: number;
  totalGaps: number;
  gapsWithLattice: number;
  spacingM: number;
  radiusM: number;
  sites: number;
  layer: LayerInfo['layer'];
  layerDefinition: string;
  devices: LayerInfo['devices'];
  items: CandidateOut[];
}

/**
 * Automatic candidate points in the current gaps of a layer, placed by uncovered residents
 * (geo/planner/candidate-points.ts): every gap gets a point, the densest gaps a fine lattice, the set sized to the
 * number of sites planned unless maxPoints is given. Pure: stores nothing.
 */
export function gapCandidatePoints(
  engine: CoverageEngine,
  q: { layer: CountLayerName; sites: number; radiusM: number; spacingM?: number | undefined; maxPoints?: number | undefined; maxGaps?: number | undefined; minAreaM2: number; focusFactor?: number },
): { points: CandidatePoint[]; gaps: Gap[]; totalGaps: number; spacingM: number; gapsWithLattice: number } {
  const report = engine.gaps(q.layer, { minAreaM2: q.minAreaM2 });
  const gaps = q.maxGaps === undefined ? report.items : report.items.slice(0, q.maxGaps);
  const r = candidatePoints(engine.projection, gaps, {
    radiusM: q.radiusM, sites: q.sites,
    ...(q.spacingM === undefined ? {} : { spacingM: q.spacingM }),
    ...(q.maxPoints === undefined ? {} : { maxPoints: q.maxPoints }),
    ...(q.focusFactor === undefined ? {} : { focusFactor: q.focusFactor }),
  });
  return { points: r.points, gaps, totalGaps: report.totalGaps, spacingM: r.spacingM, gapsWithLattice: r.gapsWithLattice };
}

/**
 * Replaces the generated candidates with points in the current gaps of a layer (see gapCandidatePoints). Imported
 * candidates are kept; a generated point within 5 m of an imported candidate or of another point is skipped.
 */
export async function generateGapCandidates(ctx: ServiceCtx, body: GenerateCandidatesBody): Promise<GenerateCandidatesOut> {
  const engine = await currentCoverageEngine(ctx);
  const radiusM = body.radiusM ?? PROFILE_RADIUS_M.outdoor;
  await engine.prepareGaps(body.layer, GAP_SLICING);
  const g = gapCandidatePoints(engine, { ...body, radiusM });
  const locator = await loadWardLocator(ctx.db);
  const index = new NearIndex<string>(DUPLICATE_RADIUS_M);
  for (const c of await listAllCandidates(ctx.db)) if (c.source !== 'generated') index.add(Number(c.lon), Number(c.lat), c.id);
  const now = isoAt(ctx.clock.nowMs());
  const rows: CandidatesTable[] = [];
  const perGap = new Map<number, number>();
  for (const p of g.points) {
    if (index.find(p.lon, p.lat) !== undefined) continue;
    const wardCode = locator.locate(p.lon, p.lat);
    if (wardCode === null) continue;
    const gap = g.gaps[p.gap]!;
    const n = (perGap.get(p.gap) ?? 0) + 1;
    perGap.set(p.gap, n);
    // Made by the server, so in both languages.
    const name = p.kind === 'gap-centroid' ? `Celah ${p.gap + 1} ${gap.wardName}, tengah / Gap ${p.gap + 1} centre` : `Celah ${p.gap + 1} ${gap.wardName}, titik ${n} / Gap ${p.gap + 1} point ${n}`;
    index.add(p.lon, p.lat, name);
    rows.push({ id: newId(), name, kind: p.kind, lat: p.lat, lon: p.lon, ward_code: wardCode, cost: null, feasible: 1, source: 'generated', created_at: now });
  }
  await inTransaction(ctx, async (trx) => {
    await deleteCandidatesBySource(trx, 'generated');
    await insertCandidates(trx, rows);
    await recordAudit(ctx, trx, { action: 'generate', entity: 'candidate', entityId: null, detail: { created: rows.length, gaps: perGap.size, layer: body.layer, sites: body.sites } });
  });
  const info = layerInfo(engine, body.layer);
  return {
    created: rows.length, gapsUsed: perGap.size, totalGaps: g.totalGaps, gapsWithLattice: g.gapsWithLattice, spacingM: g.spacingM, radiusM, sites: body.sites,
    ...info, items: rows.map(toCandidateOut),
  };
}
