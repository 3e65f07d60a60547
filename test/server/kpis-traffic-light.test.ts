/** The pure traffic-light rule (no data is no-data, never red) and threshold checks of core/traffic-light.ts, table-driven. */
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../core/errors.ts';
import { assertThresholds, KPI_DEFINITIONS, kpiStatus, thresholdProblems } from '../../core/traffic-light.ts';

describe('kpiStatus', () => {
  const higher = { green: 98, red: 95 };
  const lower = { green: 4, red: 24 };
  it.each([
    [99, 'green'], [98, 'green'], [97.9, 'orange'], [95, 'orange'], [94.99, 'red'], [0, 'red'], [null, 'no-data'], [Number.NaN, 'no-data'],
  ] as const)('higher is better: %s -> %s', (value, status) => {
    expect(kpiStatus(value, 'higher', higher)).toBe(status);
  });
  it.each([
    [0, 'green'], [4, 'green'], [4.01, 'orange'], [24, 'orange'], [24.5, 'red'], [null, 'no-data'],
  ] as const)('lower is better: %s -> %s', (value, status) => {
    expect(kpiStatus(value, 'lower', lower)).toBe(status);
  });
  it('has no orange band when green and red meet', () => {
    expect(kpiStatus(10, 'higher', { green: 10, red: 10 })).toBe('green');
    expect(kpiStatus(9.99, 'higher', { green: 10, red: 10 })).toBe('red');
  });
});

describe('threshold checks', () => {
  it('accepts every default', () => {
    for (const d of KPI_DEFINITIONS) expect(thresholdProblems(d.key, d), d.key).toEqual([]);
  });
  it('refuses red above green where higher is better, red below green where lower is better, unknown keys and non-finite values', () => {
    expect(thresholdProblems('availabilityPct', { green: 95, red: 98 })[0]!.message).toMatch(/higher is better, so red \(98\) must not be above green \(95\)/);
    expect(thresholdProblems('timeToRestoreH', { green: 10, red: 5 })[0]!.message).toMatch(/lower is better, so red \(5\) must not be below green \(10\)/);
    expect(thresholdProblems('nope', { green: 1, red: 0 })[0]!.message).toMatch(/unknown KPI/);
    expect(thresholdProblems('livePoints', { green: Number.POSITIVE_INFINITY, red: 0 })).toHaveLength(1);
    try {
      assertThresholds({ livePoints: { green: 10, red: 5 }, availabilityPct: { green: 90, red: 99 }, timeToRestoreH: { green: 8, red: 2 } });
      expect.unreachable();
    } catch (e) {
      expect(isAppError(e) && e.code).toBe('validation_failed');
      expect(isAppError(e) && e.details?.map((d) => d.path)).toEqual(['availabilityPct', 'timeToRestoreH']);
    }
  });
  it('defines unique keys, each with a scope, a unit and a direction', () => {
    expect(new Set(KPI_DEFINITIONS.map((d) => d.key)).size).toBe(KPI_DEFINITIONS.length);
    for (const d of KPI_DEFINITIONS) {
      expect(['ward', 'provider', 'programme']).toContain(d.scope);
      expect(['higher', 'lower']).toContain(d.direction);
      expect(d.unit.length).toBeGreaterThan(0);
    }
  });
});
