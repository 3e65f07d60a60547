/**
 * RFC 8908 (Captive Portal API): what a phone asks at the URI that DHCP option 114 (RFC 8910) gave it. The device is
 * known by the address it asks from, which is its address inside the hotspot network when the router does not
 * masquerade traffic to the portal (the documented set-up). A device with a grant still running and not logged out
 * at the router is not captive; anything else is (the safe answer: the phone shows the portal).
 */
import { findLiveGrantOfAddress, usageOfHotspotUser } from '../queries/usage.ts';
import type { ServiceCtx } from '../../deps.ts';

export interface CaptiveState {
  captive: boolean;
  'user-portal-url': string;
  'seconds-remaining'?: number;
  'bytes-remaining'?: number;
  'can-extend-session'?: boolean;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export async function captiveState(ctx: ServiceCtx, input: { address: string; portalUrl: string }): Promise<CaptiveState> {
  const captive: CaptiveState = { captive: true, 'user-portal-url': input.portalUrl };
  // The hotspot is IPv4 only; an IPv4-mapped IPv6 form is read as the IPv4 address it carries.
  const address = input.address.startsWith('::ffff:') ? input.address.slice(7) : input.address;
  if (!IPV4.test(address)) return captive;
  const now = ctx.clock.nowMs();
  const grant = await findLiveGrantOfAddress(ctx.db, address, now);
  if (grant === undefined) return captive;
  const used = await usageOfHotspotUser(ctx.db, grant.hotspot_id, grant.hotspot_user);
  // The router reported the session and every one of them ended (logout, kicked, limit reached): captive again.
  if (used.sessions > 0 && used.open === 0) return captive;
  const secondsLeft = Math.min(Math.floor((Number(grant.expires_at) - now) / 1000), grant.limit_uptime_s - used.uptimeS);
  if (secondsLeft <= 0) return captive;
  const out: CaptiveState = { captive: false, 'user-portal-url': input.portalUrl, 'seconds-remaining': secondsLeft, 'can-extend-session': false };
  const limit = Number(grant.limit_bytes);
  if (limit > 0) {
    const bytesLeft = limit - used.bytes;
    if (bytesLeft <= 0) return captive;
    out['bytes-remaining'] = bytesLeft;
  }
  return out;
}
