/**
 * The variables a MikroTik hotspot's login page posts to the portal, treated as hostile: each one length-bounded and
 * checked, the CHAP material decoded, the destination kept only when it is an http(s) URL. Which login URL may be
 * used is decided later, against the registered hotspot (see `loginUrlFor`).
 */
import { bytesToHex, parseOctalEscapes } from './chap.ts';

/** Longest value accepted per posted variable; anything longer refuses the hand-off. */
export const HOTSPOT_VAR_LIMITS: Record<string, number> = {
  mac: 17,
  'mac-esc': 40,
  ip: 15,
  username: 64,
  'link-login': 1024,
  'link-login-only': 512,
  'link-orig': 1024,
  'link-orig-esc': 2048,
  'link-status': 512,
  'link-logout': 512,
  'chap-id': 16,
  'chap-challenge': 256,
  identity: 64,
  'server-name': 64,
  'server-address': 64,
  error: 256,
  'session-id': 64,
  trial: 8,
  popup: 8,
  lang: 2,
};

/** What the portal keeps of a hand-off (stored in the flow as JSON). */
export interface HotspotHandoff {
  mac: string | null;
  ip: string | null;
  identity: string;
  serverName: string | null;
  /** Host (and port) of `server-address`. */
  serverHost: string;
  /** Raw candidate login URL, checked against the hotspot by loginUrlFor. */
  linkLoginOnly: string | null;
  /** Where the citizen wanted to go: an http(s) URL or null. */
  dst: string | null;
  chapIdHex: string | null;
  chapChallengeHex: string | null;
  /** The router's $(error) text, when it sent the citizen back. */
  routerError: string | null;
}

export type HandoffParse = { ok: true; handoff: HotspotHandoff } | { ok: false; reason: 'too_long' | 'malformed' | 'no_identity' };

const CONTROL = /[\u0000-\u001f\u007f]/;
const MAC = /^[0-9a-fA-F]{2}([:-][0-9a-fA-F]{2}){5}$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const HOST_PORT = /^[A-Za-z0-9.-]{1,253}(:\d{1,5})?$/;

/** An http(s) URL without credentials, or null. Never `javascript:`, `data:` or anything else. */
export function safeHttpUrl(text: string | undefined, options: { maxLength: number }): URL | null {
  if (text === undefined || text === '' || text.length > options.maxLength || CONTROL.test(text)) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username !== '' || url.password !== '') return null;
  return url;
}

function optional(v: string | undefined): string | null {
  return v === undefined || v === '' ? null : v;
}

export function parseHotspotVars(raw: Record<string, string>): HandoffParse {
  for (const [name, value] of Object.entries(raw)) {
    const limit = HOTSPOT_VAR_LIMITS[name] ?? 256;
    if (value.length > limit) return { ok: false, reason: 'too_long' };
  }
  const identity = raw.identity ?? '';
  const serverAddress = raw['server-address'] ?? '';
  if (identity === '' || serverAddress === '') return { ok: false, reason: 'no_identity' };
  if (CONTROL.test(identity) || !HOST_PORT.test(serverAddress)) return { ok: false, reason: 'malformed' };
  const serverName = optional(raw['server-name']);
  if (serverName !== null && CONTROL.test(serverName)) return { ok: false, reason: 'malformed' };

  const macRaw = optional(raw.mac);
  if (macRaw !== null && !MAC.test(macRaw)) return { ok: false, reason: 'malformed' };
  const ip = optional(raw.ip);
  if (ip !== null && !IPV4.test(ip)) return { ok: false, reason: 'malformed' };

  let chapIdHex: string | null = null;
  let chapChallengeHex: string | null = null;
  const chapIdRaw = optional(raw['chap-id']);
  if (chapIdRaw !== null) {
    const id = parseOctalEscapes(chapIdRaw, { maxBytes: 1 });
    const challenge = parseOctalEscapes(raw['chap-challenge'] ?? '', { maxBytes: 64 });
    if (id === null || id.length !== 1 || challenge === null || challenge.length < 1) return { ok: false, reason: 'malformed' };
    chapIdHex = bytesToHex(id);
    chapChallengeHex = bytesToHex(challenge);
  }

  let linkLoginOnly = optional(raw['link-login-only']);
  if (linkLoginOnly === null) {
    const ll = safeHttpUrl(raw['link-login'], { maxLength: 1024 });
    if (ll !== null) linkLoginOnly = `${ll.origin}${ll.pathname}`;
  }

  let dst = safeHttpUrl(raw['link-orig'], { maxLength: 1024 });
  if (dst === null && raw['link-orig-esc'] !== undefined) {
    let decoded: string | undefined;
    try {
      decoded = decodeURIComponent(raw['link-orig-esc']);
    } catch {
      decoded = undefined;
    }
    dst = safeHttpUrl(decoded, { maxLength: 1024 });
  }

  const routerError = optional(raw.error);
  return {
    ok: true,
    handoff: {
      mac: macRaw === null ? null : macRaw.toLowerCase().replaceAll('-', ':'),
      ip,
      identity,
      serverName,
      serverHost: serverAddress.toLowerCase(),
      linkLoginOnly,
      dst: dst?.href ?? null,
      chapIdHex,
      chapChallengeHex,
      routerError: routerError === null || CONTROL.test(routerError) ? null : routerError,
    },
  };
}

function hostOnly(hostPort: string): string {
  return hostPort.replace(/:\d+$/, '').toLowerCase();
}

/**
 * The URL the browser may send credentials to: the posted link-login-only when it points at the hotspot's own
 * address (same host; http or https), else the hotspot's default `http://<address>/login`. Never another host.
 */
export function loginUrlFor(handoff: Pick<HotspotHandoff, 'linkLoginOnly'>, hotspotAddress: string): string {
  const own = hostOnly(hotspotAddress);
  const candidate = safeHttpUrl(handoff.linkLoginOnly ?? undefined, { maxLength: 512 });
  if (candidate !== null && candidate.hostname.toLowerCase() === own && candidate.search === '' && candidate.hash === '') {
    return `${candidate.origin}${candidate.pathname}`;
  }
  return `http://${hotspotAddress}/login`;
}

/** True when the posted server-address names the registered hotspot address (port ignored). */
export function sameHotspotHost(posted: string, registered: string): boolean {
  return hostOnly(posted) === hostOnly(registered);
}
