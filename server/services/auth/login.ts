import { AppError } from '../../../core/errors.ts';
import { isRole } from '../../../core/roles.ts';
import { dummyPasswordHash, hashPassword, needsRehash, verifyPassword } from '../../auth/password.ts';
import { createSession } from '../../auth/session.ts';
import { passwordWork, type HashTicket } from '../../auth/hash-queue.ts';
import { isKnownLoginAddress, rememberLoginAddress } from '../../db/login-addresses.ts';
import { clearRateLimit, releaseRateLimit, reserveRateLimit, type Reservation } from '../../db/rate-limits.ts';
import { deleteSession } from '../../db/sessions.ts';
import { findUserByEmail, updateUser } from '../../db/users.ts';
import type { ServiceCtx } from '../../deps.ts';
import { recordAudit } from '../audit/record-audit.ts';

const WINDOW_MS = 15 * 60_000;
const ADDRESS_PURPOSE = 'login-address';
/** rate_limits keys name the account by a keyed hash (HMAC with the server's key), never the e-mail in clear. */
const ACCOUNT_PURPOSE = 'login-account';

/**
 * Sign-in budgets per 15-minute window (issue 10). Every attempt reserves its place in each budget before any
 * password is hashed, in one atomic statement per budget, so concurrent guesses cannot slip past a limit.
 * - perPair: attempts for one account from one address.
 * - perAccountStrangers: attempts for one account from all addresses it never signed in from, together. An address
 *   the account signed in from before is not held to it: strangers can slow an account down, never lock it.
 * - perAddress: attempts from one address for any accounts.
 * A successful sign-in gives its reservations back, so only failures count.
 */
export const LOGIN_LIMITS = { perPair: 5, perAccountStrangers: 5, perAddress: 30 } as const;

export interface LoginResult {
  token: string;
  expiresAtMs: number;
  user: { id: string; email: string; role: string; mustChangePassword: boolean };
}

/**
 * Signs a staff member in. Any previous session of this browser is ended first (no session fixation). Unknown emails
 * cost the same time as wrong passwords. A budget that is spent answers rate_limited (429, Retry-After) before the
 * password is even checked; a full hash queue answers unavailable (503, Retry-After) and counts nothing.
 */
export async function login(
  ctx: ServiceCtx,
  input: { email: string; password: string; userAgent: string | null; previousSessionId: string | null },
): Promise<LoginResult> {
  // A place in the hash queue is taken on arrival, before any database work: once every place is taken, a flood is
  // refused at once (503) and costs the server next to nothing. Every early exit below gives the place back.
  const ticket = passwordWork.admit();
  try {
    return await checkAndSignIn(ctx, input, ticket);
  } finally {
    ticket.release();
  }
}

async function checkAndSignIn(
  ctx: ServiceCtx,
  input: { email: string; password: string; userAgent: string | null; previousSessionId: string | null },
  ticket: HashTicket,
): Promise<LoginResult> {
  const now = ctx.clock.nowMs();
  const user = await findUserByEmail(ctx.db, input.email);
  const addressHash = await ctx.secrets.keyedHash(ctx.clientAddress, ADDRESS_PURPOSE);
  const accountHash = await ctx.secrets.keyedHash(input.email, ACCOUNT_PURPOSE);
  const known = user !== undefined && (await isKnownLoginAddress(ctx.db, user.id, addressHash));
  const budgets: Array<{ key: string; limit: number }> = [
    { key: `login:addr:${addressHash}`, limit: LOGIN_LIMITS.perAddress },
    { key: `login:pair:${accountHash}:${addressHash}`, limit: LOGIN_LIMITS.perPair },
  ];
  if (!known) budgets.push({ key: `login:acct:${accountHash}`, limit: LOGIN_LIMITS.perAccountStrangers });

  const reserved: Reservation[] = [];
  for (const b of budgets) {
    const r = await reserveRateLimit(ctx.db, b.key, b.limit, WINDOW_MS, now);
    if (!r.allowed) {
      // This budget keeps the refused attempt (it is spent anyway); the others get theirs back.
      await Promise.all(reserved.map((x) => releaseRateLimit(ctx.db, x)));
      // The log names the account by its id when it exists, never by the e-mail typed (which may be anyone's); the
      // address stays, as the operator's means to block a source.
      ctx.log.warn('sign-in rate limited', { userId: user?.id ?? null, address: ctx.clientAddress, budget: b.key.split(':')[1] });
      throw new AppError('rate_limited', 'too many failed sign-ins; try again later', { retryAfterS: r.retryAfterS, reason: 'auth.rateLimited' });
    }
    reserved.push(r);
  }

  let ok: boolean;
  try {
    ok = await verifyPassword(user?.password_hash ?? (await dummyPasswordHash()), input.password, { priority: 'anonymous', ticket });
  } catch (err) {
    // Refused by the full hash queue: nothing was evaluated, so nothing counts.
    await Promise.all(reserved.map((x) => releaseRateLimit(ctx.db, x)));
    throw err;
  }
  if (user === undefined || !ok || user.disabled === 1 || !isRole(user.role)) {
    throw new AppError('unauthenticated', 'wrong email or password');
  }
  await Promise.all(reserved.map((x) => releaseRateLimit(ctx.db, x)));
  await clearRateLimit(ctx.db, `login:pair:${accountHash}:${addressHash}`);
  await rememberLoginAddress(ctx.db, user.id, addressHash, now);
  if (needsRehash(user.password_hash)) {
    // Parameters changed since this hash was made: store one with today's, now that the password is known.
    const rehashed = await hashPassword(input.password, { priority: 'staff' });
    await updateUser(ctx.db, user.id, { password_hash: rehashed });
  }
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
