/** Portal-wide settings, kept in portal_settings so every runtime (Node, Workers) reads the same. */
import { AppError } from '../../../core/errors.ts';
import type { PortalSettingsBody } from '../../../core/schemas/portal.ts';
import { isoAt } from '../../../core/time.ts';
import { readPortalSetting, writePortalSetting } from '../../db/portal-settings.ts';
import type { ServiceCtx } from '../../deps.ts';
import { recordAudit } from '../audit/record-audit.ts';

export type SmsSetting = { kind: 'outbox' } | { kind: 'http'; url: string; tokenSealed: string | null };

export interface PortalSettings {
  sms: SmsSetting;
  identityRetentionDays: number;
  logRetentionDays: number;
}

export const DEFAULT_SETTINGS: PortalSettings = { sms: { kind: 'outbox' }, identityRetentionDays: 365, logRetentionDays: 90 };
const KEY = 'settings';
const TOKEN_PURPOSE = 'portal-sms-token';

export async function getPortalSettings(ctx: Pick<ServiceCtx, 'db'>): Promise<PortalSettings> {
  const raw = await readPortalSetting(ctx.db, KEY);
  if (raw === undefined) return DEFAULT_SETTINGS;
  return { ...DEFAULT_SETTINGS, ...(JSON.parse(raw) as Partial<PortalSettings>) };
}

export async function openSmsToken(ctx: Pick<ServiceCtx, 'secrets'>, sealed: string | null): Promise<string | null> {
  return sealed === null ? null : ctx.secrets.open(sealed, TOKEN_PURPOSE);
}

/** What staff see: the token's presence, never its value. */
export function settingsOut(s: PortalSettings): Record<string, unknown> {
  return {
    sms: s.sms.kind === 'http' ? { kind: 'http', url: s.sms.url, tokenSet: s.sms.tokenSealed !== null } : { kind: 'outbox' },
    identityRetentionDays: s.identityRetentionDays,
    logRetentionDays: s.logRetentionDays,
  };
}

export async function updatePortalSettings(ctx: ServiceCtx, body: PortalSettingsBody): Promise<Record<string, unknown>> {
  const cur = await getPortalSettings(ctx);
  const next: PortalSettings = { ...cur };
  if (body.sms !== undefined) {
    if (body.sms.kind === 'outbox') next.sms = { kind: 'outbox' };
    else {
      const url = new URL(body.sms.url);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new AppError('validation_failed', 'the SMS gateway URL must be http(s)');
      const tokenSealed = body.sms.token !== undefined ? await ctx.secrets.seal(body.sms.token, TOKEN_PURPOSE) : cur.sms.kind === 'http' ? cur.sms.tokenSealed : null;
      next.sms = { kind: 'http', url: url.href, tokenSealed };
    }
  }
  if (body.identityRetentionDays !== undefined) next.identityRetentionDays = body.identityRetentionDays;
  if (body.logRetentionDays !== undefined) next.logRetentionDays = body.logRetentionDays;
  await writePortalSetting(ctx.db, KEY, JSON.stringify(next), isoAt(ctx.clock.nowMs()));
  await recordAudit(ctx, ctx.db, { action: 'update', entity: 'portal_settings', entityId: null, detail: { fields: Object.keys(body) } });
  return settingsOut(next);
}
