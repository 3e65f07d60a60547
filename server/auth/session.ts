/**
 * Sessions the Lucia way: a random token goes to the browser, only its SHA-256 is stored, look-ups compare hashes,
 * and the expiry slides forward while the session is used (renewed when less than half its life is left).
 */
import { isoAt, type Clock } from '../../core/time.ts';
import { isRole } from '../../core/roles.ts';
import { newSecretToken, sha256Hex } from '../crypto/random.ts';
import { deleteSession, extendSession, findSession, insertSession } from '../db/sessions.ts';
import { findUserById } from '../db/users.ts';
import type { Executor } from '../db/types.ts';
import type { Actor } from '../deps.ts';

export const SESSION_COOKIE = 'jangkau_session';
const DAY_MS = 86_400_000;

export async function createSession(
  db: Executor,
  clock: Clock,
  userId: string,
  options: { days: number; userAgent: string | null },
): Promise<{ token: string; expiresAtMs: number }> {
  const token = newSecretToken();
  const expiresAtMs = clock.nowMs() + options.days * DAY_MS;
  await insertSession(db, {
    id: sha256Hex(token),
    user_id: userId,
    expires_at: expiresAtMs,
    created_at: isoAt(clock.nowMs()),
    user_agent: options.userAgent?.slice(0, 300) ?? null,
  });
  return { token, expiresAtMs };
}

/** The actor behind a session token, or null. `renewed` is true when the expiry moved and the cookie must be re-sent. */
export async function validateSessionToken(
  db: Executor,
  clock: Clock,
  token: string,
  options: { days: number },
): Promise<{ actor: Actor; renewed: boolean; expiresAtMs: number } | null> {
  if (!/^[a-z2-7]{32}$/.test(token)) return null;
  const id = sha256Hex(token);
  const session = await findSession(db, id);
  if (session === undefined) return null;
  const now = clock.nowMs();
  if (Number(session.expires_at) <= now) {
    await deleteSession(db, id);
    return null;
  }
  const user = await findUserById(db, session.user_id);
  if (user === undefined || user.disabled === 1 || !isRole(user.role)) return null;
  let expiresAtMs = Number(session.expires_at);
  let renewed = false;
  const lifeMs = options.days * DAY_MS;
  if (expiresAtMs - now < lifeMs / 2) {
    expiresAtMs = now + lifeMs;
    await extendSession(db, id, expiresAtMs);
    renewed = true;
  }
  return { actor: { userId: user.id, email: user.email, role: user.role, via: 'session', sessionId: id, mustChangePassword: user.must_change_password === 1, scopeCityCode: user.scope_city_code ?? null }, renewed, expiresAtMs };
}

export function sessionCookie(token: string, options: { expiresAtMs: number; secure: boolean }): string {
  const parts = [
    `${SESSION_COOKIE}=${token}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Expires=${new Date(options.expiresAtMs).toUTCString()}`,
  ];
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}

export function clearedSessionCookie(options: { secure: boolean }): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${options.secure ? '; Secure' : ''}`;
}
