import { AppError } from '../../../core/errors.ts';
import { isRole, type Role } from '../../../core/roles.ts';
import { isoAt } from '../../../core/time.ts';
import type { UserOut } from '../../../core/schemas/auth.ts';
import { hashPassword, verifyPassword } from '../../auth/password.ts';
import { newId } from '../../crypto/random.ts';
import { deleteOtherSessions, deleteSessionsOfUser } from '../../db/sessions.ts';
import { inTransaction } from '../../db/tx.ts';
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
    const changed = Object.keys(patch).filter((k) => (patch as Record<string, unknown>)[k] !== undefined);
    await recordAudit(ctx, trx, { action: 'update', entity: 'user', entityId: id, detail: { changed, role: patch.role } });
  });
  return toUserOut({ ...row, ...set } as UserRow);
}

export async function changeOwnPassword(ctx: ServiceCtx, input: { currentPassword: string; newPassword: string }): Promise<void> {
  const actor = ctx.actor;
  if (actor === null) throw new AppError('unauthenticated', 'sign in first');
  const row = await findUserById(ctx.db, actor.userId);
  if (row === undefined || !(await verifyPassword(row.password_hash, input.currentPassword))) {
    throw new AppError('forbidden', 'the current password is wrong');
  }
  if (input.currentPassword === input.newPassword) throw new AppError('validation_failed', 'the new password must differ from the current one');
  const hash = await hashPassword(input.newPassword);
  await inTransaction(ctx, async (trx) => {
    await updateUser(trx, actor.userId, { password_hash: hash, must_change_password: 0, updated_at: isoAt(ctx.clock.nowMs()) });
    // Other sessions end; this one stays.
    await deleteOtherSessions(trx, actor.userId, actor.sessionId);
    await recordAudit(ctx, trx, { action: 'change-password', entity: 'user', entityId: actor.userId });
  });
}
