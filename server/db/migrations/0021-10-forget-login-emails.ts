import type { Kysely } from 'kysely';

/**
 * Frozen: issue 10 (rest, UU PDP). Staff sign-in budgets are keyed by a keyed hash of the account since this issue;
 * counters written before it named the typed e-mail address in clear (`login:acct:<email>`, `login:pair:<email>:…`).
 * They are dropped now instead of waiting for the three-day purge. A hash has no "@", so budgets keyed the new way
 * are kept; the old ones counted at most one window, and a budget restarting once on upgrade is harmless.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('rate_limits').where('key', 'like', 'login:%@%').execute();
}
