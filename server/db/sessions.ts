import type { ApiTokensTable, Executor, SessionsTable } from './types.ts';

export async function insertSession(db: Executor, row: SessionsTable): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

export async function findSession(db: Executor, id: string): Promise<SessionsTable | undefined> {
  return db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function extendSession(db: Executor, id: string, expiresAt: number): Promise<void> {
  await db.updateTable('sessions').set({ expires_at: expiresAt }).where('id', '=', id).execute();
}

export async function deleteSession(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

export async function deleteSessionsOfUser(db: Executor, userId: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

export async function deleteExpiredSessions(db: Executor, nowMs: number): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<=', nowMs).execute();
}

export type NewApiToken = Omit<ApiTokensTable, 'kind' | 'collector_id'> & Partial<Pick<ApiTokensTable, 'kind' | 'collector_id'>>;

export async function insertApiToken(db: Executor, row: NewApiToken): Promise<void> {
  await db.insertInto('api_tokens').values({ kind: 'personal', collector_id: null, ...row }).execute();
}

export async function findApiTokenByHash(db: Executor, tokenHash: string): Promise<ApiTokensTable | undefined> {
  return db.selectFrom('api_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function listApiTokens(db: Executor, userId: string): Promise<ApiTokensTable[]> {
  return db.selectFrom('api_tokens').selectAll().where('user_id', '=', userId).orderBy('created_at').execute();
}

export async function deleteApiToken(db: Executor, userId: string, id: string): Promise<number> {
  const r = await db.deleteFrom('api_tokens').where('user_id', '=', userId).where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Ends every API token of an account (its password changed or was reset, or it was disabled). */
export async function deleteApiTokensOfUser(db: Executor, userId: string): Promise<number> {
  const r = await db.deleteFrom('api_tokens').where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function touchApiToken(db: Executor, id: string, at: string): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
}

export async function deleteOtherSessions(db: Executor, userId: string, keepSessionId: string | null): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).where('id', '!=', keepSessionId ?? '').execute();
}
