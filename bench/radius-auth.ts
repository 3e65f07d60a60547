/**
 * RADIUS Access-Request -> Access-Accept for vouchers: Jangkau's RADIUS server (`npm run radius` as its own process,
 * on SQLite and on Postgres) side by side with Debian's FreeRADIUS 3 answering the same load from PostgreSQL through
 * rlm_sql (authorize: radcheck/radreply/group look-ups; post-auth: the radpostauth insert), with the same number of
 * users. FreeRADIUS runs as a non-default instance from its own config directory in a temp folder, on loopback ports
 * chosen here; the system service is never touched. The load generator (this process) is the same for all three:
 * PAP with Message-Authenticator, one Calling-Station-Id per user, a fixed number of requests in flight, closed loop.
 * Runs alternate (FreeRADIUS, Jangkau SQLite, Jangkau Postgres) for several rounds; medians are reported, each as a
 * ratio to FreeRADIUS of the same round.
 *
 *   npx tsx bench/radius-auth.ts [seconds=8] [concurrency=32] [users=1000] [rounds=3]
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { existsSync, mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { systemClock } from '../core/time.ts';
import { createSecretBox } from '../server/crypto/secret-box.ts';
import { newId } from '../server/crypto/random.ts';
import { openDatabase } from '../server/db/connect-node.ts';
import { insertDevice } from '../server/db/devices.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { insertPortalHotspot } from '../server/portal/queries/hotspots.ts';
import { portalDb } from '../server/portal/queries/types.ts';
import { silentLogger } from '../server/log.ts';
import { createRadiusClient } from '../server/radius/clients.ts';
import { STANDARD } from '../server/radius/protocol/dictionary.ts';
import { attr, CODE, encodeRequest } from '../server/radius/protocol/packet.ts';
import { systemServiceCtx } from '../server/service-ctx.ts';
import { createVoucherBatch } from '../server/portal/services/vouchers.ts';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const SECONDS = Number(args[0] ?? 8);
const CONCURRENCY = Number(args[1] ?? 32);
const USERS = Number(args[2] ?? 1000);
const ROUNDS = Number(args[3] ?? 3);
const SECRET = 'bench-shared-secret-1';
const KEY_HEX = '5'.repeat(64);
const PG_ADMIN = 'postgres://postgres@127.0.0.1:5432/postgres';
const FR_DB = 'radius_bench';
const JK_DB = 'jangkau_radius_bench';

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** FreeRADIUS server packages, installed as root with apt-get when missing, with service starts refused meanwhile. */
function ensureFreeRadius(): void {
  if (existsSync('/usr/sbin/freeradius') && existsSync('/usr/lib/freeradius/rlm_sql_postgresql.so')) return;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root) throw new Error('FreeRADIUS is not installed: apt-get install freeradius freeradius-postgresql (as root), then run again');
  const policy = '/usr/sbin/policy-rc.d';
  const ours = !existsSync(policy);
  // Installing must not start the system's FreeRADIUS on 1812/1813.
  if (ours) writeFileSync(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'freeradius', 'freeradius-postgresql'], { stdio: 'inherit', env });
  } finally {
    if (ours) unlinkSync(policy);
  }
}

async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((ok) => s.bind(0, '127.0.0.1', () => ok()));
  const port = s.address().port;
  await new Promise<void>((ok) => s.close(() => ok()));
  return port;
}

async function recreateDatabase(name: string): Promise<void> {
  const c = new pg.Client({ connectionString: PG_ADMIN });
  await c.connect();
  await c.query(`drop database if exists ${name}`);
  await c.query(`create database ${name}`);
  await c.end();
}

async function dropDatabase(name: string): Promise<void> {
  const c = new pg.Client({ connectionString: PG_ADMIN });
  await c.connect();
  await c.query(`drop database if exists ${name}`);
  await c.end();
}

