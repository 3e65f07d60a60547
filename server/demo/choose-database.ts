/**
 * Real database or demo? Decided before the server uses any database: the demo runs when it is not turned off
 * (`--no-demo`, JANGKAU_DEMO=false) and the configured database holds no ward and no device. It then runs on its
 * own SQLite file, `<JANGKAU_DATA_DIR>/demo.db`, recreated at each start; the real database is only read (a missing
 * SQLite file is not even created), so demo data can never mix into it. Postgres or SQLite alike.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { NodeEnv } from '../config.ts';
import { openDatabase, openSqlite } from '../db/connect-node.ts';
import { hasInventory } from '../db/demo-probe.ts';
import type { DbHandle } from '../db/types.ts';

export interface DatabaseChoice {
  handle: DbHandle;
  /** The demo's own file when the demo runs, else null. */
  demoFile: string | null;
}

export function demoDisabled(env: Pick<NodeEnv, 'JANGKAU_DEMO'>, argv: readonly string[]): boolean {
  return env.JANGKAU_DEMO === false || argv.includes('--no-demo');
}

function sqliteFileOf(url: string): string | null {
  if (/^postgres(ql)?:\/\//.test(url)) return null;
  return url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : url;
}

/** Whether the configured database has real inventory; reads only, creates nothing. */
async function realHasInventory(url: string): Promise<boolean> {
  const file = sqliteFileOf(url);
  if (file !== null && file !== ':memory:' && !existsSync(file)) return false;
  const probe = openDatabase(url);
  try {
    return await hasInventory(probe.db);
  } finally {
    await probe.close();
  }
}

export async function openRealOrDemoDatabase(env: Pick<NodeEnv, 'JANGKAU_DEMO' | 'DATABASE_URL' | 'JANGKAU_DATA_DIR'>, argv: readonly string[]): Promise<DatabaseChoice> {
  if (demoDisabled(env, argv) || (await realHasInventory(env.DATABASE_URL))) return { handle: openDatabase(env.DATABASE_URL, { warm: true }), demoFile: null };
  const demoFile = join(env.JANGKAU_DATA_DIR, 'demo.db');
  for (const f of [demoFile, `${demoFile}-wal`, `${demoFile}-shm`]) rmSync(f, { force: true });
  return { handle: openSqlite(demoFile), demoFile };
}
