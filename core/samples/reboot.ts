/** sysUpTime is TimeTicks (1/100 s) in 32 bits: it wraps after about 497 days without a reboot. */
export const UPTIME_WRAP_S = 2 ** 32 / 100;

export interface UptimeReading {
  uptimeS: number;
  atMs: number;
}

/**
 * True when `next` shows the device restarted after `prev`: uptime went back by more than `toleranceS`,
 * unless the previous reading plus the elapsed time reached the 32-bit TimeTicks wrap (then it is a wrap).
 */
export function isReboot(prev: UptimeReading, next: UptimeReading, options: { toleranceS?: number } = {}): boolean {
  const toleranceS = options.toleranceS ?? 2;
  if (next.uptimeS >= prev.uptimeS - toleranceS) return false;
  const expectedS = prev.uptimeS + Math.max(0, next.atMs - prev.atMs) / 1000;
  const wrapped = expectedS >= UPTIME_WRAP_S - toleranceS && Math.abs(expectedS - UPTIME_WRAP_S - next.uptimeS) <= Math.max(60, toleranceS);
  return !wrapped;
}
