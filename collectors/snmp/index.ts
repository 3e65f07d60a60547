export { createSnmpClient } from './client.ts';
export type { SnmpClientOptions } from './client.ts';
export { SnmpError, SnmpType, PduTag } from './types.ts';
export type { SnmpClient, SnmpClientStats, SnmpErrorKind, SnmpRequestOptions, SnmpTarget, SnmpWalkOptions, Varbind, VarbindValue } from './types.ts';
export { compareOids, indexAfter, isUnder, normalizeOid } from './oid.ts';
export { asBigInt, asMac, asNumber, asText, macFromBytes } from './values.ts';
export { BerError, decodeMessage, encodeMessage } from './ber.ts';
export type { SnmpMessage } from './ber.ts';
