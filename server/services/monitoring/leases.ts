/**
 * Collector groups and leases (issue 17). Collectors of one group share its devices: each asks every few seconds
 * (POST /api/v1/collector/leases), renewing what it holds and taking its fair share (the group's devices over the
 * collectors alive in it, rounded up) of what nobody holds. A collector that stops renewing loses its devices when
 * their leases expire, and the others take them at their next renewal. A collector holding more than its share
 * (another joined) gives the excess back; a given-back lease cools for one poll interval so the device is not
 * polled twice in an interval. Why leases in Postgres (FOR UPDATE SKIP LOCKED) and not pg-boss or advisory locks:
 * ARCHITECTURE.md.
 */
import { AppError } from '../../../core/errors.ts';
import type { DeviceTarget } from '../../../core/observations.ts';
import { claimFreeDevices, DEFAULT_GROUP, devicesByIds, groupDeviceCount, heldLeaseDetails, listCollectorsWithLeases, liveCollectorCount, releaseLeases, renewLeases, touchLeaseCollector } from '../../db/leases.ts';
import { inTransaction } from '../../db/tx.ts';
import type { ServiceCtx } from '../../deps.ts';
import { toDeviceTarget } from '../devices/device-rules.ts';

export interface LeaseRequest {
  collectorId: string;
  group: string;
  /** How long a lease lasts without renewal; the collector renews at least three times within it. */
  ttlMs: number;
  /**
   * The `version` of the last answer the collector applied. Given, the answer holds only the devices taken or changed
   * since then (with every id held, so the collector drops the others); absent, the whole list.
   */
  since?: number | undefined;
}

export interface LeaseAnswer {
  group: string;
  expiresMs: number;
  share: number;
  collectorsAlive: number;
  /** `full`: `targets` is every device held; `changes`: `targets` holds those taken or changed since `since`. */
  mode: 'full' | 'changes';
  /** What the collector sends back as `since` next time (this server's clock at the answer). */
  version: number;
  /** Every device held now (in `changes` mode; the collector keeps its targets for these and drops the rest). */
  ids?: string[];
  targets: DeviceTarget[];
}

/**
 * Servers behind one proxy answer the same collector in turn and their clocks differ a little; a device taken or
 * changed this close before `since` is sent again rather than missed.
 */
export const SINCE_MARGIN_MS = 5_000;

export async function claimLeases(ctx: ServiceCtx, req: LeaseRequest): Promise<LeaseAnswer> {
  if (req.ttlMs < 2000 || req.ttlMs > 600_000) throw new AppError('validation_failed', 'ttlMs must be from 2,000 to 600,000');
  const now = ctx.clock.nowMs();
  const expires = now + req.ttlMs;
  const group = req.group === '' ? DEFAULT_GROUP : req.group;
  const { held, share, alive } = await inTransaction(ctx, async (trx) => {
    await touchLeaseCollector(trx, req.collectorId, group, now);
    const alive = Math.max(1, await liveCollectorCount(trx, group, now - req.ttlMs));
    const devices = await groupDeviceCount(trx, group);
    const share = Math.ceil(devices / alive);
    let held = await renewLeases(trx, req.collectorId, group, now, expires);
    if (held.length > share) {
      // Another collector joined: give back the excess, which cools for one (longest) poll interval.
      const giveBack = held.slice(share);
      const longest = Math.max(...(await devicesByIds(trx, giveBack)).map((d) => d.poll_interval_s * 1000), 0);
      await releaseLeases(trx, req.collectorId, giveBack, now + Math.max(req.ttlMs, longest));
      held = held.slice(0, share);
    } else if (held.length < share) {
      held = [...held, ...(await claimFreeDevices(trx, ctx.dialect, req.collectorId, group, share - held.length, now, expires))];
    }
    return { held, share, alive };
  });
  if (req.since === undefined || !(req.since <= now)) {
    const rows = await devicesByIds(ctx.db, held);
    const targets = await Promise.all(rows.map((r) => toDeviceTarget(ctx.secrets, r)));
    return { group, expiresMs: expires, share, collectorsAlive: alive, mode: 'full', version: now, targets };
  }
  // Only what changed: devices leased or edited since the collector's last answer (credentials unsealed for those
  // alone), and the ids of everything held so the collector drops what it lost.
  const after = req.since - SINCE_MARGIN_MS;
  const details = await heldLeaseDetails(ctx.db, req.collectorId, now);
  const changed = details.filter((d) => d.acquiredMs >= after || !(Date.parse(d.updatedAt) < after)).map((d) => d.id);
  const rows = await devicesByIds(ctx.db, changed);
  const targets = await Promise.all(rows.map((r) => toDeviceTarget(ctx.secrets, r)));
  return { group, expiresMs: expires, share, collectorsAlive: alive, mode: 'changes', version: now, ids: details.map((d) => d.id), targets };
}

export interface CollectorOut {
  name: string;
  group: string | null;
  lastSeen: string;
  lastSeenMs: number;
  /** Leases held now (0 for a collector of fixed lists or one whose leases expired). */
  devicesHeld: number;
  /** alive: renewed its leases within the last minute; stale: not since; fixed: never asked for leases. */
  state: 'alive' | 'stale' | 'fixed';
}

export async function listCollectors(ctx: ServiceCtx): Promise<{ items: CollectorOut[] }> {
  const now = ctx.clock.nowMs();
  const rows = await listCollectorsWithLeases(ctx.db, now);
  return {
    items: rows.map((r) => ({
      name: r.id,
      group: r.group_name,
      lastSeen: new Date(r.last_seen_ms).toISOString(),
      lastSeenMs: r.last_seen_ms,
      devicesHeld: r.held,
      state: r.leases_renewed_ms === null ? 'fixed' : now - r.leases_renewed_ms <= 60_000 ? 'alive' : 'stale',
    })),
  };
}
