/**
 * Database handles for the Node entry: embedded SQLite (the default) or Postgres. The Worker makes its own with
 * connect-d1.ts. Nothing here is a module-level singleton: callers own the handle and destroy it.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect, type SqliteDatabase } from 'kysely';
import type { Database, DbHandle } from './types.ts';

// Postgres returns int8 and numeric as strings; every such value of ours fits a double exactly (< 2^53).
pg.types.setTypeParser(20, (v: string) => Number(v));
pg.types.setTypeParser(1700, (v: string) => Number(v));

/**
 * Kysely's SQLite driver prepares every statement anew; preparing costs more than running a small one. This keeps
 * the most recently used prepared statements (better-sqlite3 statements are reusable) in a small LRU map.
 */
function withStatementCache(sqlite: SQLite.Database, size: number): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    prepare(sql: string) {
      let stmt = cache.get(sql);
      if (stmt !== undefined) {
        cache.delete(sql);
      } else {
        stmt = sqlite.prepare(sql);
        if (cache.size >= size) cache.delete(cache.keys().next().value as string);
      }
      cache.set(sql, stmt);
      return stmt;
    },
    close() {
      cache.clear();
      sqlite.close();
    },
  };
}

/**
 * Issue 10: the database holds staff e-mails, sealed credentials and citizens' keyed hashes, so its folder is created
 * owner-only (0700) and the file is created 0600 before SQLite opens it (SQLite gives -wal and -shm the mode of the
 * database file); files of an older install are tightened at start.
 */
function ownerOnlyFiles(file: string): void {
  const dir = dirname(file);
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) {
    if (existsSync(f) && (statSync(f).mode & 0o077) !== 0) chmodSync(f, 0o600);
  }
}

export function openSqlite(file: string): DbHandle {
  if (file !== ':memory:') ownerOnlyFiles(file);
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  if (file !== ':memory:') ownerOnlyFiles(file);
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite, 256) }) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

export function openPostgres(url: string, options: { schema?: string; max?: number; warm?: boolean } = {}): DbHandle {
  const max = options.max ?? 10;
  const pool = new pg.Pool({
    connectionString: url,
    max,
    // A long-running server keeps its pool full (issue 10). Each new connection costs Postgres a process fork and its
    // start-up, tens of milliseconds of CPU on a busy machine: a pool that shrank while idle opened them again in the
    // middle of a burst, and /healthz's `select 1` waited 50-80 ms for one (bench/sign-in-burst.ts, Postgres).
    ...(options.warm === true ? { min: max } : {}),
    ...(options.schema === undefined ? {} : { options: `-c search_path=${options.schema}` }),
  });
  // A dropped idle connection must not become an uncaught 'error' event.
  pool.on('error', () => {});
  // Opened at start, in the background; a database that cannot be reached is reported by the first real query.
  if (options.warm === true) void Promise.all(Array.from({ length: max }, () => pool.connect().then((c) => c.release(), () => {})));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  // Kysely ends the pool only if it ever ran a query; a warm pool is open without one.
  const close = async (): Promise<void> => {
    await db.destroy();
    if (!pool.ending) await pool.end();
  };
  return { db, dialect: 'postgres', close };
}

/**
 * `postgres://...` or `postgresql://...` opens Postgres; `sqlite:PATH`, a path, or nothing opens SQLite. `warm`: the
 * server's own long-lived handle, whose Postgres pool is opened in full at start and kept full.
 */
export function openDatabase(url: string, options: { warm?: boolean } = {}): DbHandle {
  if (/^postgres(ql)?:\/\//.test(url)) return openPostgres(url, { warm: options.warm === true });
  const file = url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : url;
  return openSqlite(file);
}
