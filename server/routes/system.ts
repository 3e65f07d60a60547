import { sql } from 'kysely';
import { defineRoute, type AnyRoute } from '../http/route.ts';
import { healthOut } from '../../core/schemas/responses.ts';

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
];
