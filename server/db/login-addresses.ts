import type { Executor } from './types.ts';

/** Addresses (keyed hashes) a staff account signed in from successfully. */
export async function isKnownLoginAddress(db: Executor, userId: string, addressHash: string): Promise<boolean> {
  const row = await db.selectFrom('login_addresses').select('user_id').where('user_id', '=', userId).where('address_hash', '=', addressHash).executeTakeFirst();
  return row !== undefined;
}

export async function rememberLoginAddress(db: Executor, userId: string, addressHash: string, nowMs: number): Promise<void> {
  await db
    .insertInto('login_addresses')
    .values({ user_id: userId, address_hash: addressHash, last_ok_ms: nowMs })
    .onConflict((oc) => oc.columns(['user_id', 'address_hash']).doUpdateSet({ last_ok_ms: nowMs }))
    .execute();
}

/** Forgets every address of an account (its password was reset: the old trust must not outlive it). */
export async function forgetLoginAddresses(db: Executor, userId: string): Promise<void> {
  await db.deleteFrom('login_addresses').where('user_id', '=', userId).execute();
}
