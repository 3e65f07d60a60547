/**
 * RADIUS packets on the wire (RFC 2865 section 3, RFC 2866, RFC 5176, RFC 5997): parse with every length checked,
 * encode with Message-Authenticator placed first (the BLAST-RADIUS mitigation, CVE-2024-3596), authenticators and
 * User-Password hiding (RFC 2865 5.2), CHAP (RFC 1994 via RFC 2865 5.3). Node's MD5/HMAC-MD5, comparisons in
 * constant time. Nothing here throws on hostile input: parse answers a reason instead.
 *
 * Why our own codec and not the `radius` npm package: see server/radius/README.md and bench/radius-codec.ts.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const CODE = {
  AccessRequest: 1,
  AccessAccept: 2,
  AccessReject: 3,
  AccountingRequest: 4,
  AccountingResponse: 5,
  AccessChallenge: 11,
  StatusServer: 12,
  DisconnectRequest: 40,
  DisconnectAck: 41,
  DisconnectNak: 42,
  CoaRequest: 43,
  CoaAck: 44,
  CoaNak: 45,
} as const;

export const HEADER_LENGTH = 20;
export const MAX_PACKET_LENGTH = 4096;
export const ATTR_USER_PASSWORD = 2;
export const ATTR_VENDOR_SPECIFIC = 26;
export const ATTR_PROXY_STATE = 33;
export const ATTR_MESSAGE_AUTHENTICATOR = 80;
const MA_LENGTH = 16;

/** One attribute as it travels. A Vendor-Specific sub-attribute carries vendor and vendorType; type stays 26. */
export interface Attribute {
  type: number;
  value: Buffer;
  vendor?: number;
  vendorType?: number;
}

export interface Packet {
  code: number;
  identifier: number;
  authenticator: Buffer;
  attributes: Attribute[];
  /** The packet's own bytes (the Length field's worth), for authenticator checks. */
  raw: Buffer;
  /** Offset of the Message-Authenticator's value in raw, or -1 when absent. */
  messageAuthenticatorAt: number;
}

export type ParseFault = 'truncated' | 'bad_length' | 'malformed_attribute' | 'duplicate_message_authenticator';
export type ParseResult = { ok: true; packet: Packet } | { ok: false; fault: ParseFault };

/**
 * Reads a datagram. Octets past the Length field are padding and ignored (RFC 2865 3); a datagram shorter than its
 * Length, a Length outside 20..4096, an attribute shorter than 2 or running past the end, or a Message-Authenticator
 * that is not 18 octets or appears twice is a fault.
 */
export function parsePacket(datagram: Buffer): ParseResult {
  if (datagram.length < HEADER_LENGTH) return { ok: false, fault: 'truncated' };
  const length = datagram.readUInt16BE(2);
  if (length < HEADER_LENGTH || length > MAX_PACKET_LENGTH) return { ok: false, fault: 'bad_length' };
  if (datagram.length < length) return { ok: false, fault: 'truncated' };
  const raw = datagram.subarray(0, length);
  const attributes: Attribute[] = [];
  let maAt = -1;
  let off = HEADER_LENGTH;
  while (off < length) {
    if (off + 2 > length) return { ok: false, fault: 'malformed_attribute' };
    const type = raw[off] as number;
    const len = raw[off + 1] as number;
    if (len < 2 || off + len > length) return { ok: false, fault: 'malformed_attribute' };
    const value = raw.subarray(off + 2, off + len);
    if (type === ATTR_MESSAGE_AUTHENTICATOR) {
      if (len !== 2 + MA_LENGTH) return { ok: false, fault: 'malformed_attribute' };
      if (maAt !== -1) return { ok: false, fault: 'duplicate_message_authenticator' };
      maAt = off + 2;
    }
    if (type === ATTR_VENDOR_SPECIFIC) pushVendorSpecific(attributes, value);
    else attributes.push({ type, value });
    off += len;
  }
  return {
    ok: true,
    packet: { code: raw[0] as number, identifier: raw[1] as number, authenticator: raw.subarray(4, 20), attributes, raw, messageAuthenticatorAt: maAt },
  };
}

