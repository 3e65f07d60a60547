/**
 * The outbound-URL policy as an admin sets it (issue 10): whether alert channels, webhooks and the SMS gateway may
 * reach loopback and private networks. Kept in `app_settings` so every process and isolate reads the same; changes
 * are audited. Link-local and metadata addresses stay refused whatever is set (core/net/outbound-policy.ts).
 */
import { DEFAULT_OUTBOUND_POLICY, type OutboundPolicy } from '../../../core/net/outbound-policy.ts';
import { isoAt } from '../../../core/time.ts';
import { readAppSetting, writeAppSetting } from '../../db/app-settings.ts';
import type { ServiceCtx } from '../../deps.ts';
import { recordAudit } from '../audit/record-audit.ts';

const KEY = 'outbound';

export async function getOutboundPolicy(ctx: Pick<ServiceCtx, 'db'>): Promise<OutboundPolicy> {
  const raw = await readAppSetting(ctx.db, KEY);
  if (raw === undefined) return DEFAULT_OUTBOUND_POLICY;
  const v = JSON.parse(raw) as Partial<OutboundPolicy>;
  return { allowPrivate: v.allowPrivate === true };
}

export async function setOutboundPolicy(ctx: ServiceCtx, body: { allowPrivate: boolean }): Promise<OutboundPolicy> {
  const next: OutboundPolicy = { allowPrivate: body.allowPrivate };
  await writeAppSetting(ctx.db, KEY, JSON.stringify(next), isoAt(ctx.clock.nowMs()));
  await recordAudit(ctx, ctx.db, { action: 'update', entity: 'app_settings', entityId: KEY, detail: { fields: ['allowPrivate'], allowPrivate: next.allowPrivate } });
  return next;
}
