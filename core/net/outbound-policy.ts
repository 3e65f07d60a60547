/**
 * Where the server may send (issue 10): one policy for alert channels, webhooks and the SMS gateway. Pure: the
 * caller parses the URL, resolves the host and asks about every address it got.
 *
 * - http and https only, no `user:password@` in the URL;
 * - never link-local (169.254.0.0/16, fe80::/10) or a cloud metadata address, never unspecified, broadcast,
 *   multicast or reserved ranges;
 * - loopback (127/8, ::1) and private ranges (RFC 1918, 100.64/10, fc00::/7) only when an admin allowed them (a city's
 *   own gateway may live on its network).
 * Host names are not judged by their spelling: the URL parser has already turned decimal, hex and octal IPv4 forms
 * (http://2130706433/, http://0x7f.1/) into dotted quads, and a name is judged by what it resolves to at send time.
 */
import { addressKind, inCidr, parseCidr, parseIp, type Cidr, type ParsedIp } from './ip.ts';

export interface OutboundPolicy {
  /** Loopback and private networks may be reached (set by an admin). */
  allowPrivate: boolean;
}

/** Thrown by an outbound fetch that the policy stops before connecting: final, not worth another try. */
export class OutboundRefused extends Error {
  override name = 'OutboundRefused';
}

/** Every address a host name resolves to (IPv4 and IPv6). */
export type Resolver = (host: string) => Promise<string[]>;

/** What a runtime that can resolve names and pin connections gives the server (Node; Workers have none). */
export interface OutboundNet {
  resolve: Resolver;
  /** A fetch that checks every resolved address against the policy and connects to the checked one. */
  fetchFor(policy: OutboundPolicy): typeof fetch;
}

export const DEFAULT_OUTBOUND_POLICY: OutboundPolicy = { allowPrivate: false };

/** Metadata services that sit outside link-local: AWS's IPv6 one, Alibaba's (inside 100.64/10). */
const METADATA: Cidr[] = ['fd00:ec2::254/128', '100.100.100.200/32'].map((c) => parseCidr(c)!);

/** Why this URL may not be sent to whatever it resolves to, or null. */
export function outboundUrlProblem(url: URL): string | null {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'only http and https URLs are allowed';
  if (url.username !== '' || url.password !== '') return 'credentials in the URL (user:password@) are not allowed';
  if (url.hostname === '') return 'the URL has no host';
  return null;
}

/** The host of a URL as an address when it is an IP literal (brackets of IPv6 removed), else null. */
export function literalAddress(url: URL): ParsedIp | null {
  return parseIp(url.hostname.replace(/^\[(.*)\]$/, '$1'));
}

/** Why the server may not connect to this address under the policy, or null. */
export function outboundAddressProblem(ip: ParsedIp, policy: OutboundPolicy): string | null {
  if (METADATA.some((c) => inCidr(ip, c))) return 'a cloud metadata address is never reachable';
  const kind = addressKind(ip);
  switch (kind) {
    case 'public':
      return null;
    case 'link-local':
      return 'link-local addresses (169.254.0.0/16, fe80::/10, where cloud metadata lives) are never reachable';
    case 'loopback':
    case 'private':
      return policy.allowPrivate ? null : `${kind} addresses are refused unless an admin allows private networks (Settings: outbound URLs)`;
    default:
      return `${kind} addresses are never reachable`;
  }
}

/** The same for an address as text (a resolver's answer); an unparseable answer is refused. */
export function outboundAddressTextProblem(address: string, policy: OutboundPolicy): string | null {
  const ip = parseIp(address);
  if (ip === null) return `"${address}" is not an IP address`;
  const p = outboundAddressProblem(ip, policy);
  return p === null ? null : `${address}: ${p}`;
}
