/**
 * Recognising a returning citizen: a portal session cookie (random token, only its SHA-256 stored), never a MAC
 * alone (phones randomise them). The token is replaced at every sign-in, so a token planted before sign-in is
 * worthless after it (no session fixation).
 */
import { isoAt } from '../../../core/time.ts';
import { newId, newSecretToken, sha256Hex } from '../../crypto/random.ts';
import { deletePortalSession, findCitizen, findPortalSession, insertCitizen, insertConsent, insertPortalSession, listConsents, touchCitizen, type PortalCitizenRow } from '../queries/identity.ts';
import type { ServiceCtx } from '../../deps.ts';
import { TERMS_VERSION } from '../pure/i18n.ts';

export const PORTAL_SESSION_COOKIE = 'jk_portal';
export const PORTAL_SESSION_DAYS = 30;

export async function citizenOfSession(ctx: ServiceCtx, token: string | undefined): Promise<PortalCitizenRow | null> {
  if (token === undefined || !/^[a-z2-7]{32}$/.test(token)) return null;
  const s = await findPortalSession(ctx.db, sha256Hex(token));
  if (s === undefined || Number(s.expires_at) <= ctx.clock.nowMs()) return null;
  return (await findCitizen(ctx.db, s.citizen_id)) ?? null;
}

/** A new portal session (token and row) not yet written. */
export function newPortalSession(ctx: Pick<ServiceCtx, 'clock'>, citizenId: string): { token: string; row: { id: string; citizen_id: string; created_at: number; expires_at: number } } {
  const token = newSecretToken();
  const now = ctx.clock.nowMs();
  return { token, row: { id: sha256Hex(token), citizen_id: citizenId, created_at: now, expires_at: now + PORTAL_SESSION_DAYS * 86_400_000 } };
}

/** Ends the old session (if any) and starts a new one for the citizen; returns the new token. */
export async function rotateSession(ctx: ServiceCtx, citizenId: string, oldToken: string | undefined): Promise<string> {
  if (oldToken !== undefined && /^[a-z2-7]{32}$/.test(oldToken)) await deletePortalSession(ctx.db, sha256Hex(oldToken));
  const token = newSecretToken();
  const now = ctx.clock.nowMs();
  await insertPortalSession(ctx.db, { id: sha256Hex(token), citizen_id: citizenId, created_at: now, expires_at: now + PORTAL_SESSION_DAYS * 86_400_000 });
  return token;
}

/**
 * On https the session cookie is `SameSite=None; Secure`, so the router's cross-site POST to /portal/login carries it
 * and the returning citizen is recognised at once; on plain http browsers refuse `None` without `Secure`, so it stays
 * `Lax` and /portal/login bounces a cross-site post once through a same-site GET instead. Either way the cookie only
 * says who the citizen is: acting on it (POST /portal/continue) needs the flow's CSRF token, which a foreign page
 * cannot read.
 */
export function portalSessionCookie(token: string, options: { secure: boolean }): string {
  return `${PORTAL_SESSION_COOKIE}=${token}; Path=/portal; HttpOnly; ${options.secure ? 'SameSite=None; Secure' : 'SameSite=Lax'}; Max-Age=${PORTAL_SESSION_DAYS * 86_400}`;
}

export function clearedPortalSessionCookie(options: { secure: boolean }): string {
  return `${PORTAL_SESSION_COOKIE}=; Path=/portal; HttpOnly; ${options.secure ? 'SameSite=None; Secure' : 'SameSite=Lax'}; Max-Age=0`;
}

export async function newCitizen(ctx: ServiceCtx, kind: 'terms' | 'phone' | 'voucher', phone?: { hash: string; sealed: string }): Promise<PortalCitizenRow> {
  const now = ctx.clock.nowMs();
  const row: PortalCitizenRow = {
    id: newId(),
    kind,
    phone_hash: phone?.hash ?? null,
    phone_sealed: phone?.sealed ?? null,
    created_at: isoAt(now),
    last_seen_at: now,
  };
  await insertCitizen(ctx.db, row);
  return row;
}

/** Records consent to the current terms unless this citizen already gave it. */
export async function recordConsent(ctx: ServiceCtx, citizenId: string, options: { known: boolean }): Promise<void> {
  if (options.known) {
    const consents = await listConsents(ctx.db, [citizenId]);
    if (consents.some((c) => c.terms_version === TERMS_VERSION)) {
      await touchCitizen(ctx.db, citizenId, ctx.clock.nowMs());
      return;
    }
    await touchCitizen(ctx.db, citizenId, ctx.clock.nowMs());
  }
  await insertConsent(ctx.db, { id: newId(), citizen_id: citizenId, terms_version: TERMS_VERSION, accepted_at: isoAt(ctx.clock.nowMs()) });
}
