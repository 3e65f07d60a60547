import { describe, expect, it } from 'vitest';
import { AppError } from '../../../core/errors.ts';
import { parseCsv } from '../../../core/csv.ts';
import { apportionLargestRemainder, parseWardFile, spreadResidents } from '../../../geo/wards/index.ts';
import { CILEGON_PROPS, readSharedData } from './shared-data.ts';

const { wards } = parseWardFile(readSharedData('cilegon-kelurahan.geojson'), CILEGON_PROPS);
const populationCsv = readSharedData('cilegon-kecamatan-population.csv');
const byDistrict = { by: 'district', keyColumn: 'kecamatan', valueColumn: 'population_2025s1' } as const;

function rejection(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the input to be rejected');
}

describe('spreadResidents', () => {
  it('spreads the 8 kecamatan totals over the 43 kelurahan by area, summing exactly to 483,015', () => {
    const table = parseCsv(populationCsv);
    const result = spreadResidents(wards, table, byDistrict);
    expect(result.residents).toBe(483_015);
    expect(result.estimated).toBe(true);
    expect(result.wardsWithoutResidents).toEqual([]);
    expect(result.wards.map((w) => w.code)).toEqual(wards.map((w) => w.code));
    expect(result.wards.reduce((sum, w) => sum + w.population!, 0)).toBe(483_015);
    for (const w of result.wards) {
      expect(Number.isInteger(w.population)).toBe(true);
      expect(w.populationSource).toBe('district-estimate');
    }
    // each district sums exactly to its row, and shares follow area within one resident
    for (const row of table.rows) {
      const members = wards.map((w, i) => ({ w, r: result.wards[i]! })).filter(({ w }) => w.district === row.values['kecamatan']);
      const total = Number(row.values['population_2025s1']);
      expect(members.reduce((sum, m) => sum + m.r.population!, 0)).toBe(total);
      const areaSum = members.reduce((sum, m) => sum + m.w.areaM2, 0);
      for (const m of members) expect(Math.abs(m.r.population! - (total * m.w.areaM2) / areaSum)).toBeLessThan(1);
    }
  });

  it('takes per-ward counts as they are and leaves uncovered wards null, listing them', () => {
    const csv = 'kode;penduduk\r\n36.72.01.1001;12000\r\n36.72.01.1002;"9,500"\r\n';
    const result = spreadResidents(wards, parseCsv(csv, { delimiter: ';' }), { by: 'ward', keyColumn: 'kode', valueColumn: 'penduduk' });
    expect(result.residents).toBe(21_500);
    expect(result.estimated).toBe(false);
    expect(result.wards[0]).toEqual({ code: '36.72.01.1001', population: 12000, populationSource: 'ward' });
    expect(result.wards[1]).toEqual({ code: '36.72.01.1002', population: 9500, populationSource: 'ward' });
    expect(result.wards[2]).toEqual({ code: wards[2]!.code, population: null, populationSource: null });
    expect(result.wardsWithoutResidents).toHaveLength(41);
  });

  it('matches district names ignoring case and spacing, and reports districts without a row', () => {
    const csv = 'kecamatan,population_2025s1\n  CIBEBER ,100\n';
    const result = spreadResidents(wards, parseCsv(csv), byDistrict);
    const cibeber = wards.filter((w) => w.district === 'Cibeber').map((w) => w.code);
    expect(result.wards.filter((w) => w.population !== null).map((w) => w.code)).toEqual(cibeber);
    expect(result.residents).toBe(100);
    expect(result.wardsWithoutResidents).toHaveLength(43 - cibeber.length);
  });

  it('rejects unknown keys, repeated keys and bad counts, naming every line', () => {
    const csv = ['kecamatan,population_2025s1', 'Cibeber,10', 'Grogol,20', 'Cibeber,30', 'Cilegon,-5', 'Jombang,1.5', ',7'].join('\n');
    const error = rejection(() => spreadResidents(wards, parseCsv(csv), byDistrict));
    expect(error.code).toBe('validation_failed');
    expect(error.details).toEqual([
      { path: 'line 3', message: 'unknown district "Grogol" (no imported ward has it)' },
      { path: 'line 4', message: 'district "Cibeber" already given on line 2' },
      { path: 'line 5', message: '"population_2025s1" is "-5", expected a whole number >= 0' },
      { path: 'line 6', message: '"population_2025s1" is "1.5", expected a whole number >= 0' },
      { path: 'line 7', message: 'column "kecamatan" is empty' },
    ]);
  });

  it('rejects a table without the named columns', () => {
    const error = rejection(() => spreadResidents(wards, parseCsv(populationCsv), { ...byDistrict, valueColumn: 'population' }));
    expect(error.message).toMatch(/no column "population"; columns are "kode_kecamatan", "kecamatan", "population_2025s1"/);
  });
});

describe('apportionLargestRemainder', () => {
  it('sums exactly and gives leftovers to the largest remainders, ties to the first', () => {
    expect(apportionLargestRemainder(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(apportionLargestRemainder(7, [0.5, 0.3, 0.2])).toEqual([4, 2, 1]);
    expect(apportionLargestRemainder(0, [1, 2])).toEqual([0, 0]);
    expect(apportionLargestRemainder(5, [0, 0])).toEqual([3, 2]);
    const weights = Array.from({ length: 97 }, (_, i) => Math.sqrt(i + 1));
    expect(apportionLargestRemainder(1_000_003, weights).reduce((a, b) => a + b, 0)).toBe(1_000_003);
  });
});
