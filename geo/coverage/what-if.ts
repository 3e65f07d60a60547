import { AppError } from '../../core/errors.ts';
import { forEachTilePiece } from './cell-tiles.ts';
import type { CoverageEngine, EngineInternals } from './coverage-engine.ts';
import { buildEntry, type DeviceEntry } from './device-footprint.ts';
import { round, type WardCoverageFigures } from './figures.ts';
import { probability } from './layer-state.ts';
import type { CoverageDevice, CoverageLayer } from './types.ts';

/**
 * A hypothetical change. `add`: a new access point (up and fully available unless said otherwise);
 * `move`: an existing device to a new location; `remove`: an existing device.
 */
export type WhatIfChange =
  | { op: 'add'; device: CoverageDevice }
  | { op: 'move'; id: string; lon: number; lat: number }
  | { op: 'remove'; id: string };

export interface WardDelta {
  code: string;
  name: string;
  before: WardCoverageFigures;
  after: WardCoverageFigures;
  coveredAreaM2Delta: number;
  residentsCoveredDelta: number | null;
  liveAccessPointsDelta: number;
}

export interface WhatIfResult {
  layer: CoverageLayer;
  /** Only the wards that change. */
  items: WardDelta[];
  city: { coveredAreaM2Delta: number; residentsCoveredDelta: number | null; outsideCityAccessPointsDelta: number };
  warnings: Array<{ change: number; message: string }>;
}

interface CellDelta {
  w: number;
  key: number;
  idx: number;
  count: number;
  n: number;
  certain: number;
  log: number;
}

function inLayer(entry: DeviceEntry, layer: CoverageLayer): boolean {
  if (!entry.planned) return false;
  if (layer === 'expected') return entry.availability > 0;
  return entry[layer];
}

