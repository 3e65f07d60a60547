/**
 * The coverage layers, defined once. The engine (geo/coverage), the API schemas and their OpenAPI descriptions
 * (core/schemas/coverage.ts), the docs and the console all read these definitions; nothing else restates them.
 *
 * Monitoring evidence of one access point: `up` (polled, up or degraded now), `down` (polled and down now: the
 * evidence that it does not serve), `unknown` (polled before, no current state: the collector stopped) or
 * `unverified` (never polled, or monitoring switched off: an inventory-only access point).
 */
export const COVERAGE_LAYERS = ['planned', 'assumed', 'live', 'reliable', 'expected'] as const;
export type CoverageLayer = (typeof COVERAGE_LAYERS)[number];

/** Layers that have a yes/no footprint per access point (gaps, candidates and plans need one). */
export const COUNT_LAYERS = ['planned', 'assumed', 'live', 'reliable'] as const;
export type CountLayerName = (typeof COUNT_LAYERS)[number];

export const EVIDENCE_STATES = ['up', 'down', 'unknown', 'unverified'] as const;
export type Evidence = (typeof EVIDENCE_STATES)[number];

/** Access points behind a layer's figures: how many count in it, and what monitoring knows of them. */
export interface LayerDevices {
  /** Access points not retired (in the city or outside it). */
  total: number;
  /** Access points whose footprint counts in this layer. */
  counted: number;
  /** Never polled (or monitoring off): counted in planned and assumed on trust, not in live or reliable. */
  unverified: number;
  /** Polled and down now: the evidence that leaves them out of assumed and live. */
  down: number;
  /** Counted in this layer and never polled. */
  countedUnverified: number;
}

/** The layer every planning endpoint (gaps, candidates, plans, what-if) and the coverage figures use by default. */
export const DEFAULT_COVERAGE_LAYER: CountLayerName = 'assumed';

export const COVERAGE_LAYER_DEFINITIONS: Readonly<Record<CoverageLayer, string>> = {
  planned:
    'every access point of a site that is not retired (planned, approved, installing or live), whatever monitoring says: the network as decided',
  assumed:
    'every access point of a site that is not retired unless monitoring has evidence that it does not serve (polled and down now); ' +
    'never-polled access points count here and are reported as unverified. The default for planning: installed hotspots with no bad evidence count as covering',
  live: 'access points polled and up (or degraded) now: what serves at this moment; never-polled access points do not count',
  reliable: 'access points whose availability over the last 7 days meets the SLA (98 %), from monitoring',
  expected: "each place's chance of being covered, 1 - product(1 - availability) over the footprints reaching it; areas and residents are expectations",
};

/** One paragraph for API descriptions: every layer and the default. */
export function coverageLayerHelp(layers: readonly CoverageLayer[] = COVERAGE_LAYERS, defaultLayer: CoverageLayer = DEFAULT_COVERAGE_LAYER): string {
  return `Coverage layer (default ${defaultLayer}). ${layers.map((l) => `${l}: ${COVERAGE_LAYER_DEFINITIONS[l]}.`).join(' ')}`;
}
