/**
 * How each state looks: colour-blind-safe colours (Okabe–Ito) plus a distinct shape and a text label, so no state
 * is told by colour alone.
 */
import type { PointState } from '../api/types.ts';
import type { MessageKey } from '../i18n/dict.ts';

export type Shape = 'circle' | 'triangle' | 'square' | 'ring' | 'diamond' | 'dot';

export interface StateLook {
  colour: string;
  shape: Shape;
  /** A glyph for lists and badges. */
  glyph: string;
  label: MessageKey;
  /** Drawing order: problems on top. */
  z: number;
}

export const STATE_LOOK: Record<PointState, StateLook> = {
  up: { colour: '#009E73', shape: 'circle', glyph: '●', label: 'state.up', z: 1 },
  degraded: { colour: '#E69F00', shape: 'triangle', glyph: '▲', label: 'state.degraded', z: 3 },
  down: { colour: '#D55E00', shape: 'square', glyph: '■', label: 'state.down', z: 4 },
  unknown: { colour: '#6B7280', shape: 'ring', glyph: '○', label: 'state.unknown', z: 2 },
  planned: { colour: '#0072B2', shape: 'diamond', glyph: '◆', label: 'state.planned', z: 0 },
  // Inventory only (issue 11): not a problem, drawn below everything polled.
  unmonitored: { colour: '#9CA3AF', shape: 'dot', glyph: '·', label: 'state.unmonitored', z: 0 },
};

export const PROBLEM_STATES: readonly PointState[] = ['down', 'degraded', 'unknown'];

export function isProblem(state: PointState): boolean {
  return state === 'down' || state === 'degraded' || state === 'unknown';
}

/** The worst of several states, for a cluster's ring. */
export function worstState(states: Iterable<PointState>): PointState {
  let worst: PointState = 'planned';
  for (const s of states) if (STATE_LOOK[s].z > STATE_LOOK[worst].z) worst = s;
  return worst;
}

/** Sequential colour-blind-safe blues for coverage %, five bins. */
export const COVERAGE_BINS: readonly { min: number; colour: string }[] = [
  { min: 80, colour: '#08519c' },
  { min: 60, colour: '#3182bd' },
  { min: 40, colour: '#6baed6' },
  { min: 20, colour: '#bdd7e7' },
  { min: 0, colour: '#eff3ff' },
];

/** No data: a neutral grey, apart from every blue of the scale (0 % is the lightest blue, not grey). */
export const NO_DATA_COLOUR = '#c4c7cc';

export function coverageColour(pct: number | null | undefined): string {
  if (pct === null || pct === undefined || !Number.isFinite(pct)) return NO_DATA_COLOUR;
  for (const b of COVERAGE_BINS) if (pct >= b.min) return b.colour;
  return '#eff3ff';
}
