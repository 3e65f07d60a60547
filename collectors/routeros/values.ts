/** Pure converters from RouterOS printed values (always strings) to typed values. */

const DURATION_UNIT_S: Record<string, number> = { w: 604_800, d: 86_400, h: 3_600, m: 60, s: 1, ms: 0.001, us: 0.000_001 };

/**
 * Seconds in a RouterOS duration: "1w2d3h4m5s", "5m", "3s910ms", "0s", and the older clock forms "02:03:04",
 * "1d02:03:04", "3w1d02:03:04". Null when the text is none of these.
 */
export function parseRouterOsDuration(text: string | undefined): number | null {
  if (text === undefined) return null;
  const s = text.trim();
  if (s === '') return null;
  const clock = /^((?:\d+[wd])*)(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d+))?$/.exec(s);
  if (clock !== null) {
    const prefix = clock[1] === '' || clock[1] === undefined ? 0 : parseRouterOsDuration(clock[1]);
    if (prefix === null) return null;
    const frac = clock[5] === undefined ? 0 : Number(`0.${clock[5]}`);
    return prefix + Number(clock[2]) * 3600 + Number(clock[3]) * 60 + Number(clock[4]) + frac;
  }
  const unit = /(\d+(?:\.\d+)?)(ms|us|w|d|h|m|s)/g;
  let total = 0;
  let consumed = 0;
  for (let m = unit.exec(s); m !== null; m = unit.exec(s)) {
    if (m.index !== consumed) return null;
    total += Number(m[1]) * DURATION_UNIT_S[m[2]!]!;
    consumed = m.index + m[0].length;
  }
  return consumed === s.length && consumed > 0 ? total : null;
}

/** "1h2m3s" style for limit-uptime and similar attributes; whole seconds. */
export function formatRouterOsDuration(seconds: number): string {
  let rest = Math.max(0, Math.floor(seconds));
  if (rest === 0) return '0s';
  let out = '';
  for (const [unit, size] of [['w', 604_800], ['d', 86_400], ['h', 3_600], ['m', 60], ['s', 1]] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * size;
  }
  return out;
}

/** Non-negative decimal counter as bigint (no precision loss past 2^53); null when absent or not a number. */
export function parseCounter(text: string | undefined): bigint | null {
  if (text === undefined || !/^\d{1,20}$/.test(text)) return null;
  return BigInt(text);
}

/** Finite number or null; accepts "7", "7%", "7.5". */
export function parseNumber(text: string | undefined): number | null {
  if (text === undefined) return null;
  const m = /^-?\d+(?:\.\d+)?/.exec(text.trim());
  return m === null ? null : Number(m[0]);
}

/** RouterOS booleans are "true"/"false" ("yes"/"no" in some menus). */
export function parseBool(text: string | undefined): boolean | null {
  if (text === 'true' || text === 'yes') return true;
  if (text === 'false' || text === 'no') return false;
  return null;
}

/** dBm from "-67@6Mbps", "-67@HT20-7", "-67", "-67dBm"; null otherwise. */
export function parseSignalDbm(text: string | undefined): number | null {
  if (text === undefined) return null;
  const m = /^\s*(-?\d{1,3})(?:\s*dBm)?(?:@.*)?\s*$/i.exec(text);
  return m === null ? null : Number(m[1]);
}

/** Lower-case, colon-separated MAC, or null when the text is not a 48-bit MAC. */
export function normalizeMac(text: string | undefined): string | null {
  if (text === undefined) return null;
  const hex = text.replace(/[:\-.]/g, '').toLowerCase();
  if (!/^[0-9a-f]{12}$/.test(hex)) return null;
  return hex.match(/../g)!.join(':');
}

/** Number of a RouterOS internal id ("*1A" -> 26); null when not of that form. */
export function parseItemId(text: string | undefined): number | null {
  if (text === undefined || !/^\*[0-9A-Fa-f]{1,8}$/.test(text)) return null;
  return Number.parseInt(text.slice(1), 16);
}