function freeRadiusConfig(dir: string, port: number): void {
  mkdirSync(join(dir, 'log'), { recursive: true });
  mkdirSync(join(dir, 'run'), { recursive: true });
  writeFileSync(join(dir, 'dictionary'), '# local dictionary: none\n');
  writeFileSync(
    join(dir, 'radiusd.conf'),
    `prefix = /usr
exec_prefix = /usr
sysconfdir = /etc
localstatedir = /var
sbindir = /usr/sbin
logdir = ${dir}/log
raddbdir = ${dir}
radacctdir = ${dir}/log
name = radiusd
confdir = ${dir}
modconfdir = /etc/freeradius/3.0/mods-config
run_dir = ${dir}/run
db_dir = ${dir}
libdir = /usr/lib/freeradius
pidfile = ${dir}/run/radiusd.pid
max_request_time = 30
cleanup_delay = 5
max_requests = 65536
hostname_lookups = no
log {
  destination = stdout
  auth = no
}
security {
  allow_core_dumps = no
  max_attributes = 200
  reject_delay = 0
  status_server = yes
}
thread pool {
  start_servers = 8
  max_servers = 32
  min_spare_servers = 4
  max_spare_servers = 16
  max_requests_per_server = 0
}
client bench {
  ipaddr = 127.0.0.1
  secret = ${SECRET}
  require_message_authenticator = yes
}
modules {
  pap {
    normalise = yes
  }
  expr {
  }
  chap {
  }
  sql {
    dialect = "postgresql"
    driver = "rlm_sql_postgresql"
    server = "127.0.0.1"
    port = 5432
    login = "postgres"
    password = ""
    radius_db = "${FR_DB}"
    acct_table1 = "radacct"
    acct_table2 = "radacct"
    postauth_table = "radpostauth"
    authcheck_table = "radcheck"
    groupcheck_table = "radgroupcheck"
    authreply_table = "radreply"
    groupreply_table = "radgroupreply"
    usergroup_table = "radusergroup"
    read_groups = yes
    read_clients = no
    client_table = "nas"
    group_attribute = "SQL-Group"
    pool {
      start = 16
      min = 16
      max = 32
      spare = 16
      uses = 0
      retry_delay = 30
      lifetime = 0
      idle_timeout = 60
    }
    $INCLUDE \${modconfdir}/\${.:name}/main/\${dialect}/queries.conf
  }
}
server default {
  listen {
    type = auth
    ipaddr = 127.0.0.1
    port = ${port}
  }
  authorize {
    sql
    chap
    pap
  }
  authenticate {
    Auth-Type PAP {
      pap
    }
    Auth-Type CHAP {
      chap
    }
  }
  post-auth {
    sql
  }
}
`,
  );
}

