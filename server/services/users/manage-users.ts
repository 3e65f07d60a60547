import { AppError } from '../../../core/errors.ts';
import { isRole, type Role } from '../../../core/roles.ts';
import { isoAt } from '../../../core/time.ts';
import type { UserOut } from '../../../core/schemas/auth.ts';
import { hashPassword, verifyPassword } from '../../auth/password.ts';
import { newId } from '../../crypto/random.ts';
import { deleteApiTokensOfUser, deleteOtherSessions, deleteSessionsOfUser } from '../../db/sessions.ts';
import { forgetLoginAddresses } from '../../db/login-addresses.ts';
import { inTransaction } from '../../db/tx.ts';
import { releaseRateLimit, reserveRateLimit } from '../../db/rate-limits.ts';
import { findUserByEmail, findUserById, insertUser, listUsers, updateUser, type UserRow } from '../../db/users.ts';
import type { ServiceCtx } from '../../deps.ts';
import { findRegion } from '../../db/regions.ts';
import { recordAudit } from '../audit/record-audit.ts';

export function toUserOut(row: UserRow): UserOut {
  return {
    id: row.id,
    email: row.email,
    role: isRole(row.role) ? row.role : 'viewer',
    displayName: row.display_name,
    createdAt: row.created_at,
    disabled: row.disabled === 1,
    scopeCityCode: row.scope_city_code ?? null,
  };
}

export async function createUser(
  ctx: ServiceCtx,
  input: { email: string; password: string; role: Role; displayName?: string | undefined; scopeCityCode?: string | null | undefined },
): Promise<UserOut> {
  if ((await findUserByEmail(ctx.db, input.email)) !== undefined) throw new AppError('conflict', `a user with email ${input.email} exists`);
  await checkScopeCity(ctx, input.scopeCityCode);
  const now = isoAt(ctx.clock.nowMs());
  const row: UserRow = {
    id: newId(),
    email: input.email,
    password_hash: await hashPassword(input.password),
    role: input.role,
    display_name: input.displayName ?? null,
    must_change_password: 1,
    disabled: 0,
    created_at: now,
    updated_at: now,
    scope_city_code: input.scopeCityCode ?? null,
  };
  await inTransaction(ctx, async (trx) => {
    await insertUser(trx, row);
    await recordAudit(ctx, trx, { action: 'create', entity: 'user', entityId: row.id, detail: { email: row.email, role: row.role, scopeCityCode: row.scope_city_code } });
  });
  return toUserOut(row);
}

/** A scope names a kabupaten/kota that exists (imported with the wards' hierarchy). */
async function checkScopeCity(ctx: ServiceCtx, code: string | null | undefined): Promise<void> {
  if (code === null || code === undefined) return;
  const r = await findRegion(ctx.db, code);
  if (r === undefined || r.level !== 'city') {
    throw new AppError('validation_failed', `no kabupaten/kota ${code}; import wards with their hierarchy first (GET /api/v1/regions?level=kota lists them)`, {
      reason: 'scope.unknownCity', params: { code },
      details: [{ path: 'body.scopeCityCode', message: `no kabupaten/kota ${code}`, code: 'scope.unknownCity', params: { code } }],
    });
  }
}

export async function listAllUsers(ctx: ServiceCtx, page: { limit: number; offset: number }): Promise<{ items: UserOut[]; total: number }> {
  const { rows, total } = await listUsers(ctx.db, page);
  return { items: rows.map(toUserOut), total };
}

export async function updateUserByAdmin(
  ctx: ServiceCtx,
  id: string,
  patch: { role?: Role | undefined; displayName?: string | null | undefined; disabled?: boolean | undefined; password?: string | undefined; scopeCityCode?: string | null | undefined },
): Promise<UserOut> {
  const row = await findUserById(ctx.db, id);
  if (row === undefined) throw new AppError('not_found', `no user ${id}`);
  if (id === ctx.actor?.userId && (patch.disabled === true || (patch.role !== undefined && patch.role !== 'admin'))) {
    throw new AppError('conflict', 'an admin cannot disable or demote themself; ask another admin');
  }
  const set: Partial<UserRow> = { updated_at: isoAt(ctx.clock.nowMs()) };
  if (patch.role !== undefined) set.role = patch.role;
  if (patch.displayName !== undefined) set.display_name = patch.displayName;
  if (patch.disabled !== undefined) set.disabled = patch.disabled ? 1 : 0;
  if (patch.scopeCityCode !== undefined) {
    await checkScopeCity(ctx, patch.scopeCityCode);
    set.scope_city_code = patch.scopeCityCode;
  }
  if (patch.password !== undefined) {
    set.password_hash = await hashPassword(patch.password);
    set.must_change_password = 1;
  }
  await inTransaction(ctx, async (trx) => {
    await updateUser(trx, id, set);
    if (patch.disabled === true || patch.password !== undefined || patch.role !== undefined || patch.scopeCityCode !== undefined) await deleteSessionsOfUser(trx, id);
    // Issue 10: a reset or a disable ends the account's tokens too (re-enabling it later revives none), and a reset
    // forgets the addresses it signed in from (whoever knew the old password may have used them).
    if (patch.disabled === true || patch.password !== undefined) await deleteApiTokensOfUser(trx, id);
    if (patch.password !== undefined) await forgetLoginAddresses(trx, id);
    const changed = Object.keys(patch).filter((k) => (patch as Record<string, unknown>)[k] !== undefined);
    await recordAudit(ctx, trx, { action: 'update', entity: 'user', entityId: id, detail: { changed, role: patch.role } });
  });
  return toUserOut({ ...row, ...set } as UserRow);
}

export async function changeOwnPassword(ctx: ServiceCtx, input: { currentPassword: string; newPassword: string }): Promise<void> {
  const actor = ctx.actor;
  if (actor === null) throw new AppError('unauthenticated', 'sign in first');
  // A stolen session must not become a password-guessing oracle: 5 tries per 15 minutes, reserved before hashing.
  const budget = await reserveRateLimit(ctx.db, `password-change:${actor.userId}`, 5, 15 * 60_000, ctx.clock.nowMs());
  if (!budget.allowed) throw new AppError('rate_limited', 'too many tries; try again later', { retryAfterS: budget.retryAfterS, reason: 'auth.rateLimited' });
  const row = await findUserById(ctx.db, actor.userId);
  if (row === undefined || !(await verifyPassword(row.password_hash, input.currentPassword))) {
    throw new AppError('forbidden', 'the current password is wrong');
  }
  await releaseRateLimit(ctx.db, budget);
  if (input.currentPassword === input.newPassword) throw new AppError('validation_failed', 'the new password must differ from the current one');
  const hash = await hashPassword(input.newPassword);
  await inTransaction(ctx, async (trx) => {
    await updateUser(trx, actor.userId, { password_hash: hash, must_change_password: 0, updated_at: isoAt(ctx.clock.nowMs()) });
    // Other sessions end; this one stays. Every API token ends (issue 10): a changed password revokes what the old
    // one may have let someone create.
    await deleteOtherSessions(trx, actor.userId, actor.sessionId);
    await deleteApiTokensOfUser(trx, actor.userId);
    await recordAudit(ctx, trx, { action: 'change-password', entity: 'user', entityId: actor.userId });
  });
}
