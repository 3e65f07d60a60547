import { AppError } from '../../../core/errors.ts';
import { DAY_MS, FIVE_MIN_MS, HOUR_MS } from '../../../core/samples/index.ts';
import { findDevice } from '../../db/devices.ts';
import { rawSeries, rollupSeries } from '../../db/monitoring.ts';
import type { ServiceCtx } from '../../deps.ts';

export const SERIES_METRICS = ['clients', 'rxBps', 'txBps'] as const;
export type SeriesMetric = (typeof SERIES_METRICS)[number];
export type Resolution = 'raw' | '5m' | '1h' | '1d';

/** The finest resolution that keeps a chart under about a thousand points, and that retention still holds. */
export function resolutionFor(rangeMs: number): Resolution {
  if (rangeMs <= 12 * HOUR_MS) return 'raw';
  if (rangeMs <= 3 * DAY_MS) return '5m';
  if (rangeMs <= 40 * DAY_MS) return '1h';
  return '1d';
}

const BUCKET: Record<Exclude<Resolution, 'raw'>, number> = { '5m': FIVE_MIN_MS, '1h': HOUR_MS, '1d': DAY_MS };

export async function deviceSeries(
  ctx: ServiceCtx,
  id: string,
  q: { metric: SeriesMetric; fromMs: number; toMs: number; resolution?: Resolution | undefined },
): Promise<{ metric: SeriesMetric; resolution: Resolution; points: [number, number][]; max: [number, number][] | null }> {
  if (!(q.toMs > q.fromMs)) throw new AppError('validation_failed', '`to` must be after `from`');
  if ((await findDevice(ctx.db, id)) === undefined) throw new AppError('not_found', `no device ${id}`);
  const resolution = q.resolution ?? resolutionFor(q.toMs - q.fromMs);
  if (resolution === 'raw') {
    const rows = await rawSeries(ctx.db, id, q.fromMs, q.toMs);
    const pick = (r: (typeof rows)[number]): number | null => (q.metric === 'clients' ? r.clients : q.metric === 'rxBps' ? r.in_bps : r.out_bps);
    return {
      metric: q.metric,
      resolution,
      points: rows.flatMap((r) => (pick(r) === null ? [] : [[Number(r.t_ms), pick(r) as number] as [number, number]])),
      max: null,
    };
  }
  const rows = await rollupSeries(ctx.db, id, BUCKET[resolution], q.fromMs, q.toMs);
  const avg = (r: (typeof rows)[number]): number | null => (q.metric === 'clients' ? r.clients_avg : q.metric === 'rxBps' ? r.in_bps_avg : r.out_bps_avg);
  const mx = (r: (typeof rows)[number]): number | null => (q.metric === 'clients' ? r.clients_max : q.metric === 'rxBps' ? r.in_bps_max : r.out_bps_max);
  return {
    metric: q.metric,
    resolution,
    points: rows.flatMap((r) => (avg(r) === null ? [] : [[Number(r.t_ms), avg(r) as number] as [number, number]])),
    max: rows.flatMap((r) => (mx(r) === null ? [] : [[Number(r.t_ms), mx(r) as number] as [number, number]])),
  };
}
