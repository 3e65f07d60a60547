import { z } from 'zod';
import { AppError } from '../../core/errors.ts';
import { sealForToken } from '../../core/token-seal.ts';
import { defineRoute, type AnyRoute } from '../http/route.ts';
import { claimLeases, listCollectors } from '../services/monitoring/leases.ts';

const ENGINEERS = ['admin', 'engineer'] as const;

const leaseBody = z.object({
  collectorId: z.string().min(1).max(64).regex(/^[A-Za-z0-9._-]+$/),
  group: z.string().min(1).max(64).regex(/^[A-Za-z0-9._-]+$/).default('default'),
  ttlMs: z.number().int().min(2000).max(600_000).default(30_000),
  /** The `version` of the last answer applied: the answer then holds only what changed since (issue 17). */
  since: z.number().int().min(0).optional(),
});

export const leaseAnswerOut = z.object({
  sealedTargets: z.string(),
  devices: z.number().int(),
  group: z.string(),
  expiresMs: z.number(),
  share: z.number().int(),
  collectorsAlive: z.number().int(),
  /** `full`: the sealed list is every device held; `changes`: only those taken or changed since `since`. */
  mode: z.enum(['full', 'changes']),
  version: z.number(),
  /** In `changes` mode: every device id held now (no credentials); the collector drops the targets of others. */
  ids: z.array(z.string()).optional(),
});

export const collectorListOut = z.object({
  items: z.array(
    z.object({
      name: z.string(),
      group: z.string().nullable(),
      lastSeen: z.string(),
      lastSeenMs: z.number(),
      devicesHeld: z.number().int(),
      state: z.enum(['alive', 'stale', 'fixed']),
    }),
  ),
});

/** Issue 17: collectors of a group share its devices through leases kept in the database. */
export const collectorRoutes: AnyRoute[] = [
  defineRoute({
    method: 'post',
    path: '/api/v1/collector/leases',
    scope: 'province',
    access: ENGINEERS,
    summary: "A collector of a group renews its device leases and takes its share of the group's free devices; answers its devices, credentials sealed to the calling token (bearer tokens only)",
    tag: 'monitoring',
    body: { kind: 'json', schema: leaseBody },
    response: leaseAnswerOut,
    handler: async ({ c, ctx, body }) => {
      const token = /^Bearer\s+(\S+)/i.exec(c.req.header('authorization') ?? '')?.[1];
      if (ctx.actor?.via !== 'token' || token === undefined) throw new AppError('bad_request', 'collectors ask for leases with a personal API token (Authorization: Bearer jk_...)');
      const r = await claimLeases(ctx, body);
      return {
        sealedTargets: await sealForToken(token, JSON.stringify({ targets: r.targets })),
        devices: r.ids?.length ?? r.targets.length, group: r.group, expiresMs: r.expiresMs, share: r.share, collectorsAlive: r.collectorsAlive,
        mode: r.mode, version: r.version, ...(r.ids === undefined ? {} : { ids: r.ids }),
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/collectors',
    scope: 'province',
    access: 'staff',
    summary: 'Collectors: name, group, last seen, devices held now (leases), and whether they are alive',
    tag: 'monitoring',
    response: collectorListOut,
    handler: async ({ ctx }) => listCollectors(ctx),
  }),
];
