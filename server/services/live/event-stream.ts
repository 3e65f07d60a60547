/**
 * The command centre's live stream (issue 15): Server-Sent Events of device state changes and incidents (opened,
 * acknowledged, closed). Every stream reads the database on a short period and sends what changed since its last
 * look, so it works the same whichever process (Node, a Worker isolate, a standalone collector) wrote the change and
 * needs no shared bus. A new or reconnecting client first gets a `snapshot` (states by count, open incidents),
 * then changes; a comment line every 15 s keeps proxies from closing an idle stream. Each stream ends after
 * `maxMs` (the browser's EventSource reconnects by itself), and stops its timer as soon as the client goes away.
 */
import type { IncidentsTable } from '../../db/types.ts';
import { liveDeviceStates, liveIncidents } from '../../db/satu-data.ts';
import type { ServiceCtx } from '../../deps.ts';

export interface LiveEvent {
  event: 'snapshot' | 'state' | 'incident';
  data: unknown;
}

export interface StreamOptions {
  periodMs?: number;
  heartbeatMs?: number;
  maxMs?: number;
}

type DeviceRow = Awaited<ReturnType<typeof liveDeviceStates>>[number];

let open = 0;
/** Streams open in this process now (the lifecycle test watches it fall back to 0). */
export function openLiveStreams(): number {
  return open;
}

function incidentEvent(i: IncidentsTable, devices: Map<string, DeviceRow>, kind: 'opened' | 'acknowledged' | 'closed'): LiveEvent {
  const d = devices.get(i.device_id);
  return {
    event: 'incident',
    data: {
      kind, id: i.id, deviceId: i.device_id, deviceName: d?.name ?? null, siteName: d?.site_name ?? null, wardCode: d?.ward_code ?? null,
      startedAt: new Date(Number(i.started_ms)).toISOString(), endedAt: i.ended_ms === null ? null : new Date(Number(i.ended_ms)).toISOString(),
      acknowledged: i.ack_at_ms != null, cause: i.cause_kind,
    },
  };
}

/**
 * Runs one stream: calls `send` for each event until `signal` aborts or `maxMs` passes. Resolves when it stops.
 * A fault reading the database ends the stream (the client reconnects and gets a fresh snapshot).
 */
export async function runLiveStream(ctx: ServiceCtx, send: (e: LiveEvent | { comment: string }) => Promise<void>, signal: AbortSignal, options: StreamOptions = {}): Promise<void> {
  const periodMs = options.periodMs ?? 2000;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const maxMs = options.maxMs ?? 10 * 60_000;
  const started = Date.now();
  open++;
  try {
    let devices = new Map((await liveDeviceStates(ctx.db)).map((d) => [d.id, d]));
    const startMs = ctx.clock.nowMs();
    let incidents = new Map((await liveIncidents(ctx.db, startMs)).filter((i) => i.ended_ms === null).map((i) => [i.id, i]));
    const counts: Record<string, number> = {};
    for (const d of devices.values()) counts[d.status ?? 'unknown'] = (counts[d.status ?? 'unknown'] ?? 0) + 1;
    await send({ event: 'snapshot', data: { at: new Date(startMs).toISOString(), devices: counts, openIncidents: [...incidents.values()].map((i) => (incidentEvent(i, devices, 'opened').data)) } });
    let lastBeat = Date.now();
    let lastLookMs = startMs;
    while (!signal.aborted && Date.now() - started < maxMs) {
      await sleep(periodMs, signal);
      if (signal.aborted) break;
      try {
        const now = ctx.clock.nowMs();
        const next = new Map((await liveDeviceStates(ctx.db)).map((d) => [d.id, d]));
        for (const [id, d] of next) {
          const before = devices.get(id);
          if ((before?.status ?? null) !== (d.status ?? null)) {
            await send({ event: 'state', data: { deviceId: id, deviceName: d.name, role: d.role, siteId: d.site_id, siteName: d.site_name, wardCode: d.ward_code, from: before?.status ?? null, to: d.status ?? 'unknown', since: d.since_ms === null ? null : new Date(Number(d.since_ms)).toISOString() } });
          }
        }
        devices = next;
        const seen = await liveIncidents(ctx.db, lastLookMs - periodMs);
        const nextOpen = new Map<string, IncidentsTable>();
        for (const i of seen) {
          const was = incidents.get(i.id);
          if (i.ended_ms === null) {
            nextOpen.set(i.id, i);
            if (was === undefined) await send(incidentEvent(i, devices, 'opened'));
            else if (was.ack_at_ms == null && i.ack_at_ms != null) await send(incidentEvent(i, devices, 'acknowledged'));
          } else if (was !== undefined) {
            await send(incidentEvent(i, devices, 'closed'));
          }
        }
        incidents = nextOpen;
        lastLookMs = now;
      } catch (err) {
        // The database went away (restart, closed handle): end the stream; EventSource reconnects and starts over
        // with a fresh snapshot.
        ctx.log.warn('live stream read failed; ending the stream', { error: String(err) });
        break;
      }
      if (Date.now() - lastBeat >= heartbeatMs) {
        await send({ comment: 'keep-alive' });
        lastBeat = Date.now();
      }
    }
  } finally {
    open--;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    // A stream's timer never keeps a process alive on its own (Node; Workers have no unref).
    (t as unknown as { unref?: () => void }).unref?.();
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
