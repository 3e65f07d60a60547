import { describe, expect, it } from 'vitest';
import { availabilityByGroup, deviceAvailability, groupAvailability, maskUnknownWindows, timeToRestore } from '../../../core/availability.ts';
import type { StatusTransition } from '../../../core/availability.ts';

const H = 3_600_000;
const day = { fromMs: 0, toMs: 24 * H };

describe('deviceAvailability', () => {
  const table: Array<{ name: string; transitions: StatusTransition[]; period?: { fromMs: number; toMs: number }; nowMs?: number; percent: number | null; downMs: number; unknownMs: number }> = [
    { name: 'no data at all', transitions: [], percent: null, downMs: 0, unknownMs: 24 * H },
    { name: 'up the whole day', transitions: [{ atMs: -H, status: 'up' }], percent: 100, downMs: 0, unknownMs: 0 },
    {
      name: 'down 6 h in the middle',
      transitions: [{ atMs: -H, status: 'up' }, { atMs: 6 * H, status: 'down' }, { atMs: 12 * H, status: 'up' }],
      percent: 75, downMs: 6 * H, unknownMs: 0,
    },
    {
      name: 'period inside an incident',
      transitions: [{ atMs: 0, status: 'up' }, { atMs: 2 * H, status: 'down' }, { atMs: 20 * H, status: 'up' }],
      period: { fromMs: 5 * H, toMs: 10 * H }, percent: 0, downMs: 5 * H, unknownMs: 0,
    },
    {
      name: 'open incident runs to the end of the period',
      transitions: [{ atMs: 0, status: 'up' }, { atMs: 18 * H, status: 'down' }],
      percent: 75, downMs: 6 * H, unknownMs: 0,
    },
    {
      name: 'open incident stops at now; the future is unknown',
      transitions: [{ atMs: 0, status: 'up' }, { atMs: 12 * H, status: 'down' }],
      nowMs: 16 * H, percent: 75, downMs: 4 * H, unknownMs: 8 * H,
    },
    {
      name: 'first seen mid-period: earlier time is unknown, not down',
      transitions: [{ atMs: 12 * H, status: 'up' }, { atMs: 18 * H, status: 'down' }, { atMs: 21 * H, status: 'up' }],
      percent: 75, downMs: 3 * H, unknownMs: 12 * H,
    },
    {
      name: 'degraded counts as available; unknown gaps left out',
      transitions: [{ atMs: 0, status: 'degraded' }, { atMs: 8 * H, status: 'unknown' }, { atMs: 16 * H, status: 'down' }],
      percent: 50, downMs: 8 * H, unknownMs: 8 * H,
    },
    {
      name: 'unsorted input, transitions after the period ignored',
      transitions: [{ atMs: 30 * H, status: 'down' }, { atMs: 12 * H, status: 'down' }, { atMs: -5, status: 'up' }],
      percent: 50, downMs: 12 * H, unknownMs: 0,
    },
    { name: 'empty period', transitions: [{ atMs: 0, status: 'up' }], period: { fromMs: 5, toMs: 5 }, percent: null, downMs: 0, unknownMs: 0 },
  ];
  for (const row of table) {
    it(row.name, () => {
      const a = deviceAvailability(row.transitions, row.period ?? day, row.nowMs === undefined ? {} : { nowMs: row.nowMs });
      expect(a.percent).toBe(row.percent);
      expect(a.downMs).toBe(row.downMs);
      expect(a.unknownMs).toBe(row.unknownMs);
      expect(a.upMs + a.degradedMs + a.downMs + a.unknownMs).toBe(a.periodMs);
    });
  }
});

