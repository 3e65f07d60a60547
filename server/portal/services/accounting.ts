/**
 * Usage accounting from the routers' /ip/hotspot/active tables. `diffHotspotActive` is pure: given the sessions
 * still open and a new snapshot, it says which sessions started, which continue (new counters) and which ended.
 * `recordHotspotActive` applies it to the database.
 */
import type { HotspotActive } from '../../../core/observations.ts';
import { newId } from '../../crypto/random.ts';
import { findHotspotPlace, findPortalHotspotIdByDevice } from '../queries/hotspots.ts';
import { dailyUsage, dailyWardUsers, findCitizenOfHotspotUser, insertUsageSessions, listAllOpenUsageSessions, listOpenUsageSessions, updateUsageSession, type UsageSessionRow } from '../queries/usage.ts';
import { hasRadiusSessionsAt, radiusSessionIdsAmong, radiusUserHashesAt } from '../../db/radius.ts';
import { inTransaction } from '../../db/tx.ts';
import type { Executor, ServiceCtx } from '../../deps.ts';
import { nasUserHash } from './nas-access.ts';
import { cityDay } from './grant-access.ts';

export interface SessionStart {
  user: string;
  address: string;
  startedAtMs: number;
  uptimeS: number;
  bytesIn: number;
  bytesOut: number;
}

/** A session as the diff sees it: a start with the id it was stored under. */
export interface OpenSession extends SessionStart {
  id: string;
}

export interface ActiveDiff {
  started: SessionStart[];
  updated: Array<{ id: string; uptimeS: number; bytesIn: number; bytesOut: number }>;
  /** Ended sessions keep the last counters seen; endedAtMs is the start plus the last uptime seen. */
  ended: Array<{ id: string; endedAtMs: number }>;
}

function keyOf(user: string, address: string): string {
  return `${user}\u0000${address}`;
}

/**
 * The same user at the same address is the same session while its uptime does not go backwards; a lower uptime
 * means the router logged it out and in again (or rebooted): the old session ends, a new one starts.
 */
export function diffHotspotActive(open: readonly OpenSession[], snapshot: readonly HotspotActive[], atMs: number): ActiveDiff {
  const byKey = new Map(open.map((s) => [keyOf(s.user, s.address), s]));
  const out: ActiveDiff = { started: [], updated: [], ended: [] };
  const seen = new Set<string>();
  for (const a of snapshot) {
    const key = keyOf(a.user, a.address);
    if (seen.has(key)) continue;
    seen.add(key);
    const cur = byKey.get(key);
    const bytesIn = Number(a.bytesIn);
    const bytesOut = Number(a.bytesOut);
    if (cur !== undefined && a.uptimeS >= cur.uptimeS) {
      out.updated.push({ id: cur.id, uptimeS: a.uptimeS, bytesIn: Math.max(bytesIn, cur.bytesIn), bytesOut: Math.max(bytesOut, cur.bytesOut) });
      byKey.delete(key);
      continue;
    }
    out.started.push({ user: a.user, address: a.address, startedAtMs: atMs - a.uptimeS * 1000, uptimeS: a.uptimeS, bytesIn, bytesOut });
  }
  for (const s of byKey.values()) out.ended.push({ id: s.id, endedAtMs: s.startedAtMs + s.uptimeS * 1000 });
  return out;
}

