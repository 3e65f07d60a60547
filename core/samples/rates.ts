/**
 * Counters to rates. Pure: two good polls of one device in, one rate sample out.
 *
 * - First sample (no previous poll) yields no rate.
 * - 64-bit counter went back: reset (the agent restarted or the counter was cleared), no rate for that interval.
 * - 32-bit counter went back: a wrap when the wrapped delta (2^32 - old + new) is plausible for the link, i.e.
 *   the rate it implies is at most `speedBps * (1 + speedMarginRatio)`; when the speed is unknown, plausible means
 *   a delta of at most 2^31 (half the range). Otherwise a reset. Note a 32-bit counter on a link faster than
 *   ~570 Mbit/s can wrap more than once in 60 s: such links need 64-bit (ifHC*) counters.
 * - Device reboot (uptime went back): every counter is a reset.
 * - Totals (issue 11) add only the interfaces the device counts: by default its physical ones (the uplink among
 *   them), never loopbacks, bridges, VLANs, tunnels or virtual APs, which carry the same bytes again; a device may
 *   choose roles or interface names instead (core/interface-roles.ts). Every interface still gets its own rate.
 */
import { assignRoles, countsInTotals } from '../interface-roles.ts';
import type { InterfaceRole, TrafficSelection } from '../interface-roles.ts';
import type { InterfaceSample, PollSuccess } from '../observations.ts';
import { isReboot } from './reboot.ts';

const TWO_32 = 1n << 32n;
const TWO_31 = 1n << 31n;

export type CounterDelta = { kind: 'ok' | 'wrap'; delta: bigint } | { kind: 'reset' };

export function counterDelta(
  prev: bigint,
  next: bigint,
  options: { counterBits: 32 | 64; elapsedMs: number; speedBps: number | null; speedMarginRatio?: number },
): CounterDelta {
  if (next >= prev) return { kind: 'ok', delta: next - prev };
  if (options.counterBits === 64) return { kind: 'reset' };
  const wrapped = TWO_32 - prev + next;
  if (wrapped <= 0n) return { kind: 'reset' };
  const speed = options.speedBps;
  if (speed !== null && speed > 0 && options.elapsedMs > 0) {
    const bitsPerS = (Number(wrapped) * 8 * 1000) / options.elapsedMs;
    return bitsPerS <= speed * (1 + (options.speedMarginRatio ?? 0.05)) ? { kind: 'wrap', delta: wrapped } : { kind: 'reset' };
  }
  return wrapped <= TWO_31 ? { kind: 'wrap', delta: wrapped } : { kind: 'reset' };
}

export interface InterfaceRate {
  index: number;
  name: string;
  /** Bytes moved in the interval, null after a reset or when the counter is missing. */
  inBytes: bigint | null;
  outBytes: bigint | null;
  inBps: number | null;
  outBps: number | null;
  /** True when a counter was found reset (or the device rebooted) in this interval. */
  reset: boolean;
  wrapped: boolean;
  role: InterfaceRole;
  /** Whether it is added to the device's totals. */
  counted: boolean;
}

export interface RateSample {
  deviceId: string;
  /** End of the interval: the later poll's start. */
  atMs: number;
  intervalMs: number;
  rebooted: boolean;
  interfaces: InterfaceRate[];
  /** Sums over the counted interfaces with a rate (the device's total traffic), null when none had one. */
  inBps: number | null;
  outBps: number | null;
  inBytes: bigint | null;
  outBytes: bigint | null;
  clients: number | null;
}

function oneDirection(
  prev: bigint | null,
  next: bigint | null,
  iface: InterfaceSample,
  elapsedMs: number,
  rebooted: boolean,
): { bytes: bigint | null; bps: number | null; reset: boolean; wrapped: boolean } {
  if (prev === null || next === null) return { bytes: null, bps: null, reset: false, wrapped: false };
  if (rebooted) return { bytes: null, bps: null, reset: true, wrapped: false };
  const d = counterDelta(prev, next, { counterBits: iface.counterBits, elapsedMs, speedBps: iface.speedBps });
  if (d.kind === 'reset') return { bytes: null, bps: null, reset: true, wrapped: false };
  return { bytes: d.delta, bps: (Number(d.delta) * 8 * 1000) / elapsedMs, reset: false, wrapped: d.kind === 'wrap' };
}