/** RFC 2865 5.26's suggested layout: vendor id, then (vendor-type, vendor-length, value)*. Other layouts stay opaque. */
function pushVendorSpecific(out: Attribute[], value: Buffer): void {
  if (value.length < 4 || value[0] !== 0) {
    out.push({ type: ATTR_VENDOR_SPECIFIC, value });
    return;
  }
  const vendor = value.readUInt32BE(0);
  const subs: Attribute[] = [];
  let off = 4;
  while (off < value.length) {
    if (off + 2 > value.length) break;
    const vt = value[off] as number;
    const vl = value[off + 1] as number;
    if (vl < 2 || off + vl > value.length) break;
    subs.push({ type: ATTR_VENDOR_SPECIFIC, vendor, vendorType: vt, value: value.subarray(off + 2, off + vl) });
    off += vl;
  }
  if (off === value.length && subs.length > 0) out.push(...subs);
  else out.push({ type: ATTR_VENDOR_SPECIFIC, vendor, value });
}

export function findAttribute(p: Pick<Packet, 'attributes'>, type: number, vendor?: number): Buffer | undefined {
  for (const a of p.attributes) {
    if (vendor === undefined ? a.type === type && a.vendor === undefined : a.vendor === vendor && a.vendorType === type) return a.value;
  }
  return undefined;
}

export function stringAttribute(p: Pick<Packet, 'attributes'>, type: number): string | undefined {
  const v = findAttribute(p, type);
  return v === undefined ? undefined : v.toString('utf8');
}

export function integerAttribute(p: Pick<Packet, 'attributes'>, type: number): number | undefined {
  const v = findAttribute(p, type);
  return v === undefined || v.length !== 4 ? undefined : v.readUInt32BE(0);
}

export function ipv4Attribute(p: Pick<Packet, 'attributes'>, type: number): string | undefined {
  const v = findAttribute(p, type);
  return v === undefined || v.length !== 4 ? undefined : `${v[0]}.${v[1]}.${v[2]}.${v[3]}`;
}

// ---- values ------------------------------------------------------------------------------------------------

export const attr = {
  string: (type: number, s: string): Attribute => ({ type, value: Buffer.from(s, 'utf8') }),
  octets: (type: number, b: Buffer): Attribute => ({ type, value: b }),
  integer: (type: number, n: number): Attribute => ({ type, value: u32(n) }),
  ipv4: (type: number, ip: string): Attribute => ({ type, value: Buffer.from(ip.split('.').map((x) => Number(x))) }),
  vendorString: (vendor: number, vendorType: number, s: string): Attribute => ({ type: ATTR_VENDOR_SPECIFIC, vendor, vendorType, value: Buffer.from(s, 'utf8') }),
  vendorInteger: (vendor: number, vendorType: number, n: number): Attribute => ({ type: ATTR_VENDOR_SPECIFIC, vendor, vendorType, value: u32(n) }),
};

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(Math.max(0, Math.min(0xffffffff, Math.floor(n))), 0);
  return b;
}

// ---- encoding ----------------------------------------------------------------------------------------------

function attributeBytes(a: Attribute): Buffer {
  if (a.vendor !== undefined && a.vendorType !== undefined) {
    if (a.value.length > 247) throw new RangeError(`vendor attribute ${a.vendor}/${a.vendorType} is longer than 247 octets`);
    const b = Buffer.alloc(8 + a.value.length);
    b[0] = ATTR_VENDOR_SPECIFIC;
    b[1] = b.length;
    b.writeUInt32BE(a.vendor, 2);
    b[6] = a.vendorType;
    b[7] = 2 + a.value.length;
    a.value.copy(b, 8);
    return b;
  }
  if (a.vendor !== undefined) {
    // An opaque Vendor-Specific value kept as it came (vendor id + data).
    const body = Buffer.concat([u32(a.vendor), a.value]);
    if (body.length > 253) throw new RangeError('vendor attribute is longer than 253 octets');
    return Buffer.concat([Buffer.from([a.type, 2 + body.length]), body]);
  }
  if (a.value.length > 253) throw new RangeError(`attribute ${a.type} is longer than 253 octets`);
  return Buffer.concat([Buffer.from([a.type, 2 + a.value.length]), a.value]);
}

