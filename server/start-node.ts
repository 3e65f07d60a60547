/**
 * Starts the Node server: reads the environment, opens and migrates the database (embedded SQLite by default),
 * creates the first admin, and serves the API and the web console. entry.node.ts calls it; tests call it too.
 */
import { createThreadedPdfMaker } from './pdf/pdf-thread.ts';
import { openPostgres } from './db/connect-node.ts';
import { nodeMailer } from './notify/smtp-node.ts';
import { readFileSync, writeFileSync, existsSync, mkdirSync, chmodSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { systemClock } from '../core/time.ts';
import { clientAddressBehindProxies, parseIp } from '../core/net/ip.ts';
import { createApp } from './app.ts';
import { useNodeScrypt } from './auth/scrypt-node.ts';
import { createNodeOutboundNet } from './notify/outbound-fetch-node.ts';
import { parseNodeEnv, portalLimitsFromEnv, type NodeEnv } from './config.ts';
import { createSecretBox, parseSecretKey } from './crypto/secret-box.ts';
import { openRealOrDemoDatabase } from './demo/choose-database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { createLogger } from './log.ts';
import { bootstrapAdmin } from './services/users/bootstrap-admin.ts';
import { webConsoleFiles } from './static-node.ts';
import { takingTurns } from './http/turns-node.ts';
import type { AppDeps } from './deps.ts';
import { systemServiceCtx } from './service-ctx.ts';
import { createNodeProvisioner, createSnmpDiscoverer, startInProcessCollector, type InProcessCollector } from './start-node-collector.ts';
import { startJobRunner, type JobRunner } from './jobs/runner-node.ts';
import { startDemo } from './start-node-demo.ts';
import { openDeadLetterFolder } from '../collectors/sinks/dead-letters.ts';
import { startRadius, type RadiusRuntime } from './radius/runtime.ts';

function loadOrCreateKey(env: NodeEnv, log: ReturnType<typeof createLogger>): Uint8Array {
  if (env.JANGKAU_SECRET_KEY !== undefined) return parseSecretKey(env.JANGKAU_SECRET_KEY);
  const file = join(env.JANGKAU_DATA_DIR, 'secret.key');
  if (!existsSync(file)) {
    mkdirSync(env.JANGKAU_DATA_DIR, { recursive: true });
    const key = new Uint8Array(32);
    crypto.getRandomValues(key);
    writeFileSync(file, Buffer.from(key).toString('hex') + '\n', { mode: 0o600 });
    log.warn('JANGKAU_SECRET_KEY is not set: generated a key in the data folder; back it up, or credentials cannot be read');
  }
  chmodSync(file, 0o600);
  return parseSecretKey(readFileSync(file, 'utf8'));
}

/** Issue 10: the data folder (database, secret key, demo file) is the owner's alone: created 0700, tightened if wider. */
function ownerOnlyDataDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if ((statSync(dir).mode & 0o077) !== 0) chmodSync(dir, 0o700);
}

export interface RunningServer {
  port: number;
  /** The collectors polling inside this process; null when JANGKAU_COLLECT=false. */
  collector: InProcessCollector | null;
  /** The RADIUS server inside this process; null unless JANGKAU_RADIUS=true. */
  radius: RadiusRuntime | null;
  /** Issue 11: the background-job runner (always running). */
  jobs: JobRunner;
  close(): Promise<void>;
}

