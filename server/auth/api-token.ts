/** Personal API tokens for scripts and collectors: `jk_` + 32 base-32 characters; only the SHA-256 is stored. */
import { isoAt, type Clock } from '../../core/time.ts';
import { isRole } from '../../core/roles.ts';
import { newSecretToken, sha256Hex } from '../crypto/random.ts';
import { findApiTokenByHash, touchApiToken } from '../db/sessions.ts';
import { findUserById } from '../db/users.ts';
import type { Executor } from '../db/types.ts';
import type { Actor } from '../deps.ts';

export const API_TOKEN_PREFIX = 'jk_';

export function newApiToken(): { token: string; hash: string } {
  const token = API_TOKEN_PREFIX + newSecretToken();
  return { token, hash: sha256Hex(token) };
}

export async function validateApiToken(db: Executor, clock: Clock, token: string): Promise<Actor | null> {
  if (!/^jk_[a-z2-7]{32}$/.test(token)) return null;
  const row = await findApiTokenByHash(db, sha256Hex(token));
  if (row === undefined) return null;
  const now = clock.nowMs();
  if (row.expires_at !== null && Number(row.expires_at) <= now) return null;
  const user = await findUserById(db, row.user_id);
  if (user === undefined || user.disabled === 1 || !isRole(user.role)) return null;
  // One write a minute at most: a busy script must not turn every read into a write.
  if (row.last_used_at === null || Date.parse(row.last_used_at) < now - 60_000) await touchApiToken(db, row.id, isoAt(now));
  const kind = row.kind === 'collector' ? 'collector' : 'personal';
  return { userId: user.id, email: user.email, role: user.role, via: 'token', sessionId: null, tokenKind: kind, collectorId: row.collector_id, mustChangePassword: user.must_change_password === 1, scopeCityCode: user.scope_city_code ?? null };
}
