import { demoInfo } from '../../core/schemas/demo.ts';
import { demoInfoOf } from '../demo/demo-flag.ts';
import { defineRoute, type AnyRoute } from '../http/route.ts';

export const demoRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/api/v1/demo',
    access: 'public',
    summary: 'Whether the demo city is running (its own database, never mixed with real data) and how to turn it off',
    tag: 'system',
    response: demoInfo,
    handler: async ({ ctx }) => demoInfoOf(ctx.db),
  }),
];