export async function startNodeServer(argv: string[], rawEnv: Record<string, string | undefined>): Promise<RunningServer> {
  const env = parseNodeEnv(rawEnv);
  useNodeScrypt(env.JANGKAU_HASH_CONCURRENCY === undefined ? {} : { concurrency: env.JANGKAU_HASH_CONCURRENCY });
  ownerOnlyDataDir(env.JANGKAU_DATA_DIR);
  const log = createLogger({ quiet: env.LOG_QUIET === true });
  // Demo city (issue 6, server/demo/README.md): on an empty database, unless --no-demo or JANGKAU_DEMO=false, the
  // server runs on its own demo file (<data dir>/demo.db); the configured database is only read, never written.
  const { handle, demoFile } = await openRealOrDemoDatabase(env, argv);
  // A start that fails here (a migration, the secret key, the first admin) closes the database again: the server's
  // Postgres pool is kept full and would otherwise hold its connections for the life of the calling process.
  const closingOnFailure = async <T>(step: () => Promise<T>): Promise<T> => {
    try {
      return await step();
    } catch (err) {
      await handle.close().catch(() => {});
      throw err;
    }
  };
  const applied = await closingOnFailure(() => migrateToLatest(handle.db, handle.dialect));
  if (applied.length > 0) log.info('database migrated', { dialect: handle.dialect, applied });
  const secrets = await closingOnFailure(async () => createSecretBox(loadOrCreateKey(env, log)));
  const admin = await closingOnFailure(() => bootstrapAdmin(handle.db, systemClock, { email: env.JANGKAU_ADMIN_EMAIL, password: env.JANGKAU_ADMIN_PASSWORD }));
  if (admin.created && admin.oneTimePassword !== null) {
    // Printed once, to the operator's terminal only; it must be changed at the first sign-in.
    process.stdout.write(
      `\n  First start: sign in as ${admin.email} with the one-time password ${admin.oneTimePassword}\n` +
        `  (set JANGKAU_ADMIN_EMAIL and JANGKAU_ADMIN_PASSWORD to choose your own)\n\n`,
    );
  } else if (admin.created) {
    log.info('created the first admin', { email: admin.email });
  }
  const discovery = createSnmpDiscoverer();
  // Batches the in-process collector could not store for good are set aside here, readable through the API.
  const deadLetters = await openDeadLetterFolder(join(env.JANGKAU_DATA_DIR, demoFile === null ? 'dead-letters' : 'demo-dead-letters'));
  const hotspots = createNodeProvisioner({ db: handle.db, secrets });
  // Issue 17: lag-tolerant reads (routes with `reads: 'replica'`) go to a streaming replica when one is named.
  const reader = env.DATABASE_READ_URL === undefined || handle.dialect !== 'postgres' ? null : openPostgres(env.DATABASE_READ_URL);
  const deps: AppDeps = {
      getDb: () => handle,
      getReadDb: () => reader,
      discoverer: discovery.discoverer,
      provisioner: hotspots.provisioner,
      mailer: nodeMailer,
      deadLetters,
      // Issue 10: reports are drawn on a worker thread, off the event loop that answers sign-ins and /healthz.
      pdf: createThreadedPdfMaker(log),
      outbound: createNodeOutboundNet(),
      clock: systemClock,
      secrets,
      log,
      clientAddress: (c) => {
        let peer: string;
        try {
          peer = getConnInfo(c).remote.address ?? 'unknown';
        } catch {
          peer = 'unknown';
        }
        if (env.JANGKAU_TRUSTED_PROXIES.length > 0) return clientAddressBehindProxies(peer, c.req.header('x-forwarded-for'), env.JANGKAU_TRUSTED_PROXIES);
        if (env.JANGKAU_TRUST_PROXY === true) {
          // One proxy, the direct peer: the client is the entry it appended (the rightmost), never the leftmost.
          const parsedPeer = parseIp(peer);
          if (parsedPeer !== null) return clientAddressBehindProxies(peer, c.req.header('x-forwarded-for'), [{ version: parsedPeer.version, base: parsedPeer.value, bits: parsedPeer.version === 4 ? 32 : 128, text: peer }]);
        }
        return peer;
      },
      config: {
        trustedOrigins: env.JANGKAU_TRUSTED_ORIGINS,
        cookieSecure: env.JANGKAU_COOKIE_SECURE ?? null,
        sessionDays: env.JANGKAU_SESSION_DAYS,
        tileOrigins: env.JANGKAU_TILE_ORIGINS,
        maxBodyBytes: 1024 * 1024,
        metricsToken: env.JANGKAU_METRICS_TOKEN ?? null,
        cityName: env.JANGKAU_CITY_NAME,
        portalLimits: portalLimitsFromEnv(env),
        development: env.JANGKAU_MODE === 'development',
      },
  };
  const app = createApp(deps, { staticFiles: webConsoleFiles(resolve('web/dist')) });
  // Demo: simulated fleet on loopback + the generated city seeded through the services, before the collector starts.
  const demo = demoFile === null ? null : await startDemo(systemServiceCtx(deps, handle, { requestId: 'demo' }));
  const collect = env.JANGKAU_COLLECT !== false && !argv.includes('--no-collect');
  const collector = collect ? await startInProcessCollector(systemServiceCtx(deps, handle, { requestId: 'collector' }), { deadLetters }) : null;
  // Issue 11: the background-job table (server/jobs/table.ts) runs here whatever JANGKAU_COLLECT says.
  const jobs = startJobRunner(systemServiceCtx(deps, handle, { requestId: 'jobs' }), { tickMs: env.JANGKAU_JOB_TICK_S * 1000 });
  const radius =
    env.JANGKAU_RADIUS === true
      ? await startRadius(systemServiceCtx(deps, handle, { requestId: 'radius' }), { host: env.JANGKAU_RADIUS_HOST, authPort: env.JANGKAU_RADIUS_AUTH_PORT, acctPort: env.JANGKAU_RADIUS_ACCT_PORT })
      : null;
  // Issue 10: a burst of requests starts at most 8 per loop turn, so /healthz and the requests behind it are never
  // held for the whole burst (server/http/turns-node.ts).
  const fetch = takingTurns(app.fetch, (path) => path === '/healthz');
  const server = serve({ fetch, hostname: env.HOST, port: env.PORT });
  await new Promise<void>((ok) => server.once('listening', () => ok()));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : env.PORT;
  log.info('Jangkau is listening', { url: `http://${env.HOST}:${port}`, database: handle.dialect });
  return {
    port,
    collector,
    radius,
    jobs,
    close: async () => {
      await radius?.stop();
      await collector?.stop();
      await demo?.stop();
      await discovery.close();
      await jobs.stop();
      await hotspots.close();
      await new Promise<void>((ok) => server.close(() => ok()));
      await reader?.close();
      await handle.close();
    },
  };
}

