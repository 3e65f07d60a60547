/**
 * Issue 14: on Workers the cron trigger also clears the hotspot users of ended grants from the routers - it cannot
 * reach them, so it queues removal jobs that the on-premises collector claims. The Worker's own `scheduled` handler
 * runs here against a real D1 binding (wrangler's getPlatformProxy, local mode).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPlatformProxy } from 'wrangler';
import type { D1Database, ExecutionContext } from '@cloudflare/workers-types';
import worker from '../../server/entry.worker.ts';
import { openD1 } from '../../server/db/connect-d1.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { portalDb } from '../../server/portal/queries/types.ts';
import { seedHotspot } from '../portal/helpers.ts';

describe('the Worker cron sweeps hotspot users of ended grants', () => {
  let proxy: Awaited<ReturnType<typeof getPlatformProxy<{ DB: D1Database }>>>;
  beforeAll(async () => {
    proxy = await getPlatformProxy<{ DB: D1Database }>({ persist: false });
  }, 60_000);
  afterAll(async () => proxy?.dispose());

  it('queues a removal job per ended grant and marks the grant', { timeout: 180_000 }, async () => {
    const handle = openD1(proxy.env.DB);
    await migrateToLatest(handle.db, handle.dialect);
    const h = await seedHotspot(handle);
    const p = portalDb(handle.db);
    const now = Date.now();
    const grant = (id: string, expiresAt: number) => ({
      id, citizen_id: `c-${id}`, hotspot_id: h.hotspotId, method: 'terms', hotspot_user: `jk-${id}`, device_key: `d-${id}`, day: '2026-12-05',
      granted_at: expiresAt - 3_600_000, expires_at: expiresAt, limit_uptime_s: 3600, limit_bytes: 0, user_removed: 0,
    });
    await p.insertInto('portal_grants').values([grant('ended', now - 2 * 3_600_000), grant('running', now + 3_600_000)]).execute();

    const waits: Promise<unknown>[] = [];
    const ctx = { waitUntil: (pr: Promise<unknown>) => void waits.push(pr), passThroughOnException: () => undefined } as unknown as ExecutionContext;
    await worker.scheduled(undefined, { DB: proxy.env.DB, JANGKAU_SECRET_KEY: 'cd'.repeat(32) }, ctx);
    await Promise.all(waits);

    const jobs = await p.selectFrom('portal_provision_jobs').selectAll().execute();
    expect(jobs.map((j) => [j.kind, j.device_id, j.status])).toEqual([['remove_user', h.deviceId, 'queued']]);
    const flags = await p.selectFrom('portal_grants').select(['id', 'user_removed']).orderBy('id').execute();
    expect(flags.map((f) => [f.id, Number(f.user_removed)])).toEqual([['ended', 1], ['running', 0]]);
  });
});
