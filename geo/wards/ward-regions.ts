/**
 * The regions above a ward, read from the same feature's properties: kecamatan (district), kabupaten/kota (city) and
 * province. Pure. A file either carries the hierarchy for every feature or the caller does not ask for it; a code
 * used with two names, or a kecamatan placed in two kabupaten/kota, is a fault named by feature.
 */

/** Property names of the hierarchy in a ward file (all optional: without `cityCodeProp` no hierarchy is read). */
export interface WardRegionProps {
  /** The kecamatan's code (e.g. `kode_kecamatan`); the ward's `districtProp` gives its name. */
  districtCodeProp?: string | undefined;
  /** The kabupaten/kota's code and name (e.g. `kode_kota`, `kota`). */
  cityCodeProp?: string | undefined;
  cityProp?: string | undefined;
  /** The province's code and name; without a code property, the code is the part of the city code before its first
   * dot (Kemendagri codes: `36.72` lies in `36`), else the name. */
  provinceCodeProp?: string | undefined;
  provinceProp?: string | undefined;
}

export interface WardRegion {
  districtCode: string;
  districtName: string;
  cityCode: string;
  cityName: string;
  provinceCode: string;
  provinceName: string;
}

export interface RegionFault {
  index: number;
  message: string;
  code: string;
  params?: Record<string, string | number>;
}

export function wantsRegions(props: WardRegionProps): boolean {
  return props.cityCodeProp !== undefined || props.districtCodeProp !== undefined || props.cityProp !== undefined || props.provinceProp !== undefined || props.provinceCodeProp !== undefined;
}

function text(properties: Record<string, unknown>, key: string | undefined): string | null {
  if (key === undefined) return null;
  const v = properties[key];
  if (typeof v === 'string') return v.trim() === '' ? null : v.trim();
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

/** One feature's regions, or the faults that stop it. `districtName` is the ward's own district property. */
export function readWardRegion(
  index: number,
  properties: Record<string, unknown>,
  districtName: string | null,
  props: WardRegionProps,
  faults: RegionFault[],
): WardRegion | null {
  const need = (key: string | undefined, what: string): string | null => {
    if (key === undefined) {
      faults.push({ index, message: `the hierarchy needs the property naming the ${what}`, code: 'ward.region.missingProp', params: { what } });
      return null;
    }
    const v = text(properties, key);
    if (v === null) faults.push({ index, message: `property "${key}" (the ${what}) is missing or empty`, code: 'ward.region.missing', params: { property: key, what } });
    return v;
  };
  const districtCode = need(props.districtCodeProp, 'kecamatan code');
  const cityCode = need(props.cityCodeProp, 'kabupaten/kota code');
  const cityName = need(props.cityProp, 'kabupaten/kota name');
  const provinceName = need(props.provinceProp, 'province name');
  let provinceCode = props.provinceCodeProp === undefined ? null : need(props.provinceCodeProp, 'province code');
  if (props.provinceCodeProp === undefined && cityCode !== null && provinceName !== null) {
    provinceCode = cityCode.includes('.') ? cityCode.slice(0, cityCode.indexOf('.')) : provinceName;
  }
  if (districtCode === null || cityCode === null || cityName === null || provinceName === null || provinceCode === null || districtName === null) return null;
  return { districtCode, districtName, cityCode, cityName, provinceCode, provinceName };
}

/**
 * Every code means one region: one name, one parent. Faults name the feature that disagrees with the first feature
 * using the code.
 */
export function checkRegionConsistency(regions: readonly (WardRegion | null)[], faults: RegionFault[]): void {
  const seen = new Map<string, { name: string; parent: string | null; index: number; level: string }>();
  const check = (index: number, level: string, code: string, name: string, parent: string | null): void => {
    const first = seen.get(code);
    if (first === undefined) {
      seen.set(code, { name, parent, index, level });
      return;
    }
    if (first.level !== level) {
      faults.push({ index, message: `code "${code}" names a ${level} here and a ${first.level} in features[${first.index}]`, code: 'ward.region.codeReused', params: { code, other: first.index + 1 } });
    } else if (first.name !== name) {
      faults.push({ index, message: `${level} "${code}" is named "${name}" here and "${first.name}" in features[${first.index}]`, code: 'ward.region.twoNames', params: { code, name, otherName: first.name, other: first.index + 1 } });
    } else if (first.parent !== parent) {
      faults.push({ index, message: `${level} "${code}" lies in "${parent ?? ''}" here and in "${first.parent ?? ''}" in features[${first.index}]`, code: 'ward.region.twoParents', params: { code, other: first.index + 1 } });
    }
  };
  regions.forEach((r, index) => {
    if (r === null) return;
    check(index, 'province', r.provinceCode, r.provinceName, null);
    check(index, 'kabupaten/kota', r.cityCode, r.cityName, r.provinceCode);
    check(index, 'kecamatan', r.districtCode, r.districtName, r.cityCode);
  });
}
