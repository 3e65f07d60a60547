import { AppError } from '../../core/errors.ts';
import type { CoverageSpec } from '../../core/schemas/inventory.ts';

/** Path-loss exponent n of the log-distance model per environment (see README.md for sources). */
export const PATH_LOSS_EXPONENT: Record<NonNullable<CoverageSpec['environment']>, number> = {
  open: 2.1,
  suburban: 2.8,
  'dense-urban': 3.4,
  indoor: 3.3,
};

/** Radius of a profile when neither a radius nor a link budget is given. */
export const PROFILE_RADIUS_M = { indoor: 30, outdoor: 100 } as const;

/** Link-budget defaults filled in for fields the spec leaves out. */
export const LINK_BUDGET_DEFAULTS = {
  txPowerDbm: 20,
  antennaGainDbi: 5,
  clientGainDbi: 0,
  sensitivityDbm: -75,
  frequencyMHz: 2437,
} as const;

/** The schema's own ceiling: above this a radius is refused. */
export const MAX_RADIUS_M = 20_000;
/** Default cap: radii above this (but <= MAX_RADIUS_M) are cut to it with a warning. */
export const DEFAULT_CAP_RADIUS_M = 1_500;

export interface RadiusResult {
  radiusM: number;
  source: 'radius' | 'link-budget' | 'profile-default';
  warnings: string[];
}

export interface RadiusOptions {
  /** Radii above this are capped with a warning (default 1,500 m). */
  capRadiusM?: number;
  /** Where the spec sits in the caller's input, for error details (e.g. "devices[3].spec"). */
  path?: string;
}

/** Free-space path loss at 1 m, dB, for a frequency in MHz (Friis, d in m, f in MHz: 20log d + 20log f - 27.55). */
export function freeSpaceLossAt1mDb(frequencyMHz: number): number {
  return 20 * Math.log10(frequencyMHz) - 27.55;
}

/**
 * Log-distance model: PL(d) = PL(1 m) + 10 n log10(d / 1 m). The largest loss the link tolerates is
 * tx + antenna gain + client gain - client sensitivity; solve PL(d) = that for d.
 */
export function linkBudgetRadiusM(spec: CoverageSpec): number {
  const tx = spec.txPowerDbm ?? LINK_BUDGET_DEFAULTS.txPowerDbm;
  const gAnt = spec.antennaGainDbi ?? LINK_BUDGET_DEFAULTS.antennaGainDbi;
  const gCli = spec.clientGainDbi ?? LINK_BUDGET_DEFAULTS.clientGainDbi;
  const sens = spec.sensitivityDbm ?? LINK_BUDGET_DEFAULTS.sensitivityDbm;
  const freq = spec.frequencyMHz ?? LINK_BUDGET_DEFAULTS.frequencyMHz;
  const env = spec.environment ?? (spec.profile === 'indoor' ? 'indoor' : 'suburban');
  const n = PATH_LOSS_EXPONENT[env];
  const maxLossDb = tx + gAnt + gCli - sens;
  return 10 ** ((maxLossDb - freeSpaceLossAt1mDb(freq)) / (10 * n));
}

function hasLinkBudget(spec: CoverageSpec): boolean {
  return spec.txPowerDbm !== undefined || spec.sensitivityDbm !== undefined || spec.antennaGainDbi !== undefined;
}

function refuse(path: string, message: string): AppError {
  return new AppError('validation_failed', `coverage radius refused: ${message}`, { details: [{ path, message }] });
}

/**
 * The footprint radius of a spec. Precedence: `radiusM`, then the link budget (when any of txPowerDbm,
 * sensitivityDbm, antennaGainDbi is set), then the profile default (outdoor when no profile).
 * Refused (AppError validation_failed): a radius that is 0, negative, not finite, or above 20 km; a link budget
 * that yields less than 1 m. Capped with a warning: anything above `capRadiusM` (default 1,500 m).
 */
export function resolveRadius(spec: CoverageSpec, options: RadiusOptions = {}): RadiusResult {
  const path = options.path ?? 'coverage';
  const cap = options.capRadiusM ?? DEFAULT_CAP_RADIUS_M;
  const warnings: string[] = [];
  let radiusM: number;
  let source: RadiusResult['source'];
  if (spec.radiusM !== undefined && spec.radiusM !== null) {
    radiusM = spec.radiusM;
    source = 'radius';
    if (typeof radiusM !== 'number' || !Number.isFinite(radiusM)) throw refuse(`${path}.radiusM`, 'radiusM is not a finite number');
    if (radiusM <= 0) throw refuse(`${path}.radiusM`, `radiusM must be > 0 (got ${radiusM})`);
    if (radiusM > MAX_RADIUS_M) throw refuse(`${path}.radiusM`, `radiusM ${radiusM} is above the ${MAX_RADIUS_M} m limit`);
  } else if (hasLinkBudget(spec)) {
    radiusM = linkBudgetRadiusM(spec);
    source = 'link-budget';
    if (!Number.isFinite(radiusM)) throw refuse(path, 'the link budget does not give a finite radius');
    if (radiusM < 1) throw refuse(path, `the link budget gives ${radiusM.toFixed(2)} m: the client cannot hear this device`);
  } else {
    radiusM = PROFILE_RADIUS_M[spec.profile ?? 'outdoor'];
    source = 'profile-default';
  }
  if (radiusM > cap) {
    warnings.push(`radius ${Math.round(radiusM)} m (${source}) capped at ${cap} m`);
    radiusM = cap;
  }
  return { radiusM, source, warnings };
}
