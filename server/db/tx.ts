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
