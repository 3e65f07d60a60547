/**
 * IP addresses as numbers, CIDR ranges and what kind of network an address belongs to (issue 10: proxy trust,
 * outbound URL policy, device address syntax). Pure: no DNS, no sockets. IPv4-mapped IPv6 (::ffff:a.b.c.d) is
 * treated as the IPv4 address it carries.
 */

export interface ParsedIp {
  version: 4 | 6;
  /** The address as an unsigned integer (32 or 128 bits). */
  value: bigint;
}

const V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export function parseIpv4(text: string): bigint | null {
  const m = V4.exec(text);
  if (m === null) return null;
  let v = 0n;
  for (let i = 1; i <= 4; i++) {
    const part = m[i]!;
    if (part.length > 1 && part.startsWith('0')) return null; // 010 is octal to some parsers: refuse, do not guess
    const n = Number(part);
    if (n > 255) return null;
    v = (v << 8n) | BigInt(n);
  }
  return v;
}

export function parseIpv6(input: string): bigint | null {
  let text = input;
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  if (text.includes('%')) return null; // zone ids name an interface, not an address
  if (!/^[0-9a-fA-F:.]+$/.test(text) || !text.includes(':')) return null;
  const lastColon = text.lastIndexOf(':');
  const maybeV4 = text.slice(lastColon + 1);
  if (maybeV4.includes('.')) {
    // ::ffff:1.2.3.4 - the last 32 bits written as IPv4: rewrite them as two hex groups.
    const v4 = parseIpv4(maybeV4);
    if (v4 === null) return null;
    text = `${text.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groups = (s: string): bigint[] | null => {
    if (s === '') return [];
    const out: bigint[] = [];
    for (const g of s.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      out.push(BigInt(parseInt(g, 16)));
    }
    return out;
  };
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  if (head === null || rest === null) return null;
  const want = 8;
  let all: bigint[];
  if (halves.length === 2) {
    const fill = want - head.length - rest.length;
    if (fill < 1) return null;
    all = [...head, ...new Array<bigint>(fill).fill(0n), ...rest];
  } else {
    if (head.length !== want) return null;
    all = head;
  }
  if (all.length !== 8) return null;
  return all.reduce((acc, g) => (acc << 16n) | g, 0n);
}

/** Parses an address; IPv4-mapped IPv6 comes back as IPv4. */
export function parseIp(text: string): ParsedIp | null {
  const t = text.trim();
  const v4 = parseIpv4(t);
  if (v4 !== null) return { version: 4, value: v4 };
  const v6 = parseIpv6(t);
  if (v6 === null) return null;
  if (v6 >> 32n === 0xffffn) return { version: 4, value: v6 & 0xffffffffn };
  return { version: 6, value: v6 };
}

export interface Cidr {
  version: 4 | 6;
  base: bigint;
  bits: number;
  text: string;
}

export function parseCidr(text: string): Cidr | null {
  const [addr, len, extra] = text.trim().split('/');
  if (addr === undefined || extra !== undefined) return null;
  const ip = parseIp(addr);
  if (ip === null) return null;
  const max = ip.version === 4 ? 32 : 128;
  const bits = len === undefined ? max : /^\d{1,3}$/.test(len) ? Number(len) : NaN;
  if (!Number.isInteger(bits) || bits < 0 || bits > max) return null;
  const shift = BigInt(max - bits);
  return { version: ip.version, base: (ip.value >> shift) << shift, bits, text: text.trim() };
}

export function inCidr(ip: ParsedIp, cidr: Cidr): boolean {
  if (ip.version !== cidr.version) return false;
  const shift = BigInt((ip.version === 4 ? 32 : 128) - cidr.bits);
  return ip.value >> shift === cidr.base >> shift;
}

function cidrs(list: string[]): Cidr[] {
  return list.map((s) => parseCidr(s)!);
}

/** The kinds of network an outbound request may not reach without thought. */
export type AddressKind = 'public' | 'loopback' | 'private' | 'link-local' | 'unspecified' | 'broadcast' | 'multicast' | 'reserved';

const KINDS: Array<[AddressKind, Cidr[]]> = [
  ['unspecified', cidrs(['0.0.0.0/8', '::/128'])],
  ['loopback', cidrs(['127.0.0.0/8', '::1/128'])],
  // 169.254/16 holds the cloud metadata services (169.254.169.254); fe80::/10 is its IPv6 sibling.
  ['link-local', cidrs(['169.254.0.0/16', 'fe80::/10'])],
  ['private', cidrs(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', 'fc00::/7'])],
  ['broadcast', cidrs(['255.255.255.255/32'])],
  ['multicast', cidrs(['224.0.0.0/4', 'ff00::/8'])],
  // Documentation, benchmarking, "this network", future use, and the IPv6 forms that embed other addresses.
  ['reserved', cidrs(['192.0.0.0/24', '192.0.2.0/24', '198.18.0.0/15', '198.51.100.0/24', '203.0.113.0/24', '240.0.0.0/4', '64:ff9b::/96', '2001:db8::/32', '2002::/16', '100::/64'])],
];

export function addressKind(ip: ParsedIp): AddressKind {
  for (const [kind, list] of KINDS) if (list.some((c) => inCidr(ip, c))) return kind;
  return 'public';
}

/**
 * The client's address behind reverse proxies: walk X-Forwarded-For from the right, starting at the socket's peer,
 * and step left only over hops in `trusted`. The leftmost entries are whatever the client wrote, so they are never
 * taken on trust. A malformed entry stops the walk at the last hop that could be checked.
 */
export function clientAddressBehindProxies(peer: string, forwardedFor: string | undefined, trusted: Cidr[]): string {
  let current = peer;
  const hops = (forwardedFor ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (;;) {
    const ip = parseIp(current);
    if (ip === null || !trusted.some((c) => inCidr(ip, c))) return current;
    const next = hops.pop();
    if (next === undefined) return current;
    if (parseIp(next) === null) return current;
    current = next;
  }
}

/**
 * Why a device's management address cannot be one (issue 10), or null when it can. Private and loopback addresses
 * are fine (devices live on the city's own networks); what no device can have is refused with a reason: the
 * unspecified address, broadcast, multicast, malformed IP literals (999.1.1.1) and host names with invalid labels.
 */
export function deviceAddressProblem(text: string): string | null {
  const t = text.trim();
  if (t === '') return 'an address is required';
  const looksV4 = /^[\d.]+$/.test(t);
  const looksV6 = t.includes(':');
  if (looksV4 || looksV6) {
    const ip = parseIp(t);
    if (ip === null) return looksV4 ? `${t} is not an IPv4 address (four numbers 0-255, no leading zeros)` : `${t} is not an IPv6 address`;
    const kind = addressKind(ip);
    if (kind === 'unspecified') return `${t} is the unspecified address; a device needs its own`;
    if (kind === 'broadcast') return `${t} is the broadcast address; a device needs its own`;
    if (kind === 'multicast') return `${t} is a multicast address; a device needs its own`;
    return null;
  }
  if (t.length > 253) return 'a host name has at most 253 characters';
  const labels = t.replace(/\.$/, '').split('.');
  for (const l of labels) {
    if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(l)) return `"${l}" is not a valid host name label (letters, digits and inner hyphens, 1-63 characters)`;
  }
  if (/^\d+$/.test(labels[labels.length - 1]!)) return `${t} is neither an IP address nor a host name`;
  return null;
}
