/**
 * Tokens for machines and wall screens (issue 15), checked by the route table for routes whose access is
 * `{ token: 'metrics' }` or `{ token: 'widget' }`:
 * - metrics: `Authorization: Bearer <JANGKAU_METRICS_TOKEN>`, compared in constant time (digests of both sides);
 * - widget: `?token=jw_...` in the URL (a wall screen or an <iframe> cannot send headers), read-only, created and
 *   revoked by an admin; only its SHA-256 is stored.
 */
import type { Context } from 'hono';
import { isoAt } from '../../core/time.ts';
import type { TokenAccess } from '../../core/roles.ts';
import { newSecretToken, sha256Hex } from '../crypto/random.ts';
import { findWidgetTokenByHash, touchWidgetToken } from '../db/satu-data.ts';
import type { AppEnv } from '../deps.ts';

export const WIDGET_TOKEN_PREFIX = 'jw_';

export function newWidgetToken(): { token: string; hash: string } {
  const token = WIDGET_TOKEN_PREFIX + newSecretToken();
  return { token, hash: sha256Hex(token) };
}

function sameText(a: string, b: string): boolean {
  const x = sha256Hex(a);
  const y = sha256Hex(b);
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x.charCodeAt(i) ^ y.charCodeAt(i);
  return diff === 0 && x.length === y.length;
}

/** True when the request carries the token this route asks for. */
export async function hasMachineToken(c: Context<AppEnv>, access: TokenAccess): Promise<boolean> {
  const ctx = c.get('ctx');
  if (access.token === 'metrics') {
    const expected = ctx.config.metricsToken;
    if (expected === undefined || expected === null || expected === '') return false;
    const auth = c.req.header('authorization') ?? '';
    const m = /^Bearer\s+(.+)$/i.exec(auth);
    return m !== null && sameText(m[1]!.trim(), expected);
  }
  const token = c.req.query('token') ?? '';
  if (!/^jw_[a-z2-7]{32}$/.test(token)) return false;
  const row = await findWidgetTokenByHash(ctx.db, sha256Hex(token));
  if (row === undefined || row.revoked_at !== null) return false;
  const now = ctx.clock.nowMs();
  if (row.last_used_at === null || Date.parse(row.last_used_at) < now - 60_000) await touchWidgetToken(ctx.db, row.id, isoAt(now));
  return true;
}
