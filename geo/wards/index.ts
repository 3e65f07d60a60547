export {
  parseWardFile,
  validateWardCollection,
  WARD_FILE_MAX_BYTES,
  WARD_MAX_FEATURES_DEFAULT,
  WARD_MAX_VERTICES_DEFAULT,
} from './validate-ward-collection.ts';
export type { ValidWard, ValidWardCollection, ValidateWardOptions, WardPropertyNames, WardRepairReport } from './validate-ward-collection.ts';
export { REPAIR_TOLERANCE_MIN_M2_DEFAULT, REPAIR_TOLERANCE_PCT_DEFAULT, repairWardGeometry, SPIKE_ANGLE_DEG } from './repair-ward-geometry.ts';
export type { GeometryRepair, RepairOutcome, RepairTolerance } from './repair-ward-geometry.ts';
export { ellipsoidalAreaM2, polygonAreaM2, ringAreaSignedM2 } from './ward-area.ts';
export type { WardGeometry } from './check-ward-geometry.ts';
export type { Bbox } from './find-ward-outliers.ts';
export { createWardLocator, WARD_LOCATOR_TOLERANCE_M_DEFAULT } from './create-ward-locator.ts';
export type { LocatableWard, WardLocation, WardLocator, WardLocatorOptions } from './create-ward-locator.ts';
export { apportionLargestRemainder, parseResidentCount, spreadResidents } from './spread-residents.ts';
export type { ResidentsWard, SpreadResidentsOptions, SpreadResidentsResult, WardResidents } from './spread-residents.ts';
export { checkRegionConsistency, readWardRegion, wantsRegions } from './ward-regions.ts';
export type { RegionFault, WardRegion, WardRegionProps } from './ward-regions.ts';
