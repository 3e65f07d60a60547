/** The only way code of ours reads the time: inject a Clock so tests can move it. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  nowMs(): number;
}

export const systemClock: Clock = { nowMs: () => Date.now() };

export function isoAt(ms: number): string {
  return new Date(ms).toISOString();
}
