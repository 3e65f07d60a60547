/** Portal-wide settings, kept in portal_settings so every runtime (Node, Workers) reads the same. */
import { AppError } from '../../../core/errors.ts';
import type { PortalSettingsBody } from '../../../core/schemas/portal.ts';
import { isoAt } from '../../../core/time.ts';
import { readPortalSetting, writePortalSetting } from '../queries/settings.ts';
import type { ServiceCtx } from '../../deps.ts';
import { SMS_PRESETS, specProblem, type SmsHttpSpec } from '../pure/sms-request.ts';
import { checkChannelUrl } from '../../services/alerts/outbound-check.ts';
import { recordAudit } from '../../services/audit/record-audit.ts';

/** A generic HTTP gateway (issue 14): the request's shape, its secrets sealed, what a message costs and may cost a day. */
export interface HttpSmsSetting extends SmsHttpSpec {
  kind: 'http';
  preset: 'zenziva' | 'fonnte' | 'wablas' | 'custom';
  /** Header name -> value sealed (purpose bound to the header's name). */
  headersSealed: Record<string, string>;
  /** `{secret:NAME}` of the body template -> value sealed. */
  secretsSealed: Record<string, string>;
  /** Milliseconds the gateway has to answer one attempt. */
  timeoutMs: number;
  pricePerMessageIdr: number;
  /** Rupiah a city day may cost; null: no cap. */
  dailyCapIdr: number | null;
}

export type SmsSetting = { kind: 'outbox' } | HttpSmsSetting;

export interface PortalSettings {
  sms: SmsSetting;
  identityRetentionDays: number;
  logRetentionDays: number;
}

export const DEFAULT_SETTINGS: PortalSettings = { sms: { kind: 'outbox' }, identityRetentionDays: 365, logRetentionDays: 90 };
const KEY = 'settings';
/** Before issue 14's generic gateway: one bearer token, sealed under this purpose. Still read. */
const LEGACY_TOKEN_PURPOSE = 'portal-sms-token';
const headerPurpose = (name: string): string => `portal-sms-header:${name.toLowerCase()}`;
const secretPurpose = (name: string): string => `portal-sms-secret:${name}`;

export const DEFAULT_HTTP_SPEC: SmsHttpSpec = {
  url: '',
  method: 'POST',
  contentType: 'json',
  bodyTemplate: '{"to":"{phone}","text":"{message}"}',
  phoneFormat: 'e164',
  successStatusMin: 200,
  successStatusMax: 299,
  successBodyMatch: null,
};
export const DEFAULT_TIMEOUT_MS = 5000;

/** Settings written before issue 14 ({ kind: 'http', url, tokenSealed }) read as the generic gateway they were. */
function normalizeSms(raw: unknown): SmsSetting {
  const s = raw as Record<string, unknown> | undefined;
  if (s === undefined || s === null || s.kind !== 'http') return { kind: 'outbox' };
  if (typeof s.bodyTemplate === 'string') return s as unknown as HttpSmsSetting;
  const headersSealed: Record<string, string> = {};
  if (typeof s.tokenSealed === 'string') headersSealed['legacy-bearer'] = s.tokenSealed;
  return { kind: 'http', preset: 'custom', ...DEFAULT_HTTP_SPEC, url: String(s.url), headersSealed, secretsSealed: {}, timeoutMs: 5000, pricePerMessageIdr: 0, dailyCapIdr: null };
}

export async function getPortalSettings(ctx: Pick<ServiceCtx, 'db'>): Promise<PortalSettings> {
  const raw = await readPortalSetting(ctx.db, KEY);
  if (raw === undefined) return DEFAULT_SETTINGS;
  const parsed = JSON.parse(raw) as Partial<PortalSettings>;
  return { ...DEFAULT_SETTINGS, ...parsed, sms: normalizeSms(parsed.sms) };
}

/** The gateway's headers and template secrets in clear, for one send. */
export async function openSmsSecrets(ctx: Pick<ServiceCtx, 'secrets'>, s: HttpSmsSetting): Promise<{ headers: Record<string, string>; secrets: Record<string, string> }> {
  const headers: Record<string, string> = {};
  for (const [name, sealed] of Object.entries(s.headersSealed)) {
    if (name === 'legacy-bearer') headers.authorization = `Bearer ${await ctx.secrets.open(sealed, LEGACY_TOKEN_PURPOSE)}`;
    else headers[name] = await ctx.secrets.open(sealed, headerPurpose(name));
  }
  const secrets: Record<string, string> = {};
  for (const [name, sealed] of Object.entries(s.secretsSealed)) secrets[name] = await ctx.secrets.open(sealed, secretPurpose(name));
  return { headers, secrets };
}

/** What staff see: which headers and secrets are set, never their values. */
export function settingsOut(s: PortalSettings): Record<string, unknown> {
  let sms: Record<string, unknown> = { kind: 'outbox' };
  if (s.sms.kind === 'http') {
    const { headersSealed, secretsSealed, ...shape } = s.sms;
    sms = {
      ...shape,
      headers: Object.keys(headersSealed).map((name) => (name === 'legacy-bearer' ? { name: 'Authorization', set: true } : { name, set: true })),
      secrets: Object.keys(secretsSealed).map((name) => ({ name, set: true })),
      tokenSet: 'legacy-bearer' in headersSealed || Object.keys(headersSealed).some((n) => n.toLowerCase() === 'authorization'),
    };
  }
  return { sms, identityRetentionDays: s.identityRetentionDays, logRetentionDays: s.logRetentionDays };
}