/** Header + attributes with room for a Message-Authenticator first (zeros) when `withMa`; authenticator as given. */
function assemble(code: number, identifier: number, authenticator: Buffer, attributes: readonly Attribute[], withMa: boolean): { buf: Buffer; maAt: number } {
  const parts: Buffer[] = [];
  if (withMa) parts.push(Buffer.from([ATTR_MESSAGE_AUTHENTICATOR, 2 + MA_LENGTH, ...new Array<number>(MA_LENGTH).fill(0)]));
  for (const a of attributes) {
    if (a.type === ATTR_MESSAGE_AUTHENTICATOR && a.vendor === undefined) continue;
    parts.push(attributeBytes(a));
  }
  const body = Buffer.concat(parts);
  const length = HEADER_LENGTH + body.length;
  if (length > MAX_PACKET_LENGTH) throw new RangeError(`packet of ${length} octets is longer than 4096`);
  const buf = Buffer.alloc(length);
  buf[0] = code;
  buf[1] = identifier & 0xff;
  buf.writeUInt16BE(length, 2);
  authenticator.copy(buf, 4, 0, 16);
  body.copy(buf, HEADER_LENGTH);
  return { buf, maAt: withMa ? HEADER_LENGTH + 2 : -1 };
}

function md5(...chunks: Buffer[]): Buffer {
  const h = createHash('md5');
  for (const c of chunks) h.update(c);
  return h.digest();
}

function hmacMd5(secret: Buffer, data: Buffer): Buffer {
  return createHmac('md5', secret).update(data).digest();
}

/**
 * A reply to `request`: Message-Authenticator first (computed with the request's authenticator in place, RFC 3579
 * 3.2; for an Accounting-Response to an Accounting-Request with zeros there, as FreeRADIUS computes and checks it),
 * Proxy-State copied from the request (RFC 2865 5.33), then the Response Authenticator.
 */
export function encodeReply(request: Pick<Packet, 'code' | 'identifier' | 'authenticator' | 'attributes'>, code: number, attributes: readonly Attribute[], secret: Buffer): Buffer {
  const proxy = request.attributes.filter((a) => a.type === ATTR_PROXY_STATE);
  const zeroed = code === CODE.AccountingResponse && request.code === CODE.AccountingRequest;
  const { buf, maAt } = assemble(code, request.identifier, zeroed ? Buffer.alloc(16) : request.authenticator, [...attributes, ...proxy], true);
  hmacMd5(secret, buf).copy(buf, maAt);
  if (zeroed) request.authenticator.copy(buf, 4);
  md5(buf, secret).copy(buf, 4);
  return buf;
}

/**
 * A request from us (Disconnect/CoA to a NAS; Access-, Accounting- and Status-Server requests from the test and
 * benchmark clients). Access-Request and Status-Server carry a random authenticator (User-Password is hidden with
 * it); the others carry MD5(packet with zeros + secret), computed after the Message-Authenticator (RFC 5176 3.5).
 */
export function encodeRequest(
  code: number,
  identifier: number,
  attributes: readonly Attribute[],
  secret: Buffer,
  options: { messageAuthenticator?: boolean; authenticator?: Buffer; password?: string } = {},
): Buffer {
  const random = code === CODE.AccessRequest || code === CODE.StatusServer;
  const authenticator = random ? (options.authenticator ?? randomBytes(16)) : Buffer.alloc(16);
  const all = options.password === undefined ? attributes : [{ type: ATTR_USER_PASSWORD, value: hidePassword(options.password, secret, authenticator) }, ...attributes];
  const withMa = options.messageAuthenticator ?? true;
  const { buf, maAt } = assemble(code, identifier, authenticator, all, withMa);
  if (withMa) hmacMd5(secret, buf).copy(buf, maAt);
  if (!random) md5(buf, secret).copy(buf, 4);
  return buf;
}

// ---- checks --------------------------------------------------------------------------------------------------