/** The FreeRADIUS users: the same codes as Jangkau's vouchers, with the same reply (Session-Timeout, rate limit). */
async function seedFreeRadius(codes: readonly string[]): Promise<void> {
  await recreateDatabase(FR_DB);
  execFileSync('psql', ['-q', '-h', '127.0.0.1', '-U', 'postgres', '-d', FR_DB, '-f', '/etc/freeradius/3.0/mods-config/sql/main/postgresql/schema.sql'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const c = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:5432/${FR_DB}` });
  await c.connect();
  for (let i = 0; i < codes.length; i += 200) {
    const slice = codes.slice(i, i + 200);
    await c.query(`insert into radcheck (username, attribute, op, value) select u, 'Cleartext-Password', ':=', u from unnest($1::text[]) as u`, [slice]);
    await c.query(`insert into radreply (username, attribute, op, value) select u, 'Session-Timeout', ':=', '14400' from unnest($1::text[]) as u`, [slice]);
    await c.query(`insert into radreply (username, attribute, op, value) select u, 'Mikrotik-Rate-Limit', ':=', '2M/5M' from unnest($1::text[]) as u`, [slice]);
  }
  await c.query('analyze');
  await c.end();
}

/** A Jangkau database with one hotspot, one NAS client (127.0.0.1) and `USERS` vouchers; returns the codes. */
async function seedJangkau(url: string): Promise<string[]> {
  const handle = openDatabase(url);
  await migrateToLatest(handle.db, handle.dialect);
  const secrets = await createSecretBox(Buffer.from(KEY_HEX, 'hex'));
  const ctx = systemServiceCtx({ clock: systemClock, secrets, log: silentLogger, config: { trustedOrigins: [], cookieSecure: null, sessionDays: 30, maxBodyBytes: 1 << 20 } }, handle, { requestId: 'bench' });
  const at = new Date().toISOString();
  const deviceId = newId();
  const hotspotId = newId();
  await insertDevice(handle.db, {
    id: deviceId, site_id: null, name: 'hs-bench', role: 'router', vendor: 'mikrotik', model: null, address: '127.0.0.1', snmp_port: null, snmp_version: null,
    routeros_port: 8728, routeros_tls: 0, routeros_username: null, secrets_sealed: null, poll_interval_s: 60, enabled: 1, coverage: null, created_at: at, updated_at: at,
  });
  await insertPortalHotspot(handle.db, {
    id: hotspotId, device_id: deviceId, identity: 'hs-bench', server_name: null, server_address: '10.5.50.1', login_mode: 'form', methods: JSON.stringify(['voucher']), user_profile: null,
    rate_limit: '2M/5M', terms_session_s: 3600, signed_session_s: 14_400, daily_time_s: 14_400, daily_bytes: 0, max_devices: 2, enabled: 1, created_at: at, updated_at: at,
  });
  await createRadiusClient(ctx, { name: 'bench', address: '127.0.0.1', secret: SECRET, vendor: 'mikrotik', hotspotId, requireMessageAuthenticator: true, macAuthDays: 0, idleTimeoutS: 900, interimS: 300, coaPort: 3799, enabled: true });
  const codes: string[] = [];
  for (let made = 0; made < USERS; made += 1000) {
    const batch = await createVoucherBatch(ctx, { name: `bench ${made}`, count: Math.min(1000, USERS - made), hotspotId, validityS: 86_400, timeQuotaS: 14_400, dataQuotaBytes: 0, expiresInDays: 30, ssid: null, priceIdr: null, loginHost: null });
    const rows = await portalDb(handle.db).selectFrom('portal_vouchers').select('code_sealed').where('batch_id', '=', batch.id as string).orderBy('seq').execute();
    for (const r of rows) codes.push(await secrets.open(r.code_sealed, 'portal-voucher-code'));
  }
  await handle.close();
  return codes;
}

function startJangkau(url: string, dataDir: string, port: number, acctPort: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '..', 'server', 'radius', 'main.ts')], {
    env: { ...process.env, DATABASE_URL: url, JANGKAU_SECRET_KEY: KEY_HEX, JANGKAU_DATA_DIR: dataDir, JANGKAU_RADIUS_HOST: '127.0.0.1', JANGKAU_RADIUS_AUTH_PORT: String(port), JANGKAU_RADIUS_ACCT_PORT: String(acctPort), LOG_QUIET: 'true' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`Jangkau RADIUS did not start: ${out}`)), 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('RADIUS listening')) {
        clearTimeout(timer);
        ok(child);
      }
    });
    child.once('exit', (code) => fail(new Error(`Jangkau RADIUS exited ${code}: ${out}`)));
  });
}

function startFreeRadius(dir: string): Promise<ChildProcess> {
  const child = spawn('/usr/sbin/freeradius', ['-f', '-d', dir, '-l', 'stdout'], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`FreeRADIUS did not start: ${out}`)), 30_000);
    const on = (d: Buffer): void => {
      out += d.toString();
      if (/Ready to process requests/.test(out)) {
        clearTimeout(timer);
        ok(child);
      }
    };
    child.stdout!.on('data', on);
    child.stderr!.on('data', on);
    child.once('exit', (code) => fail(new Error(`FreeRADIUS exited ${code}: ${out}`)));
  });
}

interface LoadResult {
  accepts: number;
  rejects: number;
  lost: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/** Closed-loop load: CONCURRENCY requests in flight over 4 sockets for `seconds`; the users taken round-robin. */
async function load(port: number, codes: readonly string[], seconds: number, maxRequests = Number.POSITIVE_INFINITY): Promise<LoadResult> {
  const secret = Buffer.from(SECRET);
  const sockets: Socket[] = [];
  const pending = new Map<string, { t0: bigint; done: (ok: boolean | null) => void }>();
  for (let i = 0; i < 4; i++) {
    const s = createSocket('udp4');
    await new Promise<void>((ok) => s.bind(0, '127.0.0.1', () => ok()));
    const sport = s.address().port;
    s.on('message', (m) => {
      const key = `${sport}|${m[1]}`;
      const p = pending.get(key);
      if (p === undefined) return;
      pending.delete(key);
      p.done(m[0] === CODE.AccessAccept);
    });
    sockets.push(s);
  }
  const latencies: number[] = [];
  let accepts = 0;
  let rejects = 0;
  let lost = 0;
  let next = 0;
  const ids = sockets.map(() => 0);
  const end = Date.now() + seconds * 1000;
  const worker = async (w: number): Promise<void> => {
    const si = w % sockets.length;
    const s = sockets[si]!;
    const sport = s.address().port;
    while (Date.now() < end && next < maxRequests) {
      const user = codes[next++ % codes.length]!;
      const id = (ids[si] = (ids[si]! + 1) % 256);
      const mac = `02-00-00-${((next % codes.length) >> 16).toString(16).padStart(2, '0')}-${(((next % codes.length) >> 8) & 255).toString(16).padStart(2, '0')}-${((next % codes.length) & 255).toString(16).padStart(2, '0')}`;
      const packet = encodeRequest(CODE.AccessRequest, id, [attr.string(STANDARD.UserName.type, user), attr.string(STANDARD.CallingStationId.type, mac), attr.ipv4(STANDARD.NasIpAddress.type, '127.0.0.1')], secret, { password: user });
      const t0 = process.hrtime.bigint();
      const outcome = await new Promise<boolean | null>((done) => {
        const key = `${sport}|${id}`;
        const timer = setTimeout(() => {
          pending.delete(key);
          done(null);
        }, 3000);
        pending.set(key, { t0, done: (ok) => (clearTimeout(timer), done(ok)) });
        s.send(packet, port, '127.0.0.1');
      });
      if (outcome === null) lost++;
      else {
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (outcome) accepts++;
        else rejects++;
      }
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, w) => worker(w)));
  const elapsed = (Date.now() - started) / 1000;
  for (const s of sockets) s.close();
  latencies.sort((a, b) => a - b);
  const q = (p: number): number => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
  return { accepts, rejects, lost, perSecond: accepts / elapsed, p50Ms: q(0.5), p99Ms: q(0.99) };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  ensureFreeRadius();
  const dir = mkdtempSync(join(tmpdir(), 'jk-radius-bench-'));
  const children: ChildProcess[] = [];
  try {
    log(`users ${USERS}, ${CONCURRENCY} in flight, ${SECONDS} s per run, ${ROUNDS} rounds; shared 2-core machine`);
    const sqliteUrl = join(dir, 'jangkau.db');
    const codes = await seedJangkau(sqliteUrl);
    await recreateDatabase(JK_DB);
    const pgUrl = `postgres://postgres@127.0.0.1:5432/${JK_DB}`;
    const pgCodes = await seedJangkau(pgUrl);
    await seedFreeRadius(codes);
    const frPort = await freeUdpPort();
    freeRadiusConfig(join(dir, 'freeradius'), frPort);
    const fr = await startFreeRadius(join(dir, 'freeradius'));
    children.push(fr);
    const jkPort = await freeUdpPort();
    const jk = await startJangkau(sqliteUrl, dir, jkPort, await freeUdpPort());
    children.push(jk);
    const jkPgPort = await freeUdpPort();
    const jkPg = await startJangkau(pgUrl, dir, jkPgPort, await freeUdpPort());
    children.push(jkPg);

    // Warm-up: every voucher's first use (Jangkau redeems it: citizen, voucher, grant rows), FreeRADIUS's caches.
    for (const [name, port, list] of [['FreeRADIUS', frPort, codes], ['Jangkau SQLite', jkPort, codes], ['Jangkau Postgres', jkPgPort, pgCodes]] as const) {
      const w = await load(port, list, 600, list.length);
      log(`first use of every user, ${name}: ${w.accepts} accepts (${w.rejects} rejects, ${w.lost} lost), ${w.perSecond.toFixed(0)}/s, p99 ${w.p99Ms.toFixed(1)} ms`);
    }
    const rows: Record<string, LoadResult[]> = { FreeRADIUS: [], 'Jangkau SQLite': [], 'Jangkau Postgres': [] };
    for (let r = 0; r < ROUNDS; r++) {
      rows.FreeRADIUS!.push(await load(frPort, codes, SECONDS));
      rows['Jangkau SQLite']!.push(await load(jkPort, codes, SECONDS));
      rows['Jangkau Postgres']!.push(await load(jkPgPort, pgCodes, SECONDS));
      log(`round ${r + 1}: ${Object.entries(rows).map(([k, v]) => `${k} ${v.at(-1)!.perSecond.toFixed(0)}/s p99 ${v.at(-1)!.p99Ms.toFixed(1)} ms`).join(' | ')}`);
    }
    log('\n| server | accepts/s (median) | ratio to FreeRADIUS | p50 ms | p99 ms | rejects | lost |');
    log('|---|---|---|---|---|---|---|');
    const base = rows.FreeRADIUS!.map((x) => x.perSecond);
    for (const [name, list] of Object.entries(rows)) {
      const ratios = list.map((x, i) => x.perSecond / base[i]!);
      log(
        `| ${name} | ${median(list.map((x) => x.perSecond)).toFixed(0)} | ${median(ratios).toFixed(2)} | ${median(list.map((x) => x.p50Ms)).toFixed(2)} | ${median(list.map((x) => x.p99Ms)).toFixed(2)} | ${list.reduce((n, x) => n + x.rejects, 0)} | ${list.reduce((n, x) => n + x.lost, 0)} |`,
      );
    }
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await new Promise((ok) => setTimeout(ok, 500));
    await dropDatabase(FR_DB).catch(() => undefined);
    await dropDatabase(JK_DB).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    spawnSync('true');
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
