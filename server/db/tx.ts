import type { DbHandle, Executor } from './types.ts';

/**
 * Runs `fn` in one transaction, so a write touching several tables lands whole or not at all.
 * D1 has no interactive transactions: there the statements run in order without one. Every import validates its
 * whole input before the first write, so a rejected file writes nothing on D1 either; what D1 cannot give is
 * atomicity against a crash between two statements (see ARCHITECTURE.md).
 */
export async function inTransaction<T>(handle: Pick<DbHandle, 'db' | 'dialect'>, fn: (trx: Executor) => Promise<T>): Promise<T> {
  if (handle.dialect === 'd1') return fn(handle.db);
  return handle.db.transaction().execute(fn);
}

/**
 * True when `err` is the engine refusing a write for a unique index or key: SQLite (better-sqlite3), D1 (SQLite
 * wording inside its own error) and Postgres (SQLSTATE 23505). `names` narrows it: the index name (as Postgres names
 * it) or `table.column` (as SQLite does), any of them.
 */
export function isUniqueViolation(err: unknown, names?: readonly string[]): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; message?: unknown; constraint?: unknown };
  const message = typeof e.message === 'string' ? e.message : '';
  const unique = e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint failed/.test(message);
  if (!unique || names === undefined) return unique;
  return names.some((n) => e.constraint === n || message.includes(n));
}
