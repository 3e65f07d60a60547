/** Issue 11: what ingest dropped, per collector, and the batches the in-process collector set aside. */
import { isoAt } from '../../../core/time.ts';
import { listCollectorRows } from '../../db/monitoring.ts';
import type { ServiceCtx } from '../../deps.ts';

export async function ingestHealth(ctx: ServiceCtx): Promise<{
  collectors: { id: string; lastSeenAt: string; lastBatchId: string | null; droppedItems: number; droppedEvents: number }[];
  deadLetters: { available: boolean; total: number; items: Awaited<ReturnType<NonNullable<ServiceCtx['deadLetters']>['list']>>['items'] };
}> {
  const rows = await listCollectorRows(ctx.db);
  const store = ctx.deadLetters ?? null;
  const dead = store === null ? null : await store.list(100);
  return {
    collectors: rows.map((r) => ({ id: r.id, lastSeenAt: isoAt(r.last_seen_ms), lastBatchId: r.last_batch_id, droppedItems: r.dropped_items, droppedEvents: r.dropped_events })),
    deadLetters: { available: store !== null, total: dead?.total ?? 0, items: dead?.items ?? [] },
  };
}
