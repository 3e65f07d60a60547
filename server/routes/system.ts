import { sql } from 'kysely';
import { defineRoute, type AnyRoute } from '../http/route.ts';
import { healthOut, jobsOut } from '../../core/schemas/responses.ts';
import { isoAt } from '../../core/time.ts';
import { listJobRuns } from '../db/job-runs.ts';
import { BACKGROUND_JOBS } from '../jobs/table.ts';
import { z } from 'zod';
import { getOutboundPolicy, setOutboundPolicy } from '../services/settings/outbound.ts';

const outboundPolicyOut = z.object({ allowPrivate: z.boolean() });
const outboundPolicyBody = z.object({ allowPrivate: z.boolean() }).strict();

export const VERSION = '0.1.0';

export const systemRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/healthz',
    access: 'public',
    summary: 'Liveness and database reachability',
    tag: 'system',
    response: healthOut, handler: async ({ c, ctx }) => {
      const t0 = Date.now();
      try {
        await sql`select 1`.execute(ctx.db);
        return { status: 'ok', version: VERSION, database: ctx.dialect, dbLatencyMs: Date.now() - t0 };
      } catch {
        return c.json({ status: 'degraded', version: VERSION, database: ctx.dialect }, 503);
      }
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/system/jobs',
    scope: 'province',
    access: ['admin', 'engineer'],
    summary: 'The background jobs (roll-ups, sweeps, snapshots, purge): period and last run of each, whichever process ran it',
    tag: 'system',
    response: jobsOut, handler: async ({ ctx }) => {
      const runs = new Map((await listJobRuns(ctx.db)).map((r) => [r.name, r]));
      const iso = (ms: number | null | undefined): string | null => (ms == null ? null : isoAt(ms));
      return {
        items: BACKGROUND_JOBS.map((j) => {
          const r = runs.get(j.name);
          return {
            name: j.name,
            periodS: j.periodMs / 1000,
            runs: r?.runs ?? 0,
            lastStartedAt: iso(r?.last_started_ms),
            lastFinishedAt: iso(r?.last_finished_ms),
            lastOk: r?.last_ok == null ? null : r.last_ok === 1,
            lastError: r?.last_error ?? null,
            lastRunner: r?.last_runner ?? null,
          };
        }),
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/settings/outbound',
    scope: 'province',
    access: ['admin'],
    summary: 'Outbound-URL policy: may alert channels, webhooks and the SMS gateway reach loopback and private networks',
    description:
      'Link-local (169.254.0.0/16, fe80::/10) and cloud metadata addresses are always refused; loopback (127.0.0.0/8, ::1) and private ranges (RFC 1918, 100.64.0.0/10, fc00::/7) only when allowPrivate is true. Names are resolved and every address checked again at send time.',
    tag: 'system',
    response: outboundPolicyOut,
    handler: async ({ ctx }) => getOutboundPolicy(ctx),
  }),
  defineRoute({
    method: 'put',
    path: '/api/v1/settings/outbound',
    scope: 'province',
    access: ['admin'],
    summary: 'Allow or refuse loopback and private networks for outbound URLs (audited)',
    tag: 'system',
    body: { kind: 'json', schema: outboundPolicyBody },
    response: outboundPolicyOut,
    handler: async ({ ctx, body }) => setOutboundPolicy(ctx, body),
  }),
];
