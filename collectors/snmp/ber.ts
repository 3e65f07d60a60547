/** Strict BER codec for SNMP v1/v2c messages (see ber-encode.ts and ber-decode.ts). */
export { BerError } from './ber-error.ts';
export { encodeMessage, encodeOidContent, encodeRequest, encodeValueContent } from './ber-encode.ts';
export type { EncodeInput } from './ber-encode.ts';
export { decodeMessage, decodeOid } from './ber-decode.ts';
export type { SnmpMessage } from './ber-decode.ts';
