/**
 * Issue 17: KPIs per region in one pass (kpisOfWardGroups) give the same values as the per-group computation
 * (kpisOfWards, one scan of every input per group), on a seeded data set with every no-data state: wards without
 * residents, without sites, without devices, with devices never polled, without rates, incidents or speed tests.
 */
import { describe, expect, it } from 'vitest';
import { deviceAvailability, type DeviceStatus, type StatusTransition } from '../../core/availability.ts';
import { createCoverageEngine, seededDevices, seededRandom, syntheticWards, type CoverageWard } from '../../geo/coverage/index.ts';
import type { KpiSiteRow } from '../../server/db/planning.ts';
import type { IncidentsTable } from '../../server/db/types.ts';
import { kpisOfWardGroups, kpisOfWards, type KpiInputs } from '../../server/services/kpis/ward-kpis.ts';

const NOW = Date.UTC(2026, 5, 15, 5, 0, 0);
const DAY = 86_400_000;

function seeded(seed: number, opts: { sites: boolean; polled: boolean }): KpiInputs {
  const rnd = seededRandom(seed);
  const wards: CoverageWard[] = syntheticWards(seededRandom(seed + 1), { columns: 6, rows: 6, wardSizeM: 800 }).map((w, i) => ({
    ...w, district: `kec-${i % 6}`, population: i % 7 === 3 ? null : Math.round(1000 + rnd() * 9000),
  }));
  // Wards 0-5 get no device at all; the others a few each.
  const devices = seededDevices(wards.slice(6), 120, seededRandom(seed + 2), { radiusMinM: 40, radiusMaxM: 120 })
    .map((d, i) => ({ ...d, evidence: !opts.polled || i % 9 === 0 ? 'unverified' as const : i % 11 === 0 ? 'down' as const : 'up' as const, up: opts.polled && i % 9 !== 0 && i % 11 !== 0 }));
  const engine = createCoverageEngine(wards, devices);
  const period = { fromMs: NOW - 7 * DAY, toMs: NOW };
  const incidents: IncidentsTable[] = [];
  const kpiDevices = devices.map((d, i) => {
    const transitions: StatusTransition[] = [];
    if (opts.polled && i % 9 !== 0) {
      let at = NOW - Math.floor(rnd() * 9 * DAY);
      transitions.push({ atMs: at, status: 'up' });
      for (let k = 0; k < i % 4; k += 1) {
        at += Math.floor(rnd() * DAY);
        const down = at;
        transitions.push({ atMs: at, status: 'down' as DeviceStatus });
        at += Math.floor(rnd() * 3_600_000);
        const open = i % 13 === 0 && k === (i % 4) - 1;
        if (!open) transitions.push({ atMs: at, status: 'up' });
        incidents.push({ id: `inc-${i}-${k}`, device_id: d.id, started_ms: down, detected_ms: down + 60_000, ended_ms: open ? null : at, cause_kind: 'down', cause_message: '' });
      }
    }
    return {
      id: d.id, wardCode: d.wardCode ?? null, provider: i % 3 === 0 ? 'A' : 'B',
      availability: deviceAvailability(transitions.filter((t) => t.atMs < NOW), period, { nowMs: NOW }),
      peakBps: i % 5 === 0 ? null : Math.round(rnd() * 80e6 + 1),
    };
  });
  // A device without a ward (outside every ward) must land in no group.
  kpiDevices.push({ id: 'stray', wardCode: null, provider: 'A', availability: deviceAvailability([], period, { nowMs: NOW }), peakBps: 5e6 });
  const statuses = ['live', 'live', 'planned', 'retired'] as const;
  const sites: KpiSiteRow[] = opts.sites
    ? wards.flatMap((w, i) => (i % 5 === 1 ? [] : Array.from({ length: 1 + (i % 4) }, (_, k) => ({
      id: `s-${i}-${k}`, name: `Titik ${i}-${k}`, ward_code: w.code, status: statuses[(i + k) % 4]!, provider: 'A',
      contracted_mbps: (i + k) % 3 === 0 ? null : 20 + ((i * 7 + k) % 60),
    } as KpiSiteRow))))
    : [];
  const speedTests = new Map<string, { down: number[]; latency: number[] }>();
  wards.forEach((w, i) => {
    if (i % 4 === 0) speedTests.set(w.code, { down: [rnd() * 30, rnd() * 30, rnd() * 30].slice(0, 1 + (i % 3)), latency: [rnd() * 90, rnd() * 90, rnd() * 90].slice(0, 1 + (i % 3)) });
  });
  return {
    nowMs: NOW,
    wards: wards.map((w) => ({ code: w.code, name: w.name, district: w.district ?? '' })),
    sites,
    devices: kpiDevices,
    incidents,
    figures: engine.wardFigures('live'),
    rollout: [],
    coverage: { layer: 'live', layerDefinition: '', devices: engine.layerDevices('live') },
    thresholds: new Map(),
    targets: new Map([['livePoints', 8]]),
    speedTests,
  };
}

