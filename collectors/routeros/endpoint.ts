/** The RouterOS endpoint of an inventory device target. */
import type { DeviceTarget } from '../../core/observations.ts';
import { RouterOSError } from './errors.ts';
import type { RouterOSEndpoint } from './types.ts';

export function routerOsEndpoint(target: DeviceTarget): RouterOSEndpoint {
  if (target.routeros === null) throw new RouterOSError('config', `device ${target.deviceId} has no RouterOS credentials`);
  const { username, password, port, tls } = target.routeros;
  return { host: target.address, port, tls, username, password };
}