function equal(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The Message-Authenticator of a received packet. For Access-Request and Status-Server the authenticator field is
 * used as received; for Accounting, Disconnect and CoA requests it is zeroed; for replies it is the request's.
 */
export function messageAuthenticatorValid(p: Packet, secret: Buffer, requestAuthenticator?: Buffer): boolean {
  if (p.messageAuthenticatorAt < 0) return false;
  const copy = Buffer.from(p.raw);
  const got = Buffer.from(copy.subarray(p.messageAuthenticatorAt, p.messageAuthenticatorAt + MA_LENGTH));
  copy.fill(0, p.messageAuthenticatorAt, p.messageAuthenticatorAt + MA_LENGTH);
  if (requestAuthenticator !== undefined) requestAuthenticator.copy(copy, 4);
  else if (p.code !== CODE.AccessRequest && p.code !== CODE.StatusServer) copy.fill(0, 4, 20);
  return equal(hmacMd5(secret, copy), got);
}

/** Accounting-, Disconnect- and CoA-Request: the Request Authenticator is MD5(packet with zeros there + secret). */
export function requestAuthenticatorValid(p: Packet, secret: Buffer): boolean {
  const copy = Buffer.from(p.raw);
  copy.fill(0, 4, 20);
  return equal(md5(copy, secret), p.authenticator);
}

/** A reply's Response Authenticator (and its Message-Authenticator when present) against the request we sent. */
export function replyValid(reply: Packet, requestAuthenticator: Buffer, secret: Buffer): boolean {
  const copy = Buffer.from(reply.raw);
  requestAuthenticator.copy(copy, 4);
  if (!equal(md5(copy, secret), reply.authenticator)) return false;
  return reply.messageAuthenticatorAt < 0 || messageAuthenticatorValid(reply, secret, requestAuthenticator);
}

// ---- PAP and CHAP ------------------------------------------------------------------------------------------

/** RFC 2865 5.2: the password padded to 16-octet blocks, each XORed with MD5(secret + previous block). */
export function hidePassword(password: string, secret: Buffer, authenticator: Buffer): Buffer {
  const plain = Buffer.from(password, 'utf8');
  if (plain.length > 128) throw new RangeError('a User-Password is at most 128 octets');
  const out = Buffer.alloc(Math.max(16, Math.ceil(plain.length / 16) * 16));
  plain.copy(out);
  let prev = authenticator;
  for (let i = 0; i < out.length; i += 16) {
    const b = md5(secret, prev);
    for (let j = 0; j < 16; j++) out[i + j] = (out[i + j] as number) ^ (b[j] as number);
    prev = out.subarray(i, i + 16);
  }
  return out;
}

/** The password a User-Password hides, or null when its length is not 16..128 in whole blocks. */
export function revealPassword(hidden: Buffer, secret: Buffer, authenticator: Buffer): Buffer | null {
  if (hidden.length < 16 || hidden.length > 128 || hidden.length % 16 !== 0) return null;
  const out = Buffer.alloc(hidden.length);
  let prev = authenticator;
  for (let i = 0; i < hidden.length; i += 16) {
    const b = md5(secret, prev);
    for (let j = 0; j < 16; j++) out[i + j] = (hidden[i + j] as number) ^ (b[j] as number);
    prev = hidden.subarray(i, i + 16);
  }
  let end = out.length;
  while (end > 0 && out[end - 1] === 0) end--;
  return out.subarray(0, end);
}

/** PAP: the hidden password equals `expected` (constant time in the expected length). */
export function papMatches(revealed: Buffer, expected: string): boolean {
  return equal(revealed, Buffer.from(expected, 'utf8'));
}

/** CHAP: CHAP-Password = ident(1) + MD5(ident + password + challenge); the challenge is CHAP-Challenge or the authenticator. */
export function chapMatches(chapPassword: Buffer, challenge: Buffer, password: string): boolean {
  if (chapPassword.length !== 17) return false;
  const expect = md5(chapPassword.subarray(0, 1), Buffer.from(password, 'utf8'), challenge);
  return equal(expect, chapPassword.subarray(1));
}

/** Builds a CHAP-Password value (the NAS side: tests and the benchmark client). */
export function chapPassword(ident: number, password: string, challenge: Buffer): Buffer {
  const id = Buffer.from([ident & 0xff]);
  return Buffer.concat([id, md5(id, Buffer.from(password, 'utf8'), challenge)]);
}
