import type { Kysely } from 'kysely';

/**
 * Frozen: sign-in flows bound to their client (issue 10). `client_hash` is a keyed hash of the address the flow was
 * started from (never the address itself); every later step of a hotspot flow must come from the same address.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('portal_flows').addColumn('client_hash', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('portal_flows').dropColumn('client_hash').execute();
}
