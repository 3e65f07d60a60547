import { isoAt, type Clock } from '../../../core/time.ts';
import { hashPassword } from '../../auth/password.ts';
import { newId, newSecretToken } from '../../crypto/random.ts';
import { countUsers } from '../../db/users.ts';
import type { Db } from '../../db/types.ts';

/**
 * On the first start (no users at all) creates the admin: from JANGKAU_ADMIN_EMAIL / JANGKAU_ADMIN_PASSWORD when
 * given, otherwise admin@jangkau.local with a one-time password that is returned once (to be printed) and must be
 * changed at the first sign-in. Later starts change nothing.
 */
export async function bootstrapAdmin(
  db: Db,
  clock: Clock,
  input: { email: string | undefined; password: string | undefined },
): Promise<{ created: false } | { created: true; email: string; oneTimePassword: string | null }> {
  if ((await countUsers(db)) > 0) return { created: false };
  const email = (input.email ?? 'admin@jangkau.local').trim().toLowerCase();
  const given = input.password !== undefined && input.password !== '';
  const password = given ? (input.password as string) : newSecretToken().slice(0, 20);
  const now = isoAt(clock.nowMs());
  // Several servers may start at once on one database (issue 17): the first insert wins, the others find it made.
  const r = await db
    .insertInto('users')
    .values({
      id: newId(),
      email,
      password_hash: await hashPassword(password),
      role: 'admin',
      display_name: 'Administrator',
      must_change_password: given ? 0 : 1,
      disabled: 0,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('email').doNothing())
    .executeTakeFirst();
  if (Number(r.numInsertedOrUpdatedRows ?? 0n) === 0) return { created: false };
  return { created: true, email, oneTimePassword: given ? null : password };
}
