/**
 * The real Node server (`npm start`'s entry) as a child process on an ephemeral loopback port, on a fresh SQLite file
 * or a fresh Postgres database, so a test can attack it over HTTP and read its memory (RSS) from /proc.
 * It trusts 127.0.0.1 as a reverse proxy, so each request can name its client address in X-Forwarded-For.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { PG_URL, type TestDialect } from '../helpers/db.ts';

export const ADMIN = { email: 'admin@keamanan.test', password: 'kata-sandi-admin-yang-panjang' };

export interface ServerProcess {
  base: string;
  pid: number;
  dataDir: string;
  /** Resident memory of the server process, bytes. */
  rss(): number;
  /** POST /api/v1/auth/login as a client at `client` (through the trusted proxy header). */
  login(email: string, password: string, client: string, extraForwarded?: string): Promise<Response>;
  stop(): Promise<void>;
}

export async function startServerProcess(dialect: TestDialect, env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<ServerProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'jangkau-sec-'));
  let dropDb: (() => Promise<void>) | null = null;
  let databaseUrl = join(dataDir, 'jangkau.db');
  if (dialect === 'postgres') {
    const name = `jk_sec_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const u = new URL(PG_URL);
    u.pathname = `/${name}`;
    databaseUrl = u.toString();
    dropDb = async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
  }
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', ...nodeArgs, resolve('server/entry.node.ts')], {
    cwd: resolve('.'),
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      JANGKAU_DATA_DIR: dataDir,
      JANGKAU_ADMIN_EMAIL: ADMIN.email,
      JANGKAU_ADMIN_PASSWORD: ADMIN.password,
      JANGKAU_DEMO: 'false',
      JANGKAU_COLLECT: 'false',
      JANGKAU_TRUSTED_PROXIES: '127.0.0.1/32',
      // Not quiet: the test reads the port from the "listening" line.
      LOG_QUIET: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const base = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`the server did not start within 60 s:\n${out.slice(-2000)}`)), 60_000);
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      const m = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(out);
      if (m !== null) {
        clearTimeout(timer);
        ok(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`the server exited (${code}) before listening:\n${out.slice(-2000)}`));
    });
  });
  // Keep draining its output so a chatty server never blocks on a full pipe.
  child.stdout!.resume();
  const pid = child.pid!;
  return {
    base,
    pid,
    dataDir,
    rss: () => {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      return Number(m![1]) * 1024;
    },
    login: (email, password, client, extraForwarded) =>
      fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': extraForwarded === undefined ? client : `${extraForwarded}, ${client}` },
        body: JSON.stringify({ email, password }),
      }),
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((ok) => setTimeout(ok, 10_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      await dropDb?.();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
