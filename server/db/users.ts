import type { Executor, UsersTable } from './types.ts';

export type UserRow = UsersTable;

export async function findUserByEmail(db: Executor, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

export async function findUserById(db: Executor, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function countUsers(db: Executor): Promise<number> {
  const r = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function insertUser(db: Executor, row: UserRow): Promise<void> {
  await db.insertInto('users').values(row).execute();
}

export async function updateUser(db: Executor, id: string, patch: Partial<Omit<UserRow, 'id'>>): Promise<void> {
  await db.updateTable('users').set(patch).where('id', '=', id).execute();
}

export async function listUsers(db: Executor, page: { limit: number; offset: number }): Promise<{ rows: UserRow[]; total: number }> {
  const rows = await db.selectFrom('users').selectAll().orderBy('email').limit(page.limit).offset(page.offset).execute();
  const total = await countUsers(db);
  return { rows, total };
}
