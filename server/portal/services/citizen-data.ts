/**
 * A citizen's rights under UU PDP (Law 27/2022): see and delete their data after proving the number, an export for
 * the data protection officer, and a retention purge.
 */
import { isoAt } from '../../../core/time.ts';
import { toCsv } from '../../../core/csv.ts';
import { purgeExpiredFlows } from '../queries/flows.ts';
import { deleteCitizen, findCitizen, listCitizens, listConsents, listStaleCitizenIds, purgeExpiredIdentityRows } from '../queries/identity.ts';
import { purgeFinishedJobs } from '../queries/jobs.ts';
import { purgeSmsMessages } from '../queries/sms.ts';
import { cityDay } from './grant-access.ts';
import { purgeDayCounters, purgeRateLimitsBefore, purgeStaleRateLimits } from '../../db/rate-limits.ts';
import { countGrantsOfCitizen, dropEndedClientAddresses, forgetCitizenConnections, listUsageOfCitizen, purgeConnectionData } from '../queries/usage.ts';
import { purgeRadiusData } from '../../db/radius.ts';
import { inTransaction } from '../../db/tx.ts';
import { disconnectCitizen } from '../../radius/coa-queue.ts';
import type { ServiceCtx } from '../../deps.ts';
import { maskPhone } from '../pure/phone.ts';
import { recordAudit } from '../../services/audit/record-audit.ts';
import { getPortalSettings } from './settings.ts';
import { PHONE_PURPOSE } from './sms-gateway.ts';

export interface CitizenDataView {
  phone: string;
  createdAt: string;
  consents: Array<{ termsVersion: string; acceptedAt: string }>;
  grants: number;
  sessions: Array<{ day: string; startedAt: string; endedAt: string | null; uptimeS: number; bytes: number }>;
}

export async function citizenDataView(ctx: ServiceCtx, citizenId: string): Promise<CitizenDataView | null> {
  const c = await findCitizen(ctx.db, citizenId);
  if (c === undefined) return null;
  const phone = c.phone_sealed === null ? '' : await ctx.secrets.open(c.phone_sealed, PHONE_PURPOSE);
  const consents = await listConsents(ctx.db, [citizenId]);
  const usage = await listUsageOfCitizen(ctx.db, citizenId, 50);
  return {
    phone: maskPhone(phone),
    createdAt: c.created_at,
    consents: consents.map((x) => ({ termsVersion: x.terms_version, acceptedAt: x.accepted_at })),
    grants: await countGrantsOfCitizen(ctx.db, citizenId),
    sessions: usage.map((u) => ({
      day: u.day,
      startedAt: isoAt(Number(u.started_at)),
      endedAt: u.ended_at === null ? null : isoAt(Number(u.ended_at)),
      uptimeS: u.uptime_s,
      bytes: Number(u.bytes_in) + Number(u.bytes_out),
    })),
  };
}

/** Deletes the identity and cuts it out of connection data (usage stays for statistics, without the id). */
export async function deleteCitizenData(ctx: ServiceCtx, citizenId: string): Promise<void> {
  await inTransaction(ctx, async (trx) => {
    // Issue 16: open RADIUS sessions are disconnected, and the User-Names kept for their sessions go now.
    await disconnectCitizen(ctx, trx, citizenId, 'citizen_deleted', { forget: true });
    await forgetCitizenConnections(trx, citizenId);
    await deleteCitizen(trx, citizenId);
    await recordAudit(ctx, trx, { action: 'delete_by_citizen', entity: 'portal_citizen', entityId: null });
  });
}

export interface PurgeResult {
  citizens: number;
  connectionRows: number;
  otherRows: number;
}

