import { AppError } from '../../../core/errors.ts';
import { isRole } from '../../../core/roles.ts';
import { dummyPasswordHash, verifyPassword } from '../../auth/password.ts';
import { createSession } from '../../auth/session.ts';
import { clearRateLimit, hitRateLimit, peekRateLimit } from '../../db/rate-limits.ts';
import { deleteSession } from '../../db/sessions.ts';
import { findUserByEmail } from '../../db/users.ts';
import type { ServiceCtx } from '../../deps.ts';
import { recordAudit } from '../audit/record-audit.ts';

const WINDOW_MS = 15 * 60_000;
/** Wrong passwords allowed per account (from any address) and per address (for any account) in a window. */
export const LOGIN_LIMITS = { perEmail: 5, perAddress: 30 } as const;

export interface LoginResult {
  token: string;
  expiresAtMs: number;
  user: { id: string; email: string; role: string; mustChangePassword: boolean };
}

/**
 * Signs a staff member in. Any previous session of this browser is ended first (no session fixation). Unknown emails
 * cost the same time as wrong passwords. Too many failures answer rate_limited before the password is even checked.
 */
export async function login(
  ctx: ServiceCtx,
  input: { email: string; password: string; userAgent: string | null; previousSessionId: string | null },
): Promise<LoginResult> {
  const now = ctx.clock.nowMs();
  const emailKey = `login:email:${input.email}`;
  const addrKey = `login:addr:${ctx.clientAddress}`;
  const [byEmail, byAddr] = await Promise.all([
    peekRateLimit(ctx.db, emailKey, WINDOW_MS, now),
    peekRateLimit(ctx.db, addrKey, WINDOW_MS, now),
  ]);
  if (byEmail >= LOGIN_LIMITS.perEmail || byAddr >= LOGIN_LIMITS.perAddress) {
    const retryAfterS = Math.ceil((WINDOW_MS - (now % WINDOW_MS)) / 1000);
    ctx.log.warn('sign-in rate limited', { email: input.email, address: ctx.clientAddress });
    throw new AppError('rate_limited', 'too many failed sign-ins; try again later', { retryAfterS });
  }
  const user = await findUserByEmail(ctx.db, input.email);
  const ok = await verifyPassword(user?.password_hash ?? (await dummyPasswordHash()), input.password);
  if (user === undefined || !ok || user.disabled === 1 || !isRole(user.role)) {
    await hitRateLimit(ctx.db, emailKey, WINDOW_MS, now);
    await hitRateLimit(ctx.db, addrKey, WINDOW_MS, now);
    throw new AppError('unauthenticated', 'wrong email or password');
  }
  await clearRateLimit(ctx.db, emailKey);
  if (input.previousSessionId !== null) await deleteSession(ctx.db, input.previousSessionId);
  const session = await createSession(ctx.db, ctx.clock, user.id, { days: ctx.config.sessionDays, userAgent: input.userAgent });
  ctx.actor = { userId: user.id, email: user.email, role: user.role, via: 'session', sessionId: null };
  await recordAudit(ctx, ctx.db, { action: 'sign-in', entity: 'user', entityId: user.id });
  return {
    token: session.token,
    expiresAtMs: session.expiresAtMs,
    user: { id: user.id, email: user.email, role: user.role, mustChangePassword: user.must_change_password === 1 },
  };
}
