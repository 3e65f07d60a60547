/**
 * Flood limits of the captive portal (issue 10): how many sign-in flows and how many grants one client address and
 * one hotspot may start in a window. Reserve-then-check on `rate_limits` (one atomic statement per budget, see
 * server/db/rate-limits.ts), so a thousand requests at once get exactly the budget through and the rest a 429.
 * Addresses are kept in the keys only as a keyed hash.
 */
import { releaseRateLimit, reserveRateLimit, type Reservation } from '../../db/rate-limits.ts';
import type { ServiceCtx } from '../../deps.ts';
import { portalHash } from '../pure/portal-keys.ts';

export interface PortalLimits {
  /** The fixed window every budget below counts in. */
  windowS: number;
  /** Sign-in flows (hand-offs from a hotspot's login page) per client address. */
  flowsPerAddress: number;
  /** Sign-in flows per hotspot, from all its clients together. */
  flowsPerHotspot: number;
  /** Grants (hotspot users made or reused) per client address. */
  grantsPerAddress: number;
  /** Grants per hotspot. */
  grantsPerHotspot: number;
}

/**
 * One device opens the portal a handful of times in ten minutes; a busy park hotspot signs in a few hundred people.
 * A hotspot whose router masquerades traffic to the portal shows every client as one address: raise the address
 * budgets there (JANGKAU_PORTAL_* settings), or better route without NAT (server/portal/README.md).
 */
export const DEFAULT_PORTAL_LIMITS: PortalLimits = { windowS: 600, flowsPerAddress: 30, flowsPerHotspot: 3000, grantsPerAddress: 10, grantsPerHotspot: 1000 };

export function portalLimitsOf(ctx: Pick<ServiceCtx, 'config'>): PortalLimits {
  return { ...DEFAULT_PORTAL_LIMITS, ...(ctx.config.portalLimits ?? {}) };
}

const ADDRESS_PURPOSE = 'portal-limit-address';

/** The client address as kept in limit keys and flows: a keyed hash, never the address. */
export function clientAddressHash(ctx: Pick<ServiceCtx, 'secrets' | 'clientAddress'>): Promise<string> {
  return portalHash(ctx.secrets, ctx.clientAddress, ADDRESS_PURPOSE);
}

export type LimitOutcome = { ok: true; held: Reservation[] } | { ok: false; retryAfterS: number };

async function reserveAll(ctx: ServiceCtx, budgets: Array<{ key: string; limit: number }>): Promise<LimitOutcome> {
  const limits = portalLimitsOf(ctx);
  const windowMs = limits.windowS * 1000;
  const now = ctx.clock.nowMs();
  const held: Reservation[] = [];
  for (const b of budgets) {
    const r = await reserveRateLimit(ctx.db, b.key, b.limit, windowMs, now);
    if (!r.allowed) {
      // The budgets passed before this one give their attempt back: nothing was started.
      for (const h of held) await releaseRateLimit(ctx.db, h);
      return { ok: false, retryAfterS: r.retryAfterS };
    }
    held.push(r);
  }
  return { ok: true, held };
}

/** One more flow from this address (before the hotspot is known). */
export async function reserveFlowOfAddress(ctx: ServiceCtx): Promise<LimitOutcome> {
  return reserveAll(ctx, [{ key: `portal-flow-a:${await clientAddressHash(ctx)}`, limit: portalLimitsOf(ctx).flowsPerAddress }]);
}

/** One more flow at this hotspot. */
export async function reserveFlowOfHotspot(ctx: ServiceCtx, hotspotId: string): Promise<LimitOutcome> {
  return reserveAll(ctx, [{ key: `portal-flow-h:${hotspotId}`, limit: portalLimitsOf(ctx).flowsPerHotspot }]);
}

/** One more grant from this address at this hotspot; give it back with releaseLimits when no grant came of it. */
export async function reserveGrant(ctx: ServiceCtx, hotspotId: string): Promise<LimitOutcome> {
  const limits = portalLimitsOf(ctx);
  return reserveAll(ctx, [
    { key: `portal-grant-a:${await clientAddressHash(ctx)}`, limit: limits.grantsPerAddress },
    { key: `portal-grant-h:${hotspotId}`, limit: limits.grantsPerHotspot },
  ]);
}

export async function releaseLimits(ctx: ServiceCtx, held: Reservation[]): Promise<void> {
  for (const h of held) await releaseRateLimit(ctx.db, h);
}