/** Each interface's role: the one the poller gave, else the rules applied to the whole device (core/interface-roles). */
export function rolesOf(interfaces: readonly InterfaceSample[]): InterfaceRole[] {
  if (interfaces.every((i) => i.role !== undefined)) return interfaces.map((i) => i.role as InterfaceRole);
  const assigned = assignRoles(interfaces);
  return interfaces.map((i, n) => i.role ?? (assigned[n] as InterfaceRole));
}

/**
 * Rates between two good polls of the same device; null for the first sample or a non-increasing time.
 * `selection`: the device's own choice of what its totals add (null: physical and uplink interfaces).
 */
export function rateSample(prev: PollSuccess | null, next: PollSuccess, selection: TrafficSelection | null = null): RateSample | null {
  if (prev === null || prev.deviceId !== next.deviceId) return null;
  const elapsedMs = next.startedAtMs - prev.startedAtMs;
  if (elapsedMs <= 0) return null;
  const rebooted =
    prev.system.uptimeS !== null &&
    next.system.uptimeS !== null &&
    isReboot({ uptimeS: prev.system.uptimeS, atMs: prev.startedAtMs }, { uptimeS: next.system.uptimeS, atMs: next.startedAtMs });
  const before = new Map(prev.interfaces.map((i) => [i.index, i]));
  const interfaces: InterfaceRate[] = [];
  let inBps: number | null = null;
  let outBps: number | null = null;
  let inBytes: bigint | null = null;
  let outBytes: bigint | null = null;
  const roles = rolesOf(next.interfaces);
  for (const [n, iface] of next.interfaces.entries()) {
    const role = roles[n] as InterfaceRole;
    const counted = countsInTotals({ name: iface.name, role }, selection);
    const old = before.get(iface.index);
    // A changed counter width (ifHC appeared or vanished) cannot be compared: treat as a reset.
    const comparable = old !== undefined && old.counterBits === iface.counterBits;
    const rIn = oneDirection(comparable ? old.inOctets : null, iface.inOctets, iface, elapsedMs, rebooted);
    const rOut = oneDirection(comparable ? old.outOctets : null, iface.outOctets, iface, elapsedMs, rebooted);
    const reset = rIn.reset || rOut.reset || (old !== undefined && !comparable);
    interfaces.push({ index: iface.index, name: iface.name, inBytes: rIn.bytes, outBytes: rOut.bytes, inBps: rIn.bps, outBps: rOut.bps, reset, wrapped: rIn.wrapped || rOut.wrapped, role, counted });
    if (!counted) continue;
    if (rIn.bps !== null && rIn.bytes !== null) {
      inBps = (inBps ?? 0) + rIn.bps;
      inBytes = (inBytes ?? 0n) + rIn.bytes;
    }
    if (rOut.bps !== null && rOut.bytes !== null) {
      outBps = (outBps ?? 0) + rOut.bps;
      outBytes = (outBytes ?? 0n) + rOut.bytes;
    }
  }
  return { deviceId: next.deviceId, atMs: next.startedAtMs, intervalMs: elapsedMs, rebooted, interfaces, inBps, outBps, inBytes, outBytes, clients: clientCount(next) };
}

/** Clients of a poll: the driver's total, else the sum over SSIDs, else stations, else hotspot users; null if unknown. */
export function clientCount(poll: PollSuccess): number | null {
  if (poll.clients !== null) return poll.clients;
  if (poll.ssids.length > 0) return poll.ssids.reduce((a, s) => a + s.clients, 0);
  if (poll.stations.length > 0) return poll.stations.length;
  if (poll.hotspotActive.length > 0) return poll.hotspotActive.length;
  return null;
}

/** Keeps the last good poll per device and turns each new one into a rate sample. */
export interface RateTracker {
  push(poll: PollSuccess): RateSample | null;
  forget(deviceId: string): void;
}

export function createRateTracker(): RateTracker {
  const last = new Map<string, PollSuccess>();
  return {
    push(poll: PollSuccess): RateSample | null {
      const prev = last.get(poll.deviceId) ?? null;
      if (prev !== null && poll.startedAtMs <= prev.startedAtMs) return null;
      last.set(poll.deviceId, poll);
      return rateSample(prev, poll);
    },
    forget(deviceId: string): void {
      last.delete(deviceId);
    },
  };
}
