import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../core/errors.ts';
import { footprintPolygon, freeSpaceLossAt1mDb, linkBudgetRadiusM, PATH_LOSS_EXPONENT, resolveRadius } from '../../../geo/coverage/index.ts';
import { createProjection, polygonArea } from '../../../geo/coverage/projection.ts';
import { area } from '@turf/turf';

function refusal(fn: () => unknown): { code: string; path: string } {
  try {
    fn();
  } catch (error) {
    if (isAppError(error)) return { code: error.code, path: error.details?.[0]?.path ?? '' };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('footprint radius', () => {
  it('takes radiusM first, then the link budget, then the profile default', () => {
    expect(resolveRadius({ radiusM: 80, txPowerDbm: 30 })).toMatchObject({ radiusM: 80, source: 'radius' });
    expect(resolveRadius({ txPowerDbm: 20 }).source).toBe('link-budget');
    expect(resolveRadius({ profile: 'indoor' })).toMatchObject({ radiusM: 30, source: 'profile-default' });
    expect(resolveRadius({})).toMatchObject({ radiusM: 100, source: 'profile-default' });
  });

  it('solves the log-distance model for the distance where path loss meets the link budget', () => {
    const spec = { txPowerDbm: 20, antennaGainDbi: 5, clientGainDbi: 0, sensitivityDbm: -75, frequencyMHz: 2437, environment: 'suburban' as const };
    const d = linkBudgetRadiusM(spec);
    const lossAtD = freeSpaceLossAt1mDb(2437) + 10 * PATH_LOSS_EXPONENT.suburban * Math.log10(d);
    expect(lossAtD).toBeCloseTo(20 + 5 + 0 + 75, 9);
    expect(freeSpaceLossAt1mDb(2437)).toBeCloseTo(40.19, 2);
    // Denser surroundings reach less far; more power reaches further.
    expect(linkBudgetRadiusM({ ...spec, environment: 'dense-urban' })).toBeLessThan(d);
    expect(linkBudgetRadiusM({ ...spec, environment: 'open' })).toBeGreaterThan(d);
    expect(linkBudgetRadiusM({ ...spec, txPowerDbm: 26 })).toBeGreaterThan(d);
    expect(d).toBeGreaterThan(50);
    expect(d).toBeLessThan(400);
  });

  it('refuses zero, negative, NaN and absurd radii with validation_failed', () => {
    for (const radiusM of [0, -5, Number.NaN, Number.POSITIVE_INFINITY, 50_000]) {
      expect(refusal(() => resolveRadius({ radiusM }, { path: 'devices[2].coverage' }))).toEqual({ code: 'validation_failed', path: 'devices[2].coverage.radiusM' });
    }
    expect(refusal(() => resolveRadius({ txPowerDbm: -10, antennaGainDbi: -10, clientGainDbi: -10, sensitivityDbm: -40 })).code).toBe('validation_failed');
  });

  it('caps large but possible radii with a warning', () => {
    const r = resolveRadius({ radiusM: 5_000 });
    expect(r.radiusM).toBe(1_500);
    expect(r.warnings[0]).toMatch(/capped at 1500 m/);
    expect(resolveRadius({ radiusM: 5_000 }, { capRadiusM: 6_000 }).radiusM).toBe(5_000);
    const open = resolveRadius({ txPowerDbm: 30, antennaGainDbi: 20, sensitivityDbm: -95, environment: 'open' });
    expect(open.radiusM).toBe(1_500);
    expect(open.warnings).toHaveLength(1);
  });

  it('builds circles and sectors whose area is the true area, in GeoJSON [lng, lat]', () => {
    const { geometry } = footprintPolygon(106.0, -6.0, { radiusM: 100 });
    expect(Math.abs(area(geometry) - Math.PI * 100 * 100) / (Math.PI * 1e4)).toBeLessThan(0.006); // turf: sphere
    const projection = createProjection(106, -6);
    const projected = geometry.coordinates.map((ring) => ring.map(([lon, lat]) => projection.forward(lon!, lat!)));
    expect(polygonArea(projected)).toBeCloseTo(Math.PI * 1e4, 0); // ellipsoid, equal-area
    const sector = footprintPolygon(106.0, -6.0, { radiusM: 100, azimuthDeg: 90, beamWidthDeg: 60 }).geometry;
    const sp = sector.coordinates.map((ring) => ring.map(([lon, lat]) => projection.forward(lon!, lat!)));
    expect(polygonArea(sp)).toBeCloseTo((Math.PI * 1e4) / 6, 0);
    // Facing east: every vertex lies east of the mast.
    for (const [lon] of sector.coordinates[0]!) expect(lon!).toBeGreaterThanOrEqual(106.0 - 1e-9);
  });
});