describe('group availability', () => {
  it('weights each device by its covered time and skips devices without data', () => {
    const full = deviceAvailability([{ atMs: 0, status: 'up' }, { atMs: 12 * H, status: 'down' }], day); // 50 % over 24 h
    const half = deviceAvailability([{ atMs: 12 * H, status: 'up' }], day); // 100 % over 12 h
    const none = deviceAvailability([], day);
    const g = groupAvailability([full, half, none]);
    expect(g.percent).toBeCloseTo((12 + 12) / (24 + 12) * 100, 10);
    expect(g.devices).toBe(3);
    expect(g.devicesWithData).toBe(2);
    expect(groupAvailability([none]).percent).toBeNull();
  });

  it('groups by site, ward or provider', () => {
    const devices = [
      { ward: 'Ciwaduk', t: [{ atMs: 0, status: 'up' as const }] },
      { ward: 'Ciwaduk', t: [{ atMs: 0, status: 'down' as const }] },
      { ward: 'Kotabumi', t: [{ atMs: 0, status: 'up' as const }] },
      { ward: null, t: [{ atMs: 0, status: 'down' as const }] },
    ];
    const byWard = availabilityByGroup(devices, (d) => d.ward, (d) => deviceAvailability(d.t, day));
    expect(byWard.get('Ciwaduk')?.percent).toBe(50);
    expect(byWard.get('Kotabumi')?.percent).toBe(100);
    expect(byWard.size).toBe(2);
  });
});

describe('timeToRestore', () => {
  it('averages incidents restored in the period and counts open ones apart', () => {
    const incidents = [
      { startedAtMs: -2 * H, endedAtMs: H }, // started before, restored inside: 3 h
      { startedAtMs: 5 * H, endedAtMs: 6 * H }, // 1 h
      { startedAtMs: 10 * H, endedAtMs: 12 * H }, // 2 h
      { startedAtMs: 22 * H, endedAtMs: null }, // open
      { startedAtMs: 23 * H, endedAtMs: 26 * H }, // restored after the period: open at its end
      { startedAtMs: -9 * H, endedAtMs: -8 * H }, // before the period
    ];
    expect(timeToRestore(incidents, day)).toEqual({ restored: 3, open: 2, meanMs: 2 * H, medianMs: 2 * H, maxMs: 3 * H });
  });
  it('answers nulls when nothing was restored', () => {
    expect(timeToRestore([], day)).toEqual({ restored: 0, open: 0, meanMs: null, medianMs: null, maxMs: null });
  });
});

describe('maskUnknownWindows (maintenance is unknown time)', () => {
  const upDown: StatusTransition[] = [{ atMs: -H, status: 'up' }, { atMs: 10 * H, status: 'down' }, { atMs: 14 * H, status: 'up' }];
  it('leaves a window out of the denominator and restores the status the device had at its end', () => {
    // Down 10-14 h, maintenance 12-16 h: down 2 h counted (10-12), 4 h unknown, up 18 h.
    const masked = maskUnknownWindows(upDown, [{ fromMs: 12 * H, toMs: 16 * H }]);
    expect(masked).toEqual([{ atMs: -H, status: 'up' }, { atMs: 10 * H, status: 'down' }, { atMs: 12 * H, status: 'unknown' }, { atMs: 16 * H, status: 'up' }]);
    const a = deviceAvailability(masked, day);
    expect(a).toMatchObject({ downMs: 2 * H, unknownMs: 4 * H, upMs: 18 * H });
    expect(a.percent).toBeCloseTo(90, 5);
  });
  it('merges overlapping windows, drops transitions inside them and stays unknown for a window not yet over', () => {
    const masked = maskUnknownWindows(upDown, [{ fromMs: 9 * H, toMs: 11 * H }, { fromMs: 10.5 * H, toMs: 30 * H }], 24 * H);
    expect(masked).toEqual([{ atMs: -H, status: 'up' }, { atMs: 9 * H, status: 'unknown' }]);
    expect(deviceAvailability(masked, day)).toMatchObject({ upMs: 9 * H, downMs: 0, unknownMs: 15 * H, percent: 100 });
    expect(maskUnknownWindows(upDown, [])).toEqual(upDown);
  });
});
