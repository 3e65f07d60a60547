/**
 * A tiny seeded PRNG (mulberry32): the same seed gives the same sequence on every machine.
 * geo/ never uses Math.random; tests, benchmarks and the demo use this one too.
 */
export type RandomSource = () => number;

export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return function next(): number {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform in [min, max). */
export function randomBetween(random: RandomSource, min: number, max: number): number {
  return min + (max - min) * random();
}
