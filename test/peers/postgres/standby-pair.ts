/**
 * A primary and a hot standby of our own, as two local Postgres 15 clusters in a temporary folder: initdb, the
 * primary started on a free loopback port with replication allowed from 127.0.0.1, pg_basebackup -R for the standby,
 * which then streams from it. Run as the `postgres` system user (initdb refuses root). stop() ends both by pg_ctl.
 * The shared cluster on 5432 is not touched.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The newest installed server's programs (Debian: /usr/lib/postgresql/<major>/bin), where initdb lives. */
const BIN = (() => {
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(a) - Number(b)) : [];
  if (majors.length === 0) throw new Error(`no Postgres server programs under ${root} (the replica test needs initdb and pg_basebackup: apt-get install postgresql)`);
  return join(root, majors.at(-1)!, 'bin');
})();

export interface StandbyPair {
  primaryUrl: string;
  standbyUrl: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function asPostgres(cmd: string, args: string[]): string {
  const asRoot = process.getuid?.() === 0;
  const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(BIN, cmd), ...args]] : [join(BIN, cmd), args];
  return execFileSync(file, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
}

export async function startStandbyPair(): Promise<StandbyPair> {
  const dir = mkdtempSync(join(tmpdir(), 'jangkau-pg-pair-'));
  chmodSync(dir, 0o755);
  const pwUid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const pwGid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  if (process.getuid?.() === 0) chownSync(dir, pwUid, pwGid);
  const primary = join(dir, 'primary');
  const standby = join(dir, 'standby');
  const [pPort, sPort] = [await freePort(), await freePort()];
  let started: string[] = [];
  const stop = async (): Promise<void> => {
    for (const d of started.reverse()) {
      try {
        asPostgres('pg_ctl', ['-D', d, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // already down
      }
    }
    started = [];
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    asPostgres('initdb', ['-D', primary, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
    appendFileSync(primary + '/postgresql.conf', `\nport = ${pPort}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '${dir}'\nwal_level = replica\nmax_wal_senders = 4\nfsync = off\n`);
    appendFileSync(primary + '/pg_hba.conf', '\nhost replication all 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 trust\n');
    asPostgres('pg_ctl', ['-D', primary, '-l', join(dir, 'primary.log'), '-w', 'start']);
    started.push(primary);
    asPostgres('pg_basebackup', ['-h', '127.0.0.1', '-p', String(pPort), '-U', 'postgres', '-D', standby, '-R', '-X', 'stream', '--no-sync']);
    appendFileSync(standby + '/postgresql.conf', `\nport = ${sPort}\nhot_standby = on\n`);
    asPostgres('pg_ctl', ['-D', standby, '-l', join(dir, 'standby.log'), '-w', 'start']);
    started.push(standby);
  } catch (error) {
    await stop();
    throw new Error(`could not start a primary and a hot standby: ${(error as { stderr?: string }).stderr ?? String(error)}`);
  }
  return { primaryUrl: `postgres://postgres@127.0.0.1:${pPort}/postgres`, standbyUrl: `postgres://postgres@127.0.0.1:${sPort}/postgres`, stop };
}
