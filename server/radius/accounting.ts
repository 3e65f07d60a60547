/**
 * Accounting-Request (RFC 2866) -> the portal's usage tables, the same rows RouterOS polls feed.
 *
 * - A session is (NAS client, Acct-Session-Id, User-Name): Start, Interim-Update and Stop in any order, any number
 *   of times, land on one row. Counters are absolute and only move forward, so a repeated or late packet changes
 *   nothing: idempotent without a ledger. Gigawords extend the 32-bit octet counters.
 * - A row a RouterOS poll opened for the same login is adopted, and polls leave RADIUS-accounted users alone
 *   (portal/services/accounting.ts), so a session seen both ways counts once.
 * - Class carries the grant (set in the Access-Accept): the row gets the grant's citizen and `jk-...` name; the NAS's
 *   User-Name (maybe a voucher code or a MAC) is kept only as a keyed hash, and sealed while a Disconnect may need it.
 * - Accounting-On/Off (the NAS restarted) ends that NAS's open sessions.
 * The answer is sent only after the write committed (RFC 2866 2): a failure means no answer and the NAS resends.
 */
import type { PortalHotspotRow } from '../portal/queries/hotspots.ts';
import { findHotspotPlace } from '../portal/queries/hotspots.ts';
import { deleteUsageSession, findUsageSession } from '../portal/queries/nas.ts';
import { findGrant } from '../portal/queries/usage.ts';
import { findRadiusSession, insertRadiusSession, listOpenRadiusSessionsOfClient, retireRadiusSessionKey, updateRadiusSession, type RadiusSessionRow } from '../db/radius.ts';
import { inTransaction } from '../db/tx.ts';
import type { ServiceCtx } from '../deps.ts';
import { citizenOfNasUser, nasUserHash, openNasUsage, updateNasUsage } from '../portal/services/nas-access.ts';
import { CLASS_PREFIX } from './access.ts';
import { KeyedLock } from './keyed-lock.ts';
import { USER_SEAL_PURPOSE } from './coa-queue.ts';
import type { NasClient } from './nas-client.ts';
import { ACCT_STATUS, STANDARD } from './protocol/dictionary.ts';
import { integerAttribute, ipv4Attribute, stringAttribute, type Packet } from './protocol/packet.ts';
import { sessionBytes } from './protocol/vendors.ts';

/** A Start for a key whose session ended longer ago than this is a new session (the NAS reused its counter). */
const KEY_REUSE_AFTER_MS = 10 * 60_000;

export interface AcctOutcome {
  kind: 'start' | 'interim' | 'stop' | 'nas_restart' | 'ignored';
  sessionId: string | null;
  citizenId: string | null;
  grantId: string | null;
}

/** One key at a time inside this process: a Start and an Interim for a new session racing each other make one row. */
const sessionLock = new KeyedLock();