export function whatIfDelta(internals: EngineInternals, engine: CoverageEngine, changes: ReadonlyArray<WhatIfChange>, layer: CoverageLayer): WhatIfResult {
  const removed: DeviceEntry[] = [];
  const added: DeviceEntry[] = [];
  const warnings: WhatIfResult['warnings'] = [];
  const pending = new Map<string, DeviceEntry | null>();
  const current = (id: string): DeviceEntry | undefined => {
    if (pending.has(id)) return pending.get(id) ?? undefined;
    return internals.entries.get(id);
  };
  changes.forEach((change, index) => {
    const path = `changes[${index}]`;
    if (change.op === 'add') {
      const device: CoverageDevice = { up: true, ...change.device };
      device.evidence ??= device.up === true ? 'up' : 'down';
      if (device.availability === undefined && device.up === true) device.availability = 1;
      if (current(device.id) !== undefined) throw new AppError('conflict', `${path}: device ${device.id} already exists`, { details: [{ path: `${path}.device.id`, message: 'already exists' }] });
      const entry = buildEntry(internals.context, device, { path: `${path}.device`, onInvalid: 'throw' });
      added.push(entry);
      pending.set(device.id, entry);
      entry.warnings.forEach((message) => warnings.push({ change: index, message }));
      return;
    }
    const existing = current(change.id);
    if (existing === undefined) throw new AppError('not_found', `${path}: device ${change.id} is unknown`, { details: [{ path: `${path}.id`, message: 'unknown device' }] });
    removed.push(existing);
    if (change.op === 'remove') {
      pending.set(change.id, null);
      return;
    }
    if (change.op !== 'move') throw new AppError('validation_failed', `${path}: unknown op`, { details: [{ path: `${path}.op`, message: 'expected add, move or remove' }] });
    const entry = buildEntry(internals.context, { ...existing.device, lon: change.lon, lat: change.lat }, { path, onInvalid: 'throw' });
    added.push(entry);
    pending.set(change.id, entry);
    entry.warnings.forEach((message) => warnings.push({ change: index, message }));
  });
  // A device both added and then removed in the same request cancels out: drop it from both lists.
  const addedSet = new Set(added);
  const removedBase = removed.filter((e) => !addedSet.has(e));
  const addedFinal = added.filter((e) => !removed.includes(e));

  const cells = new Map<number, CellDelta>();
  const touch = (entry: DeviceEntry, sign: 1 | -1): void => {
    if (!inLayer(entry, layer)) return;
    const a = entry.availability;
    const certain = a >= 1 ? 1 : 0;
    const log = certain === 1 ? 0 : Math.log1p(-a);
    const segs = entry.segments;
    for (let q = 0; q < segs.length; q += 4) {
      const j = segs[q]!;
      const w = segs[q + 3]!;
      forEachTilePiece(j, segs[q + 1]!, segs[q + 2]!, (key, first, length) => {
        for (let idx = first; idx < first + length; idx += 1) {
          const k = key * 4096 + idx;
          let d = cells.get(k);
          if (d === undefined) {
            d = { w, key, idx, count: 0, n: 0, certain: 0, log: 0 };
            cells.set(k, d);
          }
          d.count += sign;
          d.n += sign;
          d.certain += sign * certain;
          d.log += sign * log;
        }
      });
    }
  };
  removedBase.forEach((e) => touch(e, -1));
  addedFinal.forEach((e) => touch(e, 1));

  const wardCount = internals.wards.length;
  const dCells = new Float64Array(wardCount);
  const dResidents = new Float64Array(wardCount);
  const pop = internals.population;
  for (const d of cells.values()) {
    let delta: number;
    if (layer === 'expected') {
      const base = internals.layerExpected().probabilityAt(d.key, d.idx);
      const n = base.n + d.n;
      delta = (n === 0 ? 0 : probability(base.certain + d.certain, base.logSum + d.log)) - probability(base.certain, base.logSum);
    } else {
      const base = internals.layerCount(layer).countAt(d.key, d.idx);
      delta = (base + d.count > 0 ? 1 : 0) - (base > 0 ? 1 : 0);
    }
    if (delta === 0) continue;
    dCells[d.w] = dCells[d.w]! + delta;
    if (pop !== null) dResidents[d.w] = dResidents[d.w]! + delta * (pop.tiles.get(d.key)?.[d.idx] ?? 0);
  }
  const dAps = new Float64Array(wardCount + 1);
  const dLive = new Float64Array(wardCount + 1);
  const countAp = (e: DeviceEntry, sign: number): void => {
    if (e.device.status === 'retired') return;
    const slot = e.ward < 0 ? wardCount : e.ward;
    dAps[slot] = dAps[slot]! + sign;
    if (e.evidence === 'up') dLive[slot] = dLive[slot]! + sign;
  };
  removedBase.forEach((e) => countAp(e, -1));
  addedFinal.forEach((e) => countAp(e, 1));

  const before = engine.wardFigures(layer);
  const totals = layer === 'expected' ? internals.layerExpected() : internals.layerCount(layer);
  const { all, live } = engine.apCounts();
  const items: WardDelta[] = [];
  let cityArea = 0;
  let cityResidents: number | null = 0;
  for (let w = 0; w < wardCount; w += 1) {
    if (dCells[w] === 0 && dAps[w] === 0 && dLive[w] === 0) continue;
    const owned = internals.owners.ownedCells[w] ?? 0;
    const after = engine.figuresOf(w, owned, totals.coveredCells[w]! + dCells[w]!, totals.coveredResidents[w]! + dResidents[w]!,
      all[w]! + dAps[w]!, live[w]! + dLive[w]!);
    const b = before.items[w]!;
    const residentsCoveredDelta = after.residentsCovered === null || b.residentsCovered === null ? null : round(after.residentsCovered - b.residentsCovered, 1);
    items.push({
      code: b.code, name: b.name, before: b, after,
      coveredAreaM2Delta: round(after.coveredAreaM2 - b.coveredAreaM2, 1),
      residentsCoveredDelta,
      liveAccessPointsDelta: after.liveAccessPoints - b.liveAccessPoints,
    });
    cityArea += after.coveredAreaM2 - b.coveredAreaM2;
    if (residentsCoveredDelta === null || cityResidents === null) cityResidents = null;
    else cityResidents += residentsCoveredDelta;
  }
  items.sort((p, q) => Math.abs(q.coveredAreaM2Delta) - Math.abs(p.coveredAreaM2Delta) || (p.code < q.code ? -1 : 1));
  return {
    layer, items,
    city: { coveredAreaM2Delta: round(cityArea, 1), residentsCoveredDelta: cityResidents === null ? null : round(cityResidents, 1), outsideCityAccessPointsDelta: dAps[wardCount]! },
    warnings,
  };
}
