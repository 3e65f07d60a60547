/** The generated demo city: deterministic from its seed, clearly a sample, placed where Cilegon is, with outages early. */
import { describe, expect, it } from 'vitest';
import { buildDemoCity, DEMO_SEED } from '../../server/demo/demo-city.ts';
import { parseWardFile } from '../../geo/wards/index.ts';

describe('buildDemoCity', () => {
  it('gives the same city for the same seed and another city for another seed', () => {
    expect(buildDemoCity({ seed: DEMO_SEED })).toEqual(buildDemoCity());
    expect(buildDemoCity({ seed: 8 }).wardsGeoJson).not.toEqual(buildDemoCity().wardsGeoJson);
  });

  it('makes 12-20 valid wards in 3-4 districts around Cilegon, named as samples, with residents', () => {
    const city = buildDemoCity();
    const { wards } = parseWardFile(city.wardsGeoJson, { codeProp: 'kode', nameProp: 'nama', districtProp: 'kecamatan' });
    expect(wards.length).toBeGreaterThanOrEqual(12);
    expect(wards.length).toBeLessThanOrEqual(20);
    const districts = new Set(wards.map((w) => w.district));
    expect(districts.size).toBeGreaterThanOrEqual(3);
    expect(districts.size).toBeLessThanOrEqual(4);
    for (const w of wards) {
      expect(w.name).toMatch(/Contoh/);
      expect(w.district).toMatch(/Contoh/);
      const [minLon, minLat, maxLon, maxLat] = w.bbox;
      expect(minLon).toBeGreaterThan(105.9);
      expect(maxLon).toBeLessThan(106.2);
      expect(minLat).toBeGreaterThan(-6.15);
      expect(maxLat).toBeLessThan(-5.85);
    }
    const lines = city.residentsCsv.trim().split('\n').slice(1);
    expect(lines).toHaveLength(wards.length);
    for (const l of lines) expect(Number(l.split(',')[1])).toBeGreaterThan(0);
  });

  it('plans 80-150 sites with devices and coverage, a few planned sites without, and outages inside the first minute', () => {
    const city = buildDemoCity();
    const devices = city.sites.flatMap((s) => (s.device === null ? [] : [s.device]));
    expect(devices.length).toBeGreaterThanOrEqual(80);
    expect(devices.length).toBeLessThanOrEqual(150);
    expect(devices.every((d) => d.radiusM > 0)).toBe(true);
    expect(new Set(devices.map((d) => d.key)).size).toBe(devices.length);
    expect(devices.some((d) => d.protocol === 'routeros' && d.role === 'gateway')).toBe(true);
    expect(new Set(devices.filter((d) => d.protocol === 'snmp').map((d) => d.vendor))).toEqual(new Set(['ubiquiti-unifi', 'mikrotik']));
    const planned = city.sites.filter((s) => s.status === 'planned');
    expect(planned.length).toBeGreaterThan(0);
    expect(planned.every((s) => s.device === null)).toBe(true);
    const down = devices.filter((d) => d.behaviour.kind === 'down');
    expect(down.length).toBeGreaterThanOrEqual(1);
    expect(down.length).toBeLessThanOrEqual(2);
    const early = devices.filter((d) => d.behaviour.kind === 'flap' && d.behaviour.firstAfterS <= 10);
    expect(early.length).toBeGreaterThanOrEqual(2);
    expect(devices.filter((d) => d.behaviour.kind === 'steady').length / devices.length).toBeGreaterThan(0.8);
  });
});
