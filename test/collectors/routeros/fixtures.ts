/** Shared set-up for the RouterOS tests: a fake router, a pool pointed at it, and the device target. */
import type { DeviceTarget } from '../../../core/observations.ts';
import { createRouterOsPool, type RouterOSPool, type RouterOSPoolOptions, type RouterOSTransport } from '../../../collectors/routeros/pool.ts';
import type { RouterOSEndpoint } from '../../../collectors/routeros/types.ts';
import { startFakeRouter, type FakeRouter, type FakeRouterOptions } from '../../peers/routeros/fake-router.ts';

export interface Rig {
  router: FakeRouter;
  pool: RouterOSPool;
  target: DeviceTarget;
  endpoint: RouterOSEndpoint;
  close(): Promise<void>;
}

export const TRANSPORTS: Array<{ transport: RouterOSTransport; tls: boolean }> = [
  { transport: 'native', tls: false },
  { transport: 'native', tls: true },
  { transport: 'node-routeros', tls: false },
  { transport: 'node-routeros', tls: true },
];

export function targetOf(router: FakeRouter, overrides: { password?: string; port?: number } = {}): DeviceTarget {
  return {
    deviceId: `ros-${router.host}-${router.port}`,
    address: router.host,
    vendor: 'mikrotik',
    pollIntervalS: 60,
    snmp: null,
    routeros: { username: router.username, password: overrides.password ?? router.password, port: overrides.port ?? router.port, tls: router.tls },
  };
}

export async function startRig(
  opts: { transport: RouterOSTransport; tls: boolean; host?: string; router?: FakeRouterOptions; pool?: RouterOSPoolOptions },
): Promise<Rig> {
  const router = await startFakeRouter({ host: opts.host ?? '127.0.0.3', tls: opts.tls, ...opts.router });
  const pool = createRouterOsPool({
    transport: opts.transport,
    connectTimeoutMs: 1_000,
    commandTimeoutMs: 600,
    keepaliveIntervalMs: 0,
    tlsOptions: router.certPem === null ? undefined : { ca: router.certPem },
    ...opts.pool,
  });
  const target = targetOf(router);
  const endpoint = { host: router.host, port: router.port, tls: router.tls, username: router.username, password: router.password };
  return {
    router,
    pool,
    target,
    endpoint,
    close: async (): Promise<void> => {
      await pool.close();
      await router.close();
    },
  };
}
