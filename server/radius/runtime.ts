/**
 * A running RADIUS server: the UDP sockets, the NAS client table (reloaded when it changes), the rules, the
 * Disconnect/CoA sender, the figures, and its periodic jobs. Started by `npm start` when JANGKAU_RADIUS=true
 * (server/start-node.ts) or alone by `npm run radius` (server/radius/main.ts) next to a standalone collector.
 */
import { hostname } from 'node:os';
import type { PortalHotspotRow } from '../portal/queries/hotspots.ts';
import { findPortalHotspot } from '../portal/queries/hotspots.ts';
import { claimCoaRequests, finishCoaRequest, markClientsSeen, radiusClientsVersion } from '../db/radius.ts';
import type { ServiceCtx } from '../deps.ts';
import { allowanceOf } from '../portal/services/nas-access.ts';
import { answerAccessRequest, GuessLimiter } from './access.ts';
import { recordAccounting } from './accounting.ts';
import { queueCoa, TARGET_PURPOSE, type CoaTarget } from './coa-queue.ts';
import { createCoaSender } from './coa-sender.ts';
import { enforceRadiusLimits } from './limits.ts';
import { RadiusMetrics } from './metrics.ts';
import { loadNasClients, type NasClient } from './nas-client.ts';
import { STANDARD } from './protocol/dictionary.ts';
import { attr, CODE, type Attribute } from './protocol/packet.ts';
import { coaAttributes } from './protocol/vendors.ts';
import { startUdpServer } from './udp-server.ts';

export interface RadiusOptions {
  host: string;
  authPort: number;
  acctPort: number;
  /** Names this process in the figures; default host:pid. */
  node?: string;
  coaTimeoutMs?: number;
  coaTries?: number;
  /** Run the periodic jobs on timers (default true; tests call them by hand). */
  timers?: boolean;
}

export interface RadiusRuntime {
  authPort: number;
  acctPort: number;
  node: string;
  metrics: RadiusMetrics;
  reloadClients(): Promise<void>;
  /** Sends queued Disconnect/CoA requests now; returns how many were answered or given up. */
  drainCoa(): Promise<number>;
  enforceLimits(): Promise<{ checked: number; queued: number; ended: number }>;
  flushStats(): Promise<void>;
  stop(): Promise<void>;
}

/** The periodic work of a RADIUS server, as one table (name, period, what it runs): see RADIUS_JOB_PERIODS_MS. */
export const RADIUS_JOB_PERIODS_MS = {
  'radius-clients-reload': 2000,
  'radius-coa-send': 1000,
  'radius-stats-flush': 10_000,
  'radius-limits': 60_000,
} as const;