function groupsOf(inputs: KpiInputs): Array<Set<string>> {
  const codes = inputs.wards.map((w) => w.code);
  const byDistrict = new Map<string, Set<string>>();
  for (const w of inputs.wards) byDistrict.set(w.district, (byDistrict.get(w.district) ?? new Set()).add(w.code));
  return [
    new Set(codes), // the province
    ...byDistrict.values(), // kecamatan
    new Set(codes.slice(0, 6)), // no device in any of them
    new Set(['unknown-ward']), // a group the inputs know nothing of
    ...codes.map((c) => new Set([c])), // every desa alone
  ];
}

describe('KPIs per region in one pass', () => {
  for (const [label, opts] of [
    ['sites and polled devices', { sites: true, polled: true }],
    ['no site anywhere', { sites: false, polled: true }],
    ['access points never polled', { sites: true, polled: false }],
  ] as const) {
    it(`equal the per-group computation: ${label}`, () => {
      const inputs = seeded(17, opts);
      const groups = groupsOf(inputs);
      const onePass = kpisOfWardGroups(inputs, groups);
      expect(onePass).toHaveLength(groups.length);
      groups.forEach((g, i) => expect(onePass[i], [...g].slice(0, 3).join(',')).toEqual(kpisOfWards(inputs, g)));
      // The data set reaches the states it is meant to (values and no-data), so the comparison means something.
      const all = onePass.flat();
      expect(all.some((k) => k.status === 'no-data')).toBe(true);
      if (opts.polled) {
        expect(all.some((k) => k.key === 'availabilityPct' && k.value !== null)).toBe(true);
        expect(all.some((k) => k.key === 'timeToRestoreH' && k.value !== null && k.value > 0)).toBe(true);
        expect(all.some((k) => k.key === 'measuredMbps' && k.value !== null)).toBe(true);
      } else expect(all.filter((k) => k.key === 'residentsCoveredPct').every((k) => k.reason === 'never-polled' || k.reason === 'residents-unknown')).toBe(true);
      if (!opts.sites) expect(all.filter((k) => k.key === 'livePoints').every((k) => k.reason === 'no-sites')).toBe(true);
      expect(all.some((k) => k.value === null && k.status === 'red')).toBe(false);
    });
  }

  it('a scoped load that keeps the city-wide facts gives the same KPIs for the wards in scope', () => {
    const inputs = seeded(18, { sites: true, polled: true });
    const scope = new Set(inputs.wards.slice(6, 18).map((w) => w.code));
    const inScope = (c: string | null): boolean => c !== null && scope.has(c);
    const ids = new Set(inputs.devices.filter((d) => inScope(d.wardCode)).map((d) => d.id));
    // What loadKpiInputs keeps with `wardCodes` (server/services/kpis/ward-kpis.ts).
    const scoped: KpiInputs = {
      ...inputs,
      sites: inputs.sites.filter((s) => inScope(s.ward_code)),
      anyActiveSite: inputs.sites.some((s) => s.status !== 'retired'),
      devices: inputs.devices.filter((d) => inScope(d.wardCode)),
      incidents: inputs.incidents.filter((i) => ids.has(i.device_id)),
      figures: { ...inputs.figures, items: inputs.figures.items.filter((f) => scope.has(f.code)) },
      speedTests: new Map([...inputs.speedTests!].filter(([c]) => scope.has(c))),
    };
    const groups = [scope, ...[...scope].map((c) => new Set([c]))];
    expect(kpisOfWardGroups(scoped, groups)).toEqual(groups.map((g) => kpisOfWards(inputs, g)));
  });
});