/** Applies one snapshot of a hotspot router; returns the counts. */
export async function recordHotspotActive(ctx: ServiceCtx, deviceId: string, snapshot: readonly HotspotActive[], atMs: number): Promise<{ started: number; updated: number; ended: number } | null> {
  const hotspotId = await findPortalHotspotIdByDevice(ctx.db, deviceId);
  if (hotspotId === undefined) return null;
  const hotspot = { id: hotspotId };
  const place = await findHotspotPlace(ctx.db, deviceId);
  const owned = await radiusOwned(ctx, hotspotId, snapshot, atMs);
  return inTransaction(ctx, async (trx) => {
    const open = owned === null ? await listOpenUsageSessions(trx, hotspot.id) : await withoutRadiusRows(trx, await listOpenUsageSessions(trx, hotspot.id));
    if (owned !== null) snapshot = snapshot.filter((_, i) => !owned[i]);
    const diff = diffHotspotActive(
      open.map((r) => ({ id: r.id, user: r.hotspot_user, address: r.address, startedAtMs: Number(r.started_at), uptimeS: r.uptime_s, bytesIn: Number(r.bytes_in), bytesOut: Number(r.bytes_out) })),
      snapshot,
      atMs,
    );
    const rows: UsageSessionRow[] = [];
    for (const s of diff.started) {
      rows.push({
        id: newId(),
        hotspot_id: hotspot.id,
        ward_code: place?.wardCode ?? null,
        citizen_id: (await findCitizenOfHotspotUser(trx, hotspot.id, s.user)) ?? null,
        hotspot_user: s.user.slice(0, 64),
        address: s.address.slice(0, 45),
        day: cityDay(s.startedAtMs),
        started_at: s.startedAtMs,
        ended_at: null,
        uptime_s: s.uptimeS,
        bytes_in: s.bytesIn,
        bytes_out: s.bytesOut,
      });
    }
    await insertUsageSessions(trx, rows);
    for (const u of diff.updated) await updateUsageSession(trx, u.id, { uptime_s: u.uptimeS, bytes_in: u.bytesIn, bytes_out: u.bytesOut, ended_at: null });
    for (const e of diff.ended) {
      const cur = open.find((o) => o.id === e.id) as UsageSessionRow;
      // Ended: the device's address has no further use here (issue 10, UU PDP).
      await updateUsageSession(trx, e.id, { uptime_s: cur.uptime_s, bytes_in: Number(cur.bytes_in), bytes_out: Number(cur.bytes_out), ended_at: e.endedAtMs, address: '' });
    }
    return { started: diff.started.length, updated: diff.updated.length, ended: diff.ended.length };
  });
}

/**
 * Issue 16: at a hotspot that also sends RADIUS accounting, logins RADIUS accounts for are RADIUS's (by the keyed
 * hash of the user name, open or ended in the last ten minutes), and rows RADIUS owns are not the poll's to end.
 * Null when the hotspot has had no RADIUS session for a day (one look-up, nothing filtered).
 */
async function radiusOwned(ctx: ServiceCtx, hotspotId: string, snapshot: readonly HotspotActive[], atMs: number): Promise<boolean[] | null> {
  if (!(await hasRadiusSessionsAt(ctx.db, hotspotId, atMs - 86_400_000))) return null;
  const hashes = await radiusUserHashesAt(ctx.db, hotspotId, atMs - 10 * 60_000);
  const out: boolean[] = [];
  for (const a of snapshot) out.push(hashes.has(await nasUserHash(ctx, a.user)));
  return out;
}

async function withoutRadiusRows(db: Executor, rows: UsageSessionRow[]): Promise<UsageSessionRow[]> {
  const radius = await radiusSessionIdsAmong(db, rows.map((r) => r.id));
  return rows.filter((r) => !radius.has(r.id));
}

/** The hotspot sessions open now, every hotspot, a page of them (the console's "online now"; no identities). */
export function openSessionsNow(ctx: ServiceCtx, page: { limit: number; offset: number }): ReturnType<typeof listAllOpenUsageSessions> {
  return listAllOpenUsageSessions(ctx.db, page);
}

/** Use per day per hotspot and unique users per day per ward, `from`..`to` (city days, YYYY-MM-DD). */
export async function usagePerDay(ctx: ServiceCtx, from: string, to: string): Promise<{ byHotspot: Awaited<ReturnType<typeof dailyUsage>>; byWard: Awaited<ReturnType<typeof dailyWardUsers>> }> {
  return { byHotspot: await dailyUsage(ctx.db, from, to), byWard: await dailyWardUsers(ctx.db, from, to) };
}
