/** Public surface of the RouterOS collector. */
export { createRouterOsPool, type RouterOSPool, type RouterOSPoolOptions, type RouterOSPoolStats, type RouterOSTransport } from './pool.ts';
export { pollRouterOsDevice, ROUTEROS_RESOURCES, type PollRouterOsOptions, type RouterOsResource } from './poll-device.ts';
export { kickHotspotActive, upsertHotspotProfile, type HotspotProfileSpec as RouterProfileSpec } from './hotspot-profiles.ts';
export { hotspotActiveLogin, removeHotspotUser, upsertHotspotUser, type HotspotCallOptions, type HotspotLogin, type HotspotUserSpec } from './hotspot-users.ts';
export { routerOsEndpoint } from './endpoint.ts';
export { isRouterOSError, RouterOSError, ROUTEROS_ERROR_KINDS, toPollError, toRouterOSError, type RouterOSErrorKind } from './errors.ts';
export { createNativeClient, NativeRouterOSClient } from './native-client.ts';
export { createNodeRouterosClient, NodeRouterosClient } from './node-routeros-client.ts';
export type { RosCommand, RosReply, RosRow, RouterOSClient, RouterOSClientFactory, RouterOSClientOptions, RouterOSEndpoint, RouterOSTlsOptions } from './types.ts';
export { parseSystemResource } from './system-resource.ts';
export { parseSystemIdentity } from './system-identity.ts';
export { parseInterfaces } from './interfaces.ts';
export { countClientsBySsid, parseWifiRegistrations, parseWirelessRegistrations } from './registration-table.ts';
export { parseHotspotActive } from './hotspot-active.ts';
export { formatRouterOsDuration, normalizeMac, parseRouterOsDuration, parseSignalDbm } from './values.ts';
