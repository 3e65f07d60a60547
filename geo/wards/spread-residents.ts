/**
 * Residents per ward from a CSV table: either one row per ward (key = ward code) or one row per district
 * (key = district name as in the ward file), in which case a district's residents are spread over its
 * wards in proportion to their area and marked 'district-estimate'.
 *
 * Rounding: largest remainder (Hamilton). Each ward gets floor(total x share); the units left over go to
 * the wards with the largest fractional parts (ties: smallest code), so the integers add up exactly to the
 * district total. Keys are matched ignoring case and repeated spaces. A row whose key matches no ward or
 * district, a repeated key, or a value that is not a whole number >= 0 rejects the whole table, naming the
 * lines. Wards that no row covers are kept with population null and listed in `wardsWithoutResidents`.
 */
import { AppError } from '../../core/errors.ts';
import type { ErrorDetail } from '../../core/errors.ts';
import type { CsvTable } from '../../core/csv.ts';

export interface ResidentsWard {
  code: string;
  district: string;
  areaM2: number;
}

export interface SpreadResidentsOptions {
  by: 'ward' | 'district';
  keyColumn: string;
  valueColumn: string;
}

export interface WardResidents {
  code: string;
  population: number | null;
  populationSource: 'ward' | 'district-estimate' | null;
}

export interface SpreadResidentsResult {
  /** Same order as the input wards. */
  wards: WardResidents[];
  /** Sum of all populations assigned. */
  residents: number;
  /** Codes of wards no row covered (population null). */
  wardsWithoutResidents: string[];
  estimated: boolean;
}

function normaliseKey(key: string): string {
  return key.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** Whole numbers, optionally with thousands separators ("67827", "67,827", "67.827", "67 827"). */
export function parseResidentCount(text: string): number | null {
  const t = text.trim();
  if (/^\d+$/.test(t)) return Number(t);
  if (/^\d{1,3}([,. ]\d{3})+$/.test(t) && new Set(t.replace(/\d/g, '')).size === 1) return Number(t.replace(/\D/g, ''));
  return null;
}

/** Largest-remainder split of an integer total over weights; ties broken by the given order. */
export function apportionLargestRemainder(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (weights.length === 0) return [];
  if (!(sum > 0)) {
    // no area to weigh by: equal shares
    return apportionLargestRemainder(total, weights.map(() => 1));
  }
  const quotas = weights.map((w) => (total * w) / sum);
  const out = quotas.map((q) => Math.floor(q));
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = quotas.map((q, i) => ({ i, frac: q - Math.floor(q) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) out[order[k]!.i]! += 1;
  return out;
}

export function spreadResidents(wards: readonly ResidentsWard[], table: CsvTable, options: SpreadResidentsOptions): SpreadResidentsResult {
  const missing = [options.keyColumn, options.valueColumn].filter((c) => !table.header.includes(c));
  if (missing.length > 0) {
    throw new AppError('validation_failed', `CSV has no column ${missing.map((c) => `"${c}"`).join(' or ')}; columns are ${table.header.map((c) => `"${c}"`).join(', ')}`, {
      details: missing.map((c) => ({ path: 'line 1', message: `missing column "${c}"` })),
    });
  }
  const groups = new Map<string, number[]>(); // key -> ward indices
  wards.forEach((w, i) => {
    const key = normaliseKey(options.by === 'ward' ? w.code : w.district);
    const list = groups.get(key);
    if (list === undefined) groups.set(key, [i]);
    else list.push(i);
  });

  const details: ErrorDetail[] = [];
  const valueByKey = new Map<string, { value: number; line: number }>();
  const noun = options.by === 'ward' ? 'ward code' : 'district';
  for (const row of table.rows) {
    const rawKey = row.values[options.keyColumn] ?? '';
    const key = normaliseKey(rawKey);
    const value = parseResidentCount(row.values[options.valueColumn] ?? '');
    const path = `line ${row.line}`;
    if (key === '') details.push({ path, message: `column "${options.keyColumn}" is empty` });
    else if (!groups.has(key)) details.push({ path, message: `unknown ${noun} "${rawKey.trim()}" (no imported ward has it)` });
    else if (valueByKey.has(key)) details.push({ path, message: `${noun} "${rawKey.trim()}" already given on line ${valueByKey.get(key)!.line}` });
    if (value === null) details.push({ path, message: `"${options.valueColumn}" is "${row.values[options.valueColumn] ?? ''}", expected a whole number >= 0` });
    if (key !== '' && groups.has(key) && !valueByKey.has(key) && value !== null) valueByKey.set(key, { value, line: row.line });
  }
  if (details.length > 0) {
    throw new AppError('validation_failed', `Residents CSV rejected: ${details.length} problem${details.length === 1 ? '' : 's'}; first: ${details[0]!.path}: ${details[0]!.message}`, { details });
  }

  const out: WardResidents[] = wards.map((w) => ({ code: w.code, population: null, populationSource: null }));
  let residents = 0;
  for (const [key, { value }] of valueByKey) {
    const members = [...groups.get(key)!].sort((a, b) => (wards[a]!.code < wards[b]!.code ? -1 : wards[a]!.code > wards[b]!.code ? 1 : 0));
    const shares = options.by === 'ward' && members.length === 1 ? [value] : apportionLargestRemainder(value, members.map((i) => wards[i]!.areaM2));
    members.forEach((i, k) => {
      out[i] = { code: wards[i]!.code, population: shares[k]!, populationSource: options.by === 'ward' ? 'ward' : 'district-estimate' };
    });
    residents += value;
  }
  return {
    wards: out,
    residents,
    wardsWithoutResidents: out.filter((w) => w.population === null).map((w) => w.code),
    estimated: options.by === 'district',
  };
}
