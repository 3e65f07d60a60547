import { Kysely } from 'kysely';
import { D1Dialect } from 'kysely-d1';
import type { D1Database } from '@cloudflare/workers-types';
import type { Database, DbHandle } from './types.ts';

/** A handle on the D1 binding a Worker receives per request. */
export function openD1(binding: D1Database): DbHandle {
  const db = new Kysely<Database>({ dialect: new D1Dialect({ database: binding }) });
  return { db, dialect: 'd1', close: async () => {} };
}