export async function startRadius(ctx: ServiceCtx, o: RadiusOptions): Promise<RadiusRuntime> {
  const node = o.node ?? `${hostname()}:${process.pid}`;
  const metrics = new RadiusMetrics(() => ctx.clock.nowMs());
  const guesses = new GuessLimiter();
  const sender = createCoaSender({ timeoutMs: o.coaTimeoutMs ?? 2000, tries: o.coaTries ?? 3 });
  let clients = new Map<string, NasClient>();
  let clientsById = new Map<string, NasClient>();
  let version = '';
  const seen = new Set<string>();

  const reloadClients = async (): Promise<void> => {
    const v = await radiusClientsVersion(ctx.db);
    if (v === version) return;
    const next = await loadNasClients(ctx.db, ctx.secrets);
    clients = next;
    clientsById = new Map([...next.values()].map((c) => [c.id, c]));
    version = v;
  };

  const hotspots = new Map<string, { row: PortalHotspotRow | undefined; atMs: number }>();
  const hotspotOf = async (id: string): Promise<PortalHotspotRow | undefined> => {
    const now = Date.now();
    const hit = hotspots.get(id);
    if (hit !== undefined && now - hit.atMs < 5000) return hit.row;
    const row = await findPortalHotspot(ctx.db, id);
    hotspots.set(id, { row, atMs: now });
    return row;
  };

  /** After an Interim-Update: a citizen over their allowance is disconnected without waiting for the minute check. */
  const checkAfterAccounting = async (sessionId: string, citizenId: string, hotspotId: string): Promise<void> => {
    const hotspot = await hotspotOf(hotspotId);
    if (hotspot === undefined) return;
    const left = await allowanceOf(ctx, hotspot, citizenId);
    if (left.ok) return;
    const reason = left.refusal === 'quota_data' ? 'quota_data' : left.refusal === 'revoked' ? 'voucher_revoked' : left.refusal === 'expired' ? 'expired' : 'quota_time';
    if ((await queueCoa(ctx, ctx.db, sessionId, 'disconnect', reason)) !== null) await drainCoa();
  };

  const udp = await startUdpServer({
    host: o.host,
    authPort: o.authPort,
    acctPort: o.acctPort,
    metrics,
    log: ctx.log,
    nowMs: () => ctx.clock.nowMs(),
    clientOf: (address) => {
      const c = clients.get(address);
      if (c !== undefined) seen.add(c.id);
      return c;
    },
    access: async (client, p) => {
      const hotspot = await hotspotOf(client.hotspotId);
      if (hotspot === undefined) return { code: CODE.AccessReject, attributes: [attr.string(STANDARD.ReplyMessage.type, 'Hotspot tidak dikenal / Unknown hotspot')], outcome: 'reject' };
      const a = await answerAccessRequest(ctx, client, p, { hotspot, guesses });
      return { code: a.accept ? CODE.AccessAccept : CODE.AccessReject, attributes: a.attributes, outcome: a.accept ? 'accept' : 'reject' };
    },
    accounting: async (client, p) => {
      const hotspot = await hotspotOf(client.hotspotId);
      if (hotspot === undefined) return true;
      const out = await recordAccounting(ctx, client, hotspot, p);
      if ((out.kind === 'interim' || out.kind === 'start') && out.sessionId !== null && out.citizenId !== null) {
        const { sessionId, citizenId } = out;
        checkAfterAccounting(sessionId, citizenId, hotspot.id).catch((err: unknown) => ctx.log.warn('radius limit check failed', { error: String(err) }));
      }
      return true;
    },
  });

  let draining: Promise<number> | null = null;
  const drainOnce = async (): Promise<number> => {
    const rows = await claimCoaRequests(ctx.db, node, ctx.clock.nowMs(), 50, 60_000);
    await Promise.all(
      rows.map(async (row) => {
        const client = clientsById.get(row.client_id);
        if (client === undefined) {
          await finishCoaRequest(ctx.db, row.id, { status: 'error', error: 'the NAS client is gone or disabled', answered_at: ctx.clock.nowMs(), target_sealed: '' });
          return;
        }
        const target = JSON.parse(await ctx.secrets.open(row.target_sealed, TARGET_PURPOSE)) as CoaTarget;
        const attrs: Attribute[] = [attr.string(STANDARD.UserName.type, target.userName), attr.string(STANDARD.AcctSessionId.type, target.acctSessionId)];
        if (target.framedIp !== null && /^\d+\.\d+\.\d+\.\d+$/.test(target.framedIp)) attrs.push(attr.ipv4(STANDARD.FramedIpAddress.type, target.framedIp));
        if (row.kind === 'coa' && target.change !== undefined) attrs.push(...coaAttributes(client.vendor, target.change));
        const answer = await sender.send({ address: client.address, port: client.coaPort, secret: client.secret }, row.kind === 'coa' ? 'coa' : 'disconnect', attrs);
        const status = answer.code === null ? 'timeout' : answer.code === CODE.DisconnectAck || answer.code === CODE.CoaAck ? 'ack' : 'nak';
        await finishCoaRequest(ctx.db, row.id, {
          status,
          attempts: row.attempts + answer.attempts,
          answered_at: ctx.clock.nowMs(),
          answer_code: answer.code,
          error_cause: answer.errorCause,
          error: answer.error,
          // What identified the session at the NAS is not kept once sent (it may be a voucher code or a MAC).
          target_sealed: '',
        });
        ctx.log.info('radius disconnect/coa answered', { client: client.name, kind: row.kind, reason: row.reason, status, errorCause: answer.errorCause });
      }),
    );
    return rows.length;
  };
  const drainCoa = (): Promise<number> => {
    // One drain at a time; a caller arriving meanwhile waits for it and then drains again.
    const run = (draining ?? Promise.resolve(0)).then(() => drainOnce());
    draining = run.finally(() => {
      if (draining === run) draining = null;
    });
    return run;
  };

  const markSeen = async (): Promise<void> => {
    const ids = [...seen];
    seen.clear();
    await markClientsSeen(ctx.db, ids, ctx.clock.nowMs());
  };

  const flushStats = async (): Promise<void> => {
    await metrics.flush(ctx.db, node);
    await markSeen();
  };
  const enforceLimits = () => enforceRadiusLimits(ctx, hotspotOf);
  await reloadClients();
  const jobs: Array<{ name: keyof typeof RADIUS_JOB_PERIODS_MS; run: () => Promise<unknown> }> = [
    { name: 'radius-clients-reload', run: reloadClients },
    { name: 'radius-coa-send', run: drainCoa },
    { name: 'radius-stats-flush', run: flushStats },
    { name: 'radius-limits', run: enforceLimits },
  ];
  const timers: NodeJS.Timeout[] = [];
  if (o.timers !== false) {
    for (const j of jobs) {
      let running = false;
      const t = setInterval(() => {
        if (running) return;
        running = true;
        j.run()
          .catch((err: unknown) => ctx.log.error(`${j.name} failed`, { error: String(err) }))
          .finally(() => {
            running = false;
          });
      }, RADIUS_JOB_PERIODS_MS[j.name]);
      t.unref();
      timers.push(t);
    }
  }
  ctx.log.info('RADIUS server listening', { host: o.host, authPort: udp.authPort, acctPort: udp.acctPort, clients: clients.size });

  return {
    authPort: udp.authPort,
    acctPort: udp.acctPort,
    node,
    metrics,
    reloadClients,
    drainCoa,
    enforceLimits,
    flushStats,
    stop: async () => {
      for (const t of timers) clearInterval(t);
      await udp.close();
      await draining?.catch(() => undefined);
      await sender.close();
      await flushStats().catch(() => undefined);
    },
  };
}
