import { isoAt } from '../../../core/time.ts';
import { newId } from '../../crypto/random.ts';
import { insertAudit } from '../../db/audit.ts';
import type { Executor, ServiceCtx } from '../../deps.ts';

/**
 * Writes who changed what, when. Call it with the same transaction as the change, so the log and the change land
 * together. `detail` must never hold a secret: pass field names that changed, not their values, for credentials.
 */
export async function recordAudit(
  ctx: ServiceCtx,
  db: Executor,
  entry: { action: string; entity: string; entityId: string | null; detail?: Record<string, unknown> },
): Promise<void> {
  await insertAudit(db, {
    id: newId(),
    at: isoAt(ctx.clock.nowMs()),
    actor_id: ctx.actor?.userId ?? null,
    actor_label: ctx.actor?.email ?? 'system',
    action: entry.action,
    entity: entry.entity,
    entity_id: entry.entityId,
    detail: entry.detail === undefined ? null : JSON.stringify(entry.detail),
    request_id: ctx.requestId,
  });
}
