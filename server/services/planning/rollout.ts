/**
 * The rollout pipeline: a planned site moves proposed -> approved -> installing -> live, or is dropped from any
 * step before live. Each step keeps its date; each waiting step may have a due date and is flagged overdue the day
 * after it passes (city time). Approval creates the site in the inventory (status approved), so the inventory and
 * the coverage "planned" layer see it; installing and live follow; going live needs the installed device, which is
 * linked to the site. Dropping retires the site, if one was made.
 */
import { AppError } from '../../../core/errors.ts';
import type { RolloutAdvanceBody, RolloutStatus } from '../../../core/schemas/planning.ts';
import { isoAt } from '../../../core/time.ts';
import { newId } from '../../crypto/random.ts';
import { updateDevice } from '../../db/devices.ts';
import {
  activeRolloutCandidateIds, deviceExists, findPlan, findRolloutItem, insertRolloutItems, listAllCandidates, listAllRolloutItems, updateRolloutItem, updateRolloutItemFrom,
  wardNames,
} from '../../db/planning.ts';
import { findSite, insertSite, updateSite } from '../../db/sites.ts';
import { inTransaction } from '../../db/tx.ts';
import type { RolloutItemsTable } from '../../db/types.ts';
import type { ServiceCtx } from '../../deps.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { cityDay } from '../kpis/city-day.ts';
import { loadWardLocator } from '../wards/load-ward-locator.ts';
import type { PlanOut } from './plans.ts';

export const DEFAULT_PROGRAMME = 'wifi-10-per-kelurahan';

/** Allowed moves. live and dropped are final. */
export const ROLLOUT_TRANSITIONS: Readonly<Record<RolloutStatus, readonly RolloutStatus[]>> = {
  proposed: ['approved', 'dropped'],
  approved: ['installing', 'dropped'],
  installing: ['live', 'dropped'],
  live: [],
  dropped: [],
};

const NEXT: Partial<Record<RolloutStatus, 'approved' | 'installing' | 'live'>> = { proposed: 'approved', approved: 'installing', installing: 'live' };

export interface RolloutItemOut {
  id: string;
  programme: string;
  planId: string | null;
  candidateId: string | null;
  name: string;
  lat: number;
  lon: number;
  wardCode: string | null;
  status: RolloutStatus;
  department: string | null;
  provider: string | null;
  budget: number | null;
  siteId: string | null;
  deviceId: string | null;
  dates: { proposed: string; approved: string | null; installing: string | null; live: string | null; dropped: string | null };
  due: { approved: string | null; installing: string | null; live: string | null };
  /** The step this item waits for, its due date, and whether that date has passed. */
  nextStep: 'approved' | 'installing' | 'live' | null;
  nextDue: string | null;
  overdue: boolean;
  notes: string | null;
  /** The person in charge. */
  owner: string | null;
  createdAt: string;
  updatedAt: string;
}