/** Retention: identities not seen for identityDays, connection data older than logDays, expired flows and codes. */
export async function purgePortalData(ctx: ServiceCtx, options: { identityDays?: number; logDays?: number } = {}): Promise<PurgeResult> {
  const s = await getPortalSettings(ctx);
  const now = ctx.clock.nowMs();
  const identityDays = options.identityDays ?? s.identityRetentionDays;
  const logDays = options.logDays ?? s.logRetentionDays;
  let citizens = 0;
  for (;;) {
    const ids = await listStaleCitizenIds(ctx.db, now - identityDays * 86_400_000, 200);
    if (ids.length === 0) break;
    for (const id of ids) {
      await inTransaction(ctx, async (trx) => {
        await forgetCitizenConnections(trx, id);
        await deleteCitizen(trx, id);
      });
      citizens++;
    }
  }
  const connectionRows = await purgeConnectionData(ctx.db, now - logDays * 86_400_000);
  let otherRows = await purgeExpiredFlows(ctx.db, now);
  otherRows += await dropEndedClientAddresses(ctx.db, now);
  otherRows += await purgeExpiredIdentityRows(ctx.db, now, now - 7 * 86_400_000);
  otherRows += await purgeFinishedJobs(ctx.db, now - 86_400_000);
  // Issue 14: delivery status of gateway messages after 30 days (their number and text went when they were final).
  otherRows += await purgeSmsMessages(ctx.db, now - 30 * 86_400_000);
  // Issue 14: counters of ended flows' speed tests and of past days' SMS cost (kept 2 days for the console).
  for (const prefix of ['portal-speed-flow:', 'portal-speed-result:', 'portal-speed-ip:']) otherRows += await purgeRateLimitsBefore(ctx.db, prefix, now - 86_400_000);
  for (const prefix of ['portal-sms-day:', 'portal-sms-cap-told:']) otherRows += await purgeDayCounters(ctx.db, prefix, cityDay(now - 2 * 86_400_000));
  // Issue 10: every other counter of an ended window (rows written before keys were hashed still named addresses);
  // three days, past the SMS cost counters the console shows.
  otherRows += await purgeStaleRateLimits(ctx.db, now - 3 * 86_400_000);
  // Issue 16: RADIUS rows of purged sessions, Disconnect/CoA requests after 30 days, figures after 35.
  otherRows += await purgeRadiusData(ctx.db, { sessionsBeforeMs: now - logDays * 86_400_000, requestsBeforeMs: now - 30 * 86_400_000, statsBeforeMs: now - 35 * 86_400_000 });
  await recordAudit(ctx, ctx.db, { action: 'purge', entity: 'portal', entityId: null, detail: { citizens, connectionRows, otherRows, identityDays, logDays } });
  return { citizens, connectionRows, otherRows };
}

export interface DpoExportRow {
  citizenId: string;
  kind: string;
  phone: string;
  createdAt: string;
  lastSeenAt: string;
  consents: string;
}

/** Every identity with its consents, phone numbers opened: for the data protection officer only (admin, audited). */
export async function dpoExport(ctx: ServiceCtx, format: 'json' | 'csv'): Promise<{ contentType: string; body: string }> {
  const rows: DpoExportRow[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = await listCitizens(ctx.db, { limit: 500, offset });
    if (page.length === 0) break;
    const consents = await listConsents(ctx.db, page.map((c) => c.id));
    for (const c of page) {
      rows.push({
        citizenId: c.id,
        kind: c.kind,
        phone: c.phone_sealed === null ? '' : await ctx.secrets.open(c.phone_sealed, PHONE_PURPOSE),
        createdAt: c.created_at,
        lastSeenAt: isoAt(Number(c.last_seen_at)),
        consents: consents
          .filter((x) => x.citizen_id === c.id)
          .map((x) => `${x.terms_version}@${x.accepted_at}`)
          .join(' '),
      });
    }
    if (page.length < 500) break;
  }
  await recordAudit(ctx, ctx.db, { action: 'export', entity: 'portal_citizens', entityId: null, detail: { rows: rows.length, format } });
  if (format === 'json') return { contentType: 'application/json', body: JSON.stringify({ exportedAt: isoAt(ctx.clock.nowMs()), citizens: rows }) };
  const columns = ['citizenId', 'kind', 'phone', 'createdAt', 'lastSeenAt', 'consents'];
  return { contentType: 'text/csv; charset=utf-8', body: toCsv(rows as unknown as Record<string, string>[], { columns }) };
}
