/**
 * Cloudflare Workers entry: the same app, with the request's D1 binding as its database. The schema is brought up
 * to date and the first admin created once per isolate, before the first request is served.
 */
import type { D1Database, ExecutionContext } from '@cloudflare/workers-types';
import { systemClock } from '../core/time.ts';
import { createApp, type App } from './app.ts';
import type { AppDeps } from './deps.ts';
import { systemServiceCtx } from './service-ctx.ts';
import { runRollups } from './services/monitoring/rollups.ts';
import { snapshotKpis } from './services/kpis/snapshot.ts';
import { snapshotOpenData } from './services/open-data/datasets.ts';
import { purgePortalData } from './services/portal/citizen-data.ts';
import { createSecretBox, parseSecretKey } from './crypto/secret-box.ts';
import { openD1 } from './db/connect-d1.ts';
import { migrateToLatest } from './db/migrate.ts';
import { createLogger } from './log.ts';
import { bootstrapAdmin } from './services/users/bootstrap-admin.ts';

export interface WorkerEnv {
  DB: D1Database;
  JANGKAU_SECRET_KEY: string;
  JANGKAU_ADMIN_EMAIL?: string;
  JANGKAU_ADMIN_PASSWORD?: string;
  JANGKAU_TRUSTED_ORIGINS?: string;
  /** Issue 15: bearer token for GET /metrics. */
  JANGKAU_METRICS_TOKEN?: string;
  JANGKAU_CITY_NAME?: string;
}

let ready: Promise<App> | null = null;
let depsOf: ((env: WorkerEnv) => AppDeps) | null = null;

async function prepare(env: WorkerEnv): Promise<App> {
  if (env.JANGKAU_SECRET_KEY === undefined || env.JANGKAU_SECRET_KEY === '') {
    throw new Error('JANGKAU_SECRET_KEY is not set: `wrangler secret put JANGKAU_SECRET_KEY` (32 bytes, hex or base64)');
  }
  const log = createLogger();
  const handle = openD1(env.DB);
  await migrateToLatest(handle.db, handle.dialect);
  const admin = await bootstrapAdmin(handle.db, systemClock, { email: env.JANGKAU_ADMIN_EMAIL, password: env.JANGKAU_ADMIN_PASSWORD });
  if (admin.created && admin.oneTimePassword !== null) {
    // Workers have no operator terminal: without JANGKAU_ADMIN_PASSWORD the one-time password goes to the log once.
    log.warn('created the first admin with a one-time password; set JANGKAU_ADMIN_PASSWORD to choose it', { email: admin.email });
    console.log(`first admin ${admin.email} one-time password: ${admin.oneTimePassword}`);
  }
  const secrets = await createSecretBox(parseSecretKey(env.JANGKAU_SECRET_KEY));
  const deps: AppDeps = {
    // Bindings arrive with each request; the handle is made from them, never kept in a module variable.
    getDb: (c) => openD1((c.env as WorkerEnv).DB),
    clock: systemClock,
    secrets,
    log,
    clientAddress: (c) => c.req.header('cf-connecting-ip') ?? 'unknown',
    provisioner: null,
    config: {
      trustedOrigins: (env.JANGKAU_TRUSTED_ORIGINS ?? '').split(',').map((s) => s.trim()).filter((s) => s !== ''),
      cityName: env.JANGKAU_CITY_NAME ?? 'Kota Cilegon',
      metricsToken: env.JANGKAU_METRICS_TOKEN === undefined || env.JANGKAU_METRICS_TOKEN === '' ? null : env.JANGKAU_METRICS_TOKEN,
      cookieSecure: null,
      sessionDays: 30,
      maxBodyBytes: 1024 * 1024,
    },
  };
  depsOf = () => deps;
  return createApp(deps);
}

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    ready ??= prepare(env).catch((err: unknown) => {
      ready = null;
      throw err;
    });
    const app = await ready;
    return app.fetch(request, env, ctx as never);
  },
  /** Cron trigger (wrangler.toml): roll-ups and retention, the KPI snapshot, the personal-data purge. */
  async scheduled(_event: unknown, env: WorkerEnv, ctx: ExecutionContext): Promise<void> {
    ready ??= prepare(env);
    await ready;
    const deps = depsOf!(env);
    const sctx = systemServiceCtx(deps, openD1(env.DB), { requestId: `cron-${Date.now()}` });
    ctx.waitUntil(Promise.allSettled([runRollups(sctx), snapshotKpis(sctx), snapshotOpenData(sctx), purgePortalData(sctx)]));
  },
};
