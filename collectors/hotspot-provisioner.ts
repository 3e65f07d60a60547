/**
 * The Node HotspotProvisioner for the captive portal, over the RouterOS client (collectors/routeros): a hotspot user
 * is added or updated, removed, or a host logged in with /ip/hotspot/active/login. `resolveTarget` turns the inventory
 * device id into a DeviceTarget with its credentials opened (the server passes a function over its database; an
 * on-premises collector uses its own device list). Every call runs under the given deadline.
 *
 * `runPortalProvisionJobs` is the on-premises side of queued provisioning (Workers deployments): it claims jobs from
 * the server with an API token, carries them out with the same provisioner and reports each result.
 */
import type { HotspotProvisioner } from '../core/hotspot.ts';
import type { DeviceTarget } from '../core/observations.ts';
import type { ProvisionJobPayload } from '../core/schemas/portal.ts';
import { hotspotActiveLogin, kickHotspotActive, removeHotspotUser, routerOsEndpoint, RouterOSError, upsertHotspotProfile, upsertHotspotUser, type RouterOSPool } from './routeros/index.ts';
import { parseRouterOsDuration } from './routeros/values.ts';

export interface RouterOsProvisionerOptions {
  pool: RouterOSPool;
  resolveTarget(deviceId: string): Promise<DeviceTarget>;
}

export function createRouterOsHotspotProvisioner(options: RouterOsProvisionerOptions): HotspotProvisioner {
  const endpointOf = async (deviceId: string) => routerOsEndpoint(await options.resolveTarget(deviceId));
  return {
    async upsertUser(router, user, opts) {
      const limitUptimeS = user.limitUptime === undefined ? undefined : parseRouterOsDuration(user.limitUptime);
      // Never create a user without the limit we were asked for.
      if (limitUptimeS === null) throw new RouterOSError('config', `limitUptime "${user.limitUptime}" is not a RouterOS duration`);
      await upsertHotspotUser(
        options.pool,
        await endpointOf(router.deviceId),
        {
          name: user.name,
          password: user.password,
          ...(user.profile === undefined ? {} : { profile: user.profile }),
          ...(limitUptimeS === undefined ? {} : { limitUptimeS }),
          ...(user.limitBytesTotal === undefined ? {} : { limitBytesTotal: BigInt(user.limitBytesTotal) }),
          ...(user.macAddress === undefined ? {} : { macAddress: user.macAddress }),
          ...(user.comment === undefined ? {} : { comment: user.comment }),
        },
        { timeoutMs: opts.deadlineMs },
      );
    },
    async activeLogin(router, login, opts) {
      await hotspotActiveLogin(options.pool, await endpointOf(router.deviceId), { user: login.user, password: login.password, macAddress: login.mac, ip: login.ip }, { timeoutMs: opts.deadlineMs });
    },
    async removeUser(router, name, opts) {
      await removeHotspotUser(options.pool, await endpointOf(router.deviceId), name, { timeoutMs: opts.deadlineMs });
    },
    async upsertProfile(router, profile, opts) {
      await upsertHotspotProfile(options.pool, await endpointOf(router.deviceId), profile, { timeoutMs: opts.deadlineMs });
    },
    async kickActive(router, match, opts) {
      return kickHotspotActive(options.pool, await endpointOf(router.deviceId), match, { timeoutMs: opts.deadlineMs });
    },
  };
}

export interface PortalJobRunOptions {
  /** The server, e.g. https://jangkau.cilegon.go.id */
  baseUrl: string;
  /** An API token (jk_...) of an engineer or admin account kept for this collector. */
  token: string;
  collector: string;
  provisioner: HotspotProvisioner;
  /** Only jobs for these routers (the ones this collector reaches). */
  deviceIds?: string[];
  max?: number;
  deadlineMs?: number;
  fetchFn?: typeof fetch;
}

interface ClaimedJob {
  id: string;
  deviceId: string;
  job: ProvisionJobPayload;
}

/** One round: claim, carry out, report. Never throws for a failing router: that is reported as the job's result. */
export async function runPortalProvisionJobs(options: PortalJobRunOptions): Promise<{ done: number; failed: number }> {
  const fetchFn = options.fetchFn ?? fetch;
  const headers = { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' };
  const res = await fetchFn(`${options.baseUrl}/api/v1/portal/provision-jobs/claim`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ collector: options.collector, max: options.max ?? 20, ...(options.deviceIds === undefined ? {} : { deviceIds: options.deviceIds }) }),
    signal: AbortSignal.timeout(10_000),
  });
  if (res.status !== 200) throw new Error(`claiming portal jobs failed: HTTP ${res.status}`);
  const { jobs } = (await res.json()) as { jobs: ClaimedJob[] };
  let done = 0;
  let failed = 0;
  const deadlineMs = options.deadlineMs ?? 5000;
  for (const j of jobs) {
    const router = { deviceId: j.deviceId };
    let error: string | null = null;
    try {
      if (j.job.kind === 'upsert_user') {
        const u = j.job.user;
        await options.provisioner.upsertUser(
          router,
          {
            name: u.name,
            password: u.password,
            ...(u.profile === undefined ? {} : { profile: u.profile }),
            ...(u.limitUptimeS === undefined ? {} : { limitUptime: `${u.limitUptimeS}s` }),
            ...(u.limitBytesTotal === undefined ? {} : { limitBytesTotal: u.limitBytesTotal }),
            ...(u.macAddress === undefined ? {} : { macAddress: u.macAddress }),
            ...(u.comment === undefined ? {} : { comment: u.comment }),
          },
          { deadlineMs },
        );
      } else if (j.job.kind === 'active_login') await options.provisioner.activeLogin(router, j.job.login, { deadlineMs });
      else if (j.job.kind === 'upsert_profile') await options.provisioner.upsertProfile(router, j.job.profile, { deadlineMs });
      else if (j.job.kind === 'kick_active') await options.provisioner.kickActive(router, j.job.match, { deadlineMs });
      else await options.provisioner.removeUser(router, j.job.name, { deadlineMs });
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    }
    if (error === null) done++;
    else failed++;
    const r = await fetchFn(`${options.baseUrl}/api/v1/portal/provision-jobs/${encodeURIComponent(j.id)}/result`, {
      method: 'POST',
      headers,
      body: JSON.stringify(error === null ? { ok: true } : { ok: false, error: error.slice(0, 500) }),
      signal: AbortSignal.timeout(10_000),
    });
    await r.body?.cancel().catch(() => undefined);
  }
  return { done, failed };
}