export async function recordAccounting(ctx: ServiceCtx, client: NasClient, hotspot: PortalHotspotRow, p: Packet): Promise<AcctOutcome> {
  const status = integerAttribute(p, STANDARD.AcctStatusType.type);
  const now = ctx.clock.nowMs();
  if (status === ACCT_STATUS.AccountingOn || status === ACCT_STATUS.AccountingOff) {
    await endSessionsOfClient(ctx, client.id, now);
    return { kind: 'nas_restart', sessionId: null, citizenId: null, grantId: null };
  }
  const acctSessionId = stringAttribute(p, STANDARD.AcctSessionId.type);
  if ((status !== ACCT_STATUS.Start && status !== ACCT_STATUS.Stop && status !== ACCT_STATUS.InterimUpdate) || acctSessionId === undefined || acctSessionId === '') {
    return { kind: 'ignored', sessionId: null, citizenId: null, grantId: null };
  }
  const userName = stringAttribute(p, STANDARD.UserName.type) ?? '';
  const userHash = await nasUserHash(ctx, userName);
  const sessionTimeS = integerAttribute(p, STANDARD.AcctSessionTime.type) ?? 0;
  const delayS = integerAttribute(p, STANDARD.AcctDelayTime.type) ?? 0;
  const eventS = integerAttribute(p, STANDARD.EventTimestamp.type);
  // The NAS's clock is trusted only when close to ours; otherwise the packet's age says when it happened.
  const atMs = eventS !== undefined && Math.abs(eventS * 1000 - now) < 3_600_000 ? eventS * 1000 : now - delayS * 1000;
  const bytes = sessionBytes(client.vendor, {
    inOctets: integerAttribute(p, STANDARD.AcctInputOctets.type) ?? 0,
    inGigawords: integerAttribute(p, STANDARD.AcctInputGigawords.type) ?? 0,
    outOctets: integerAttribute(p, STANDARD.AcctOutputOctets.type) ?? 0,
    outGigawords: integerAttribute(p, STANDARD.AcctOutputGigawords.type) ?? 0,
  });
  const framedIp = ipv4Attribute(p, STANDARD.FramedIpAddress.type) ?? null;
  const cls = stringAttribute(p, STANDARD.Class.type);
  const classGrant = cls !== undefined && cls.startsWith(CLASS_PREFIX) ? cls.slice(CLASS_PREFIX.length, CLASS_PREFIX.length + 64) : null;
  const kind = status === ACCT_STATUS.Start ? 'start' : status === ACCT_STATUS.Stop ? 'stop' : 'interim';
  const terminateCause = integerAttribute(p, STANDARD.AcctTerminateCause.type) ?? null;

  return sessionLock.run(`${client.id}|${acctSessionId}|${userHash}`, () =>
    inTransaction(ctx, async (trx) => {
      let rs: RadiusSessionRow | undefined = await findRadiusSession(trx, client.id, acctSessionId, userHash);
      if (rs !== undefined && rs.ended_at !== null && kind === 'start' && atMs - Number(rs.ended_at) > KEY_REUSE_AFTER_MS) {
        await retireRadiusSessionKey(trx, rs.id, acctSessionId);
        rs = undefined;
      }
      let grantId: string | null = rs?.grant_id ?? null;
      let citizenId: string | null = null;
      let relabel: { user: string; citizenId: string | null } | undefined;
      const startedAtMs = atMs - sessionTimeS * 1000;
      if (rs === undefined) {
        const grant = classGrant === null ? undefined : await findGrant(trx, classGrant);
        const ownGrant = grant !== undefined && grant.hotspot_id === hotspot.id ? grant : undefined;
        grantId = ownGrant?.id ?? null;
        citizenId = ownGrant?.citizen_id ?? (/^jk-/.test(userName) ? ((await citizenOfNasUser(ctx, hotspot.id, userName)) ?? null) : null);
        const label = ownGrant?.hotspot_user ?? (/^jk-[a-z2-7]{20}$/.test(userName) ? userName : `nas-${userHash.slice(0, 12)}`);
        const place = await findHotspotPlace(trx, hotspot.device_id);
        const { id: usageId, adopted } = await openNasUsage(trx, { hotspotId: hotspot.id, wardCode: place?.wardCode ?? null, citizenId, label, nasUser: userName, address: framedIp ?? '', startedAtMs });
        const row: RadiusSessionRow = {
          id: usageId,
          client_id: client.id,
          hotspot_id: hotspot.id,
          acct_session_id: acctSessionId,
          user_hash: userHash,
          user_sealed: kind === 'stop' ? null : await ctx.secrets.seal(userName, USER_SEAL_PURPOSE),
          grant_id: grantId,
          framed_ip: framedIp,
          started_at: startedAtMs,
          last_update_ms: now,
          ended_at: null,
          terminate_cause: null,
        };
        if (!(await insertRadiusSession(trx, row))) {
          // Another process made the row first: ours (if new) goes, theirs is updated below.
          if (!adopted) await deleteUsageSession(trx, usageId);
          rs = await findRadiusSession(trx, client.id, acctSessionId, userHash);
          if (rs === undefined) throw new Error('accounting session vanished while recording');
        } else {
          rs = row;
          if (adopted) relabel = { user: label, citizenId };
        }
      }
      const usage = await findUsageSession(trx, rs.id);
      if (usage === undefined) return { kind, sessionId: rs.id, citizenId: null, grantId };
      citizenId = usage.citizen_id ?? relabel?.citizenId ?? citizenId;
      const endedAtMs = kind === 'stop' ? Number(rs.started_at) + sessionTimeS * 1000 : null;
      await updateNasUsage(trx, rs.id, usage, { uptimeS: sessionTimeS, bytesIn: bytes.up, bytesOut: bytes.down, endedAtMs }, relabel);
      await updateRadiusSession(trx, rs.id, {
        last_update_ms: now,
        ...(framedIp !== null ? { framed_ip: framedIp } : {}),
        ...(kind === 'stop' && rs.ended_at === null ? { ended_at: endedAtMs, terminate_cause: terminateCause, user_sealed: null } : {}),
      });
      return { kind, sessionId: rs.id, citizenId, grantId };
    }),
  );
}

async function endSessionsOfClient(ctx: ServiceCtx, clientId: string, nowMs: number): Promise<void> {
  await inTransaction(ctx, async (trx) => {
    for (const s of await listOpenRadiusSessionsOfClient(trx, clientId)) {
      const usage = await findUsageSession(trx, s.id);
      if (usage !== undefined) await updateNasUsage(trx, s.id, usage, { uptimeS: usage.uptime_s, bytesIn: Number(usage.bytes_in), bytesOut: Number(usage.bytes_out), endedAtMs: Number(usage.started_at) + usage.uptime_s * 1000 });
      await updateRadiusSession(trx, s.id, { ended_at: nowMs, terminate_cause: 11 /* NAS-Reboot */, user_sealed: null, last_update_ms: nowMs });
    }
  });
}