type HttpSmsBody = Extract<NonNullable<PortalSettingsBody['sms']>, { kind: 'http' }>;

/**
 * The new gateway from the admin's body: a preset's fields unless the body says otherwise; a header or secret listed
 * without a value keeps its stored value; one not listed (when the list is given) is removed.
 */
async function nextHttpSetting(ctx: ServiceCtx, cur: SmsSetting, body: HttpSmsBody): Promise<HttpSmsSetting> {
  const preset = body.preset === undefined || body.preset === 'custom' ? null : (SMS_PRESETS.find((p) => p.id === body.preset) ?? null);
  const base: SmsHttpSpec = preset ?? (cur.kind === 'http' && body.preset === undefined ? cur : DEFAULT_HTTP_SPEC);
  const spec: SmsHttpSpec = {
    url: (await checkChannelUrl(ctx, body.url ?? base.url, 'sms.url')).href,
    method: body.method ?? base.method,
    contentType: body.contentType ?? base.contentType,
    bodyTemplate: body.bodyTemplate ?? base.bodyTemplate,
    phoneFormat: body.phoneFormat ?? base.phoneFormat,
    successStatusMin: body.successStatusMin ?? base.successStatusMin,
    successStatusMax: body.successStatusMax ?? base.successStatusMax,
    successBodyMatch: body.successBodyMatch !== undefined ? body.successBodyMatch : base.successBodyMatch,
  };
  const oldHeaders = cur.kind === 'http' ? cur.headersSealed : {};
  const oldSecrets = cur.kind === 'http' ? cur.secretsSealed : {};
  let headersSealed: Record<string, string> = { ...oldHeaders };
  if (body.headers !== undefined) {
    headersSealed = {};
    for (const h of body.headers) {
      if (h.value !== undefined) headersSealed[h.name] = await ctx.secrets.seal(h.value, headerPurpose(h.name));
      else if (oldHeaders[h.name] !== undefined) headersSealed[h.name] = oldHeaders[h.name] as string;
      else if (h.name.toLowerCase() === 'authorization' && oldHeaders['legacy-bearer'] !== undefined) headersSealed['legacy-bearer'] = oldHeaders['legacy-bearer'];
      else throw new AppError('validation_failed', `sms.headers: ${h.name} has no value yet`, { details: [{ path: 'sms.headers', message: `${h.name} has no value yet` }] });
    }
  }
  if (body.token !== undefined) {
    delete headersSealed['legacy-bearer'];
    headersSealed.Authorization = await ctx.secrets.seal(`Bearer ${body.token}`, headerPurpose('Authorization'));
  }
  let secretsSealed: Record<string, string> = { ...oldSecrets };
  if (body.secrets !== undefined) {
    secretsSealed = {};
    for (const sct of body.secrets) {
      if (sct.value !== undefined) secretsSealed[sct.name] = await ctx.secrets.seal(sct.value, secretPurpose(sct.name));
      else if (oldSecrets[sct.name] !== undefined) secretsSealed[sct.name] = oldSecrets[sct.name] as string;
      else throw new AppError('validation_failed', `sms.secrets: ${sct.name} has no value yet`, { details: [{ path: 'sms.secrets', message: `${sct.name} has no value yet` }] });
    }
  }
  const problem = specProblem(spec, new Set(Object.keys(secretsSealed)));
  if (problem !== null) throw new AppError('validation_failed', `sms.${problem.path}: ${problem.message}`, { details: [{ path: `sms.${problem.path}`, message: problem.message }] });
  const old = cur.kind === 'http' ? cur : null;
  return {
    kind: 'http',
    preset: body.preset ?? old?.preset ?? 'custom',
    ...spec,
    headersSealed,
    secretsSealed,
    timeoutMs: body.timeoutMs ?? old?.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    pricePerMessageIdr: body.pricePerMessageIdr ?? old?.pricePerMessageIdr ?? 0,
    dailyCapIdr: body.dailyCapIdr !== undefined ? body.dailyCapIdr : (old?.dailyCapIdr ?? null),
  };
}

export async function updatePortalSettings(ctx: ServiceCtx, body: PortalSettingsBody): Promise<Record<string, unknown>> {
  const cur = await getPortalSettings(ctx);
  const next: PortalSettings = { ...cur };
  if (body.sms !== undefined) next.sms = body.sms.kind === 'outbox' ? { kind: 'outbox' } : await nextHttpSetting(ctx, cur.sms, body.sms);
  if (body.identityRetentionDays !== undefined) next.identityRetentionDays = body.identityRetentionDays;
  if (body.logRetentionDays !== undefined) next.logRetentionDays = body.logRetentionDays;
  await writePortalSetting(ctx.db, KEY, JSON.stringify(next), isoAt(ctx.clock.nowMs()));
  // Field names only: header and secret names are shown, their values never.
  await recordAudit(ctx, ctx.db, { action: 'update', entity: 'portal_settings', entityId: null, detail: { fields: Object.keys(body) } });
  return settingsOut(next);
}