export function toRolloutOut(r: RolloutItemsTable, today: string): RolloutItemOut {
  const status = r.status as RolloutStatus;
  const nextStep = NEXT[status] ?? null;
  const due = { approved: r.due_approved, installing: r.due_installing, live: r.due_live };
  const nextDue = nextStep === null ? null : due[nextStep];
  return {
    id: r.id, programme: r.programme, planId: r.plan_id, candidateId: r.candidate_id, name: r.name, lat: Number(r.lat), lon: Number(r.lon), wardCode: r.ward_code,
    status, department: r.department, provider: r.provider, budget: r.budget === null ? null : Number(r.budget), siteId: r.site_id, deviceId: r.device_id,
    dates: { proposed: r.proposed_at, approved: r.approved_at, installing: r.installing_at, live: r.live_at, dropped: r.dropped_at },
    due, nextStep, nextDue, overdue: nextDue !== null && nextDue < today, notes: r.notes, owner: r.owner ?? null, createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

interface RolloutFields {
  programme?: string | undefined;
  department?: string | null | undefined;
  provider?: string | null | undefined;
  budget?: number | null | undefined;
  dueApproved?: string | null | undefined;
  dueInstalling?: string | null | undefined;
  dueLive?: string | null | undefined;
  notes?: string | null | undefined;
  owner?: string | null | undefined;
}

function fieldColumns(b: RolloutFields): Partial<RolloutItemsTable> {
  const out: Partial<RolloutItemsTable> = {};
  if (b.programme !== undefined) out.programme = b.programme;
  if (b.department !== undefined) out.department = b.department;
  if (b.provider !== undefined) out.provider = b.provider;
  if (b.budget !== undefined) out.budget = b.budget;
  if (b.dueApproved !== undefined) out.due_approved = b.dueApproved;
  if (b.dueInstalling !== undefined) out.due_installing = b.dueInstalling;
  if (b.dueLive !== undefined) out.due_live = b.dueLive;
  if (b.notes !== undefined) out.notes = b.notes;
  if (b.owner !== undefined) out.owner = b.owner;
  return out;
}

function newItem(now: string, base: { name: string; lat: number; lon: number; wardCode: string | null; planId?: string; candidateId?: string; budget?: number | null }, f: RolloutFields): RolloutItemsTable {
  return {
    id: newId(), programme: DEFAULT_PROGRAMME, plan_id: base.planId ?? null, candidate_id: base.candidateId ?? null, name: base.name, lat: base.lat, lon: base.lon,
    ward_code: base.wardCode, status: 'proposed', department: null, provider: null, budget: base.budget ?? null, site_id: null, device_id: null,
    proposed_at: now, approved_at: null, installing_at: null, live_at: null, dropped_at: null, due_approved: null, due_installing: null, due_live: null,
    notes: null, created_at: now, updated_at: now, ...fieldColumns(f),
  };
}

export async function createRolloutItem(ctx: ServiceCtx, body: RolloutFields & { name: string; lat: number; lon: number }): Promise<RolloutItemOut> {
  const now = ctx.clock.nowMs();
  const wardCode = (await loadWardLocator(ctx.db)).locate(body.lon, body.lat);
  if (wardCode === null) throw new AppError('validation_failed', `${body.lat}, ${body.lon} lies outside the city`, { details: [{ path: 'body.lat', message: 'outside every ward' }] });
  const row = newItem(isoAt(now), { name: body.name, lat: body.lat, lon: body.lon, wardCode }, body);
  await inTransaction(ctx, async (trx) => {
    await insertRolloutItems(trx, [row]);
    await recordAudit(ctx, trx, { action: 'create', entity: 'rollout', entityId: row.id, detail: { name: row.name } });
  });
  return toRolloutOut(row, cityDay(now));
}

/** Turns a plan's sites into proposed rollout items; sites whose candidate is already in the pipeline are skipped. */
export async function rolloutFromPlan(ctx: ServiceCtx, planId: string, body: RolloutFields & { budgetPerSite?: number | undefined }): Promise<{ created: number; skipped: number; items: RolloutItemOut[] }> {
  const planRow = await findPlan(ctx.db, planId);
  if (planRow === undefined) throw new AppError('not_found', `no plan ${planId}`);
  const plan = JSON.parse(planRow.result) as PlanOut;
  const active = await activeRolloutCandidateIds(ctx.db);
  const costs = new Map((await listAllCandidates(ctx.db)).map((c) => [c.id, c.cost === null ? null : Number(c.cost)]));
  const now = ctx.clock.nowMs();
  const rows: RolloutItemsTable[] = [];
  let skipped = 0;
  for (const s of plan.sites) {
    if (active.has(s.candidateId)) {
      skipped++;
      continue;
    }
    rows.push(newItem(isoAt(now), {
      name: s.name, lat: s.lat, lon: s.lon, wardCode: s.wardCode, planId, candidateId: s.candidateId,
      budget: costs.get(s.candidateId) ?? s.cost ?? body.budgetPerSite ?? null,
    }, body));
  }
  await inTransaction(ctx, async (trx) => {
    await insertRolloutItems(trx, rows);
    await recordAudit(ctx, trx, { action: 'create', entity: 'rollout', entityId: null, detail: { planId, created: rows.length, skipped } });
  });
  const today = cityDay(now);
  return { created: rows.length, skipped, items: rows.map((r) => toRolloutOut(r, today)) };
}

export async function listRollout(
  ctx: ServiceCtx,
  q: { limit: number; offset: number; wardCode?: string | undefined; status?: string | undefined; programme?: string | undefined; overdue?: 'true' | 'false' | undefined },
): Promise<{ items: RolloutItemOut[]; total: number; limit: number; offset: number }> {
  const today = cityDay(ctx.clock.nowMs());
  let items = (await listAllRolloutItems(ctx.db, q)).map((r) => toRolloutOut(r, today));
  if (q.overdue !== undefined) items = items.filter((i) => i.overdue === (q.overdue === 'true'));
  return { items: items.slice(q.offset, q.offset + q.limit), total: items.length, limit: q.limit, offset: q.offset };
}

export async function getRolloutItem(ctx: ServiceCtx, id: string): Promise<RolloutItemOut> {
  const row = await findRolloutItem(ctx.db, id);
  if (row === undefined) throw new AppError('not_found', `no rollout item ${id}`);
  return toRolloutOut(row, cityDay(ctx.clock.nowMs()));
}

export async function patchRolloutItem(ctx: ServiceCtx, id: string, body: RolloutFields): Promise<RolloutItemOut> {
  const row = await findRolloutItem(ctx.db, id);
  if (row === undefined) throw new AppError('not_found', `no rollout item ${id}`);
  const now = ctx.clock.nowMs();
  const set = { ...fieldColumns(body), updated_at: isoAt(now) };
  await inTransaction(ctx, async (trx) => {
    await updateRolloutItem(trx, id, set);
    await recordAudit(ctx, trx, { action: 'update', entity: 'rollout', entityId: id, detail: { changed: Object.keys(body) } });
  });
  return toRolloutOut({ ...row, ...set }, cityDay(now));
}

const DATE_COLUMN = { proposed: 'proposed_at', approved: 'approved_at', installing: 'installing_at', live: 'live_at', dropped: 'dropped_at' } as const;

/** Moves an item one step. Illegal moves answer 409 naming the allowed ones. */
export async function advanceRollout(ctx: ServiceCtx, id: string, body: RolloutAdvanceBody): Promise<RolloutItemOut> {
  const row = await findRolloutItem(ctx.db, id);
  if (row === undefined) throw new AppError('not_found', `no rollout item ${id}`);
  const from = row.status as RolloutStatus;
  const allowed = ROLLOUT_TRANSITIONS[from];
  if (!allowed.includes(body.to)) {
    throw new AppError('conflict', `a ${from} item cannot become ${body.to}; ${allowed.length === 0 ? `${from} is final` : `allowed: ${allowed.join(', ')}`}`, {
      details: [{ path: 'body.to', message: `from ${from}: ${allowed.join(', ') || 'nothing'}` }],
    });
  }
  const nowMs = ctx.clock.nowMs();
  const atMs = body.at === undefined ? nowMs : Date.parse(body.at);
  const at = isoAt(atMs);
  const previous = row[DATE_COLUMN[from]];
  if (previous !== null && at < previous) throw new AppError('validation_failed', `the ${body.to} date ${at} is before the ${from} date ${previous}`, { details: [{ path: 'body.at', message: 'before the previous step' }] });
  if (atMs > nowMs + 60_000) throw new AppError('validation_failed', 'a step cannot be dated in the future', { details: [{ path: 'body.at', message: 'in the future' }] });
  const set: Partial<RolloutItemsTable> = {
    status: body.to, [DATE_COLUMN[body.to]]: at, updated_at: isoAt(nowMs),
    ...(body.department === undefined ? {} : { department: body.department }),
    ...(body.provider === undefined ? {} : { provider: body.provider }),
    ...(body.budget === undefined ? {} : { budget: body.budget }),
    ...(body.owner === undefined ? {} : { owner: body.owner }),
    ...(body.note === undefined ? {} : { notes: [row.notes, `${at.slice(0, 10)} ${body.to}: ${body.note}`].filter((x) => x !== null && x !== '').join('\n') }),
  };
  let device: { id: string; site_id: string | null } | undefined;
  if (body.to === 'live') {
    if (body.deviceId === undefined) throw new AppError('validation_failed', 'going live needs the installed device (deviceId)', { details: [{ path: 'body.deviceId', message: 'required to go live' }] });
    device = await deviceExists(ctx.db, body.deviceId);
    if (device === undefined) throw new AppError('validation_failed', `no device ${body.deviceId}`, { details: [{ path: 'body.deviceId', message: 'unknown device' }] });
    if (device.site_id !== null && row.site_id !== null && device.site_id !== row.site_id) {
      throw new AppError('conflict', `device ${device.id} belongs to another site (${device.site_id}); this item's site is ${row.site_id}`);
    }
    set.device_id = device.id;
  }
  const provider = set.provider !== undefined ? set.provider : row.provider;
  await inTransaction(ctx, async (trx) => {
    // Claim the step first: of two requests moving the same item at once, the second finds it moved and stops.
    if ((await updateRolloutItemFrom(trx, id, from, { status: body.to, updated_at: isoAt(nowMs) })) === 0) {
      throw new AppError('conflict', `rollout item ${id} was changed meanwhile; reload it`);
    }
    if (body.to === 'approved') {
      const siteId = newId();
      await insertSite(trx, {
        id: siteId, name: row.name, code: null, lat: Number(row.lat), lon: Number(row.lon), ward_code: row.ward_code, outside_city: row.ward_code === null ? 1 : 0,
        status: 'approved', provider, contracted_mbps: null, address: null, planned_at: at.slice(0, 10), live_at: null,
        notes: `rollout item ${row.id}`, created_at: isoAt(nowMs), updated_at: isoAt(nowMs),
      });
      set.site_id = siteId;
    } else if (row.site_id !== null && (await findSite(trx, row.site_id)) !== undefined) {
      const status = body.to === 'dropped' ? 'retired' : body.to;
      await updateSite(trx, row.site_id, { status, provider, updated_at: isoAt(nowMs), ...(body.to === 'live' ? { live_at: at.slice(0, 10) } : {}) });
    }
    if (device !== undefined && device.site_id === null && row.site_id !== null) await updateDevice(trx, device.id, { site_id: row.site_id, updated_at: isoAt(nowMs) });
    if (device !== undefined && row.site_id === null) set.site_id = device.site_id;
    await updateRolloutItem(trx, id, set);
    await recordAudit(ctx, trx, { action: 'advance', entity: 'rollout', entityId: id, detail: { from, to: body.to, at } });
  });
  return toRolloutOut({ ...row, ...set }, cityDay(nowMs));
}

export interface RolloutWardSummary {
  wardCode: string;
  wardName: string;
  proposed: number;
  approved: number;
  installing: number;
  live: number;
  dropped: number;
  overdue: number;
  budget: number;
}

/** Per ward: items in each step, overdue items, budget of the items not dropped. */
export async function rolloutByWard(ctx: ServiceCtx): Promise<{ items: RolloutWardSummary[] }> {
  const today = cityDay(ctx.clock.nowMs());
  const items = (await listAllRolloutItems(ctx.db)).map((r) => toRolloutOut(r, today));
  const wards = await wardNames(ctx.db);
  const out = new Map<string, RolloutWardSummary>(wards.map((w) => [w.code, { wardCode: w.code, wardName: w.name, proposed: 0, approved: 0, installing: 0, live: 0, dropped: 0, overdue: 0, budget: 0 }]));
  for (const i of items) {
    const s = out.get(i.wardCode ?? '');
    if (s === undefined) continue;
    s[i.status]++;
    if (i.overdue) s.overdue++;
    if (i.status !== 'dropped') s.budget += i.budget ?? 0;
  }
  return { items: [...out.values()] };
}
