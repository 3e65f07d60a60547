/** FNV-1a 32-bit: a stable hash of a device id, so its phase in the interval is the same on every start. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The device's offset inside its interval: deterministic, spread evenly over [0, intervalMs). */
export function phaseMs(deviceId: string, intervalMs: number): number {
  return hash32(deviceId) % Math.max(1, Math.floor(intervalMs));
}

/** The first time >= nowMs that lies on the device's grid (phase + k * interval). */
export function nextSlotMs(nowMs: number, phase: number, intervalMs: number): number {
  const offset = (((phase - nowMs) % intervalMs) + intervalMs) % intervalMs;
  return nowMs + offset;
}
