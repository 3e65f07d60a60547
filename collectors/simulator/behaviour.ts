/**
 * Pure, deterministic behaviour of a simulated device at a moment: silent or not, uptime, clients, byte counters.
 * Everything follows from the device's seed and the time elapsed since the fleet started, so a demo looks the same
 * on every machine and every start.
 */
import { hash32 } from '../scheduler/jitter.ts';
import type { SimFault } from './types.ts';

/** A stable number in [0, 1) from a seed and a few integers. */
export function unitHash(seed: number, ...parts: number[]): number {
  return hash32(`${seed}:${parts.join(':')}`) / 4294967296;
}

/** Whether the device stays silent at `elapsedMs` after the fleet's start. */
export function isSilentAt(fault: SimFault, elapsedMs: number): boolean {
  if (fault.kind === 'none') return false;
  if (fault.kind === 'down') return true;
  if (elapsedMs < fault.offsetMs) return false;
  return (elapsedMs - fault.offsetMs) % fault.periodMs < fault.silentMs;
}

/**
 * Seconds since the device booted. Before the start it had been up for a seed-given 1 to 40 days; a flapping device
 * reboots at the end of each silent spell (the collector sees its uptime go back).
 */
export function uptimeSAt(seed: number, fault: SimFault, elapsedMs: number): number {
  const bootedBeforeS = Math.floor(86_400 * (1 + 39 * unitHash(seed, 1)));
  if (fault.kind === 'flap' && elapsedMs >= fault.offsetMs) {
    const cycle = Math.floor((elapsedMs - fault.offsetMs) / fault.periodMs);
    const backAtMs = fault.offsetMs + cycle * fault.periodMs + fault.silentMs;
    return elapsedMs >= backAtMs ? Math.floor((elapsedMs - backAtMs) / 1000) : 0;
  }
  return bootedBeforeS + Math.floor(elapsedMs / 1000);
}

const CLIENT_WAVE_MS = 12 * 60_000;

/** Associated clients: a slow wave around `base` (its own phase per device) plus a small per-minute wobble. */
export function clientsAt(seed: number, base: number, elapsedMs: number): number {
  const phase = 2 * Math.PI * unitHash(seed, 2);
  const wave = 1 + 0.45 * Math.sin((2 * Math.PI * elapsedMs) / CLIENT_WAVE_MS + phase);
  const minute = Math.floor(elapsedMs / 60_000);
  const wobble = Math.round((unitHash(seed, 3, minute) - 0.5) * 4);
  return Math.max(0, Math.round(base * wave) + wobble);
}

const TRAFFIC_WAVE_MS = 10 * 60_000;

/**
 * Bytes through a port since boot-of-counter: the integral of a rate waving between 0.5x and 1.5x `meanBps`,
 * so the counter only grows and rates computed from it look alive.
 */
export function octetsAt(seed: number, meanBps: number, elapsedMs: number): bigint {
  const phase = 2 * Math.PI * unitHash(seed, 4);
  const t = elapsedMs / 1000;
  const w = (2 * Math.PI * 1000) / TRAFFIC_WAVE_MS;
  const integral = meanBps * (t - (0.5 / w) * (Math.cos(w * t + phase) - Math.cos(phase)));
  const startBytes = BigInt(Math.floor(unitHash(seed, 5) * 4e11));
  return startBytes + BigInt(Math.max(0, Math.floor(integral / 8)));
}

/** Six bytes of a client MAC (locally administered) for client slot `slot` of a device. */
export function clientMac(seed: number, slot: number, epoch: number): number[] {
  const h1 = hash32(`${seed}:mac:${slot}:${epoch}`);
  const h2 = hash32(`${seed}:mac2:${slot}:${epoch}`);
  return [0x02, (h1 >>> 24) & 0xff, (h1 >>> 16) & 0xff, (h1 >>> 8) & 0xff, h1 & 0xff, h2 & 0xff];
}

/** Client slot `slot` keeps its client for a few minutes, then another one takes it: [epoch, msIntoEpoch]. */
export function clientEpoch(seed: number, slot: number, elapsedMs: number): [number, number] {
  const sessionMs = 4 * 60_000 + Math.floor(unitHash(seed, 6, slot) * 8 * 60_000);
  const shifted = elapsedMs + Math.floor(unitHash(seed, 7, slot) * sessionMs);
  return [Math.floor(shifted / sessionMs), shifted % sessionMs];
}
