/**
 * BER encoding of SNMP v1/v2c messages into one buffer per message. OID encodings are cached because pollers send
 * the same OIDs again and again; `encodeRequest` builds a request (NULL values) without varbind objects.
 */
import { BerError } from './ber-error.ts';
import { SnmpType } from './types.ts';
import type { VarbindValue } from './types.ts';


function lengthSize(len: number): number {
  if (len < 0x80) return 1;
  if (len < 0x100) return 2;
  if (len < 0x10000) return 3;
  return 4;
}

function writeLength(buf: Buffer, pos: number, len: number): number {
  if (len < 0x80) {
    buf[pos] = len;
    return pos + 1;
  }
  if (len < 0x100) {
    buf[pos] = 0x81;
    buf[pos + 1] = len;
    return pos + 2;
  }
  if (len < 0x10000) {
    buf[pos] = 0x82;
    buf.writeUInt16BE(len, pos + 1);
    return pos + 3;
  }
  buf[pos] = 0x83;
  buf[pos + 1] = (len >> 16) & 0xff;
  buf.writeUInt16BE(len & 0xffff, pos + 2);
  return pos + 4;
}

/** Two's-complement minimal encoding of a signed 32-bit-or-so integer. */
function signedBytes(value: number): Buffer {
  const bytes: number[] = [];
  let v = Math.trunc(value);
  for (;;) {
    const b = v & 0xff;
    bytes.unshift(b);
    v = Math.floor(v / 256);
    if ((v === 0 && (b & 0x80) === 0) || (v === -1 && (b & 0x80) !== 0)) break;
  }
  return Buffer.from(bytes);
}

/** Minimal unsigned encoding (a leading 0 when the top bit is set) for Counter/Gauge/TimeTicks/Counter64. */
function unsignedBytes(value: number | bigint): Buffer {
  if (typeof value === 'number' && value >= 0 && value <= 0xffffffff) {
    const n = value >= 0x80000000 ? 5 : value >= 0x800000 ? 4 : value >= 0x8000 ? 3 : value >= 0x80 ? 2 : 1;
    const b = Buffer.allocUnsafe(n);
    if (n === 5) {
      b[0] = 0;
      b.writeUInt32BE(value, 1);
    } else {
      b.writeUIntBE(value, 0, n);
    }
    return b;
  }
  let v = BigInt(value);
  if (v < 0n) v = 0n;
  const bytes: number[] = [];
  do {
    bytes.unshift(Number(v & 0xffn));
    v >>= 8n;
  } while (v > 0n);
  if ((bytes[0] ?? 0) & 0x80) bytes.unshift(0);
  return Buffer.from(bytes);
}

const oidCache = new Map<string, Buffer>();

/** Content bytes of an OID (without tag/length). Throws BerError on a malformed dotted string. */
export function encodeOidContent(oid: string): Buffer {
  const cached = oidCache.get(oid);
  if (cached) return cached;
  const parts = oid.split('.');
  if (parts.length < 2) throw new BerError(`invalid OID "${oid}"`);
  const arcs = parts.map((p) => {
    if (!/^\d+$/.test(p)) throw new BerError(`invalid OID "${oid}"`);
    return Number(p);
  });
  const first = arcs[0] ?? 0;
  const second = arcs[1] ?? 0;
  if (first > 2 || (first < 2 && second > 39)) throw new BerError(`invalid OID "${oid}"`);
  const out: number[] = [];
  const pushArc = (arc: number): void => {
    if (arc > 0xffffffff) throw new BerError(`OID arc too large in "${oid}"`);
    const stack: number[] = [arc & 0x7f];
    let v = Math.floor(arc / 128);
    while (v > 0) {
      stack.unshift((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    out.push(...stack);
  };
  pushArc(first * 40 + second);
  for (let i = 2; i < arcs.length; i++) pushArc(arcs[i] ?? 0);
  const buf = Buffer.from(out);
  if (oidCache.size > 100_000) oidCache.clear();
  oidCache.set(oid, buf);
  return buf;
}

function valueContent(type: number, value: VarbindValue): Buffer {
  switch (type) {
    case SnmpType.Integer:
      return signedBytes(typeof value === 'number' ? value : Number(value ?? 0));
    case SnmpType.Counter32:
    case SnmpType.Gauge32:
    case SnmpType.TimeTicks:
    case SnmpType.Counter64:
      return unsignedBytes(typeof value === 'bigint' || typeof value === 'number' ? value : 0);
    case SnmpType.OctetString:
    case SnmpType.Opaque:
      if (Buffer.isBuffer(value)) return value;
      return Buffer.from(typeof value === 'string' ? value : '', 'utf8');
    case SnmpType.ObjectIdentifier:
      return encodeOidContent(typeof value === 'string' ? value : '0.0');
    case SnmpType.IpAddress: {
      const parts = (typeof value === 'string' ? value : '0.0.0.0').split('.').map(Number);
      return Buffer.from([parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0, parts[3] ?? 0]);
    }
    default:
      return Buffer.alloc(0);
  }
}

export interface EncodeInput {
  version: number;
  community: Buffer;
  pduTag: number;
  requestId: number;
  errorStatus: number;
  errorIndex: number;
  /** For requests pass `type: SnmpType.Null, value: null`. `content` (pre-encoded value bytes) skips encoding. */
  varbinds: ReadonlyArray<{ oid: string; type: number; value: VarbindValue; content?: Buffer }>;
}

/** Content bytes of a value as it goes on the wire (for callers that cache encodings). */
export function encodeValueContent(type: number, value: VarbindValue): Buffer {
  return value === null ? EMPTY : valueContent(type, value);
}

/** Bytes of a minimal two's-complement INTEGER content for a 32-bit signed value. */
function intSize(v: number): number {
  if (v >= -0x80 && v <= 0x7f) return 1;
  if (v >= -0x8000 && v <= 0x7fff) return 2;
  if (v >= -0x800000 && v <= 0x7fffff) return 3;
  return 4;
}

function writeInt(buf: Buffer, pos: number, v: number): number {
  const n = intSize(v);
  buf[pos] = 0x02;
  buf[pos + 1] = n;
  buf.writeIntBE(v, pos + 2, n);
  return pos + 2 + n;
}

const EMPTY = Buffer.alloc(0);

/** Encodes a whole SNMP message into a single Buffer (header integers must fit in 32 bits). */
export function encodeMessage(msg: EncodeInput): Buffer {
  const n = msg.varbinds.length;
  const oids: Buffer[] = new Array<Buffer>(n);
  const vals: Buffer[] = new Array<Buffer>(n);
  const inner: number[] = new Array<number>(n);
  let vbListLen = 0;
  for (let i = 0; i < n; i++) {
    const vb = msg.varbinds[i] as { oid: string; type: number; value: VarbindValue; content?: Buffer };
    const oid = encodeOidContent(vb.oid);
    const val = vb.content ?? (vb.type === SnmpType.Null || vb.value === null ? EMPTY : valueContent(vb.type, vb.value));
    const len = 1 + lengthSize(oid.length) + oid.length + 1 + lengthSize(val.length) + val.length;
    oids[i] = oid;
    vals[i] = val;
    inner[i] = len;
    vbListLen += 1 + lengthSize(len) + len;
  }
  const pduLen = 6 + intSize(msg.requestId) + intSize(msg.errorStatus) + intSize(msg.errorIndex) + 1 + lengthSize(vbListLen) + vbListLen;
  const cl = msg.community.length;
  const msgLen = 2 + intSize(msg.version) + 1 + lengthSize(cl) + cl + 1 + lengthSize(pduLen) + pduLen;
  const buf = Buffer.allocUnsafe(1 + lengthSize(msgLen) + msgLen);
  let p = 0;
  buf[p++] = 0x30;
  p = writeLength(buf, p, msgLen);
  p = writeInt(buf, p, msg.version);
  buf[p++] = 0x04;
  p = writeLength(buf, p, cl);
  p += msg.community.copy(buf, p);
  buf[p++] = msg.pduTag;
  p = writeLength(buf, p, pduLen);
  p = writeInt(buf, p, msg.requestId);
  p = writeInt(buf, p, msg.errorStatus);
  p = writeInt(buf, p, msg.errorIndex);
  buf[p++] = 0x30;
  p = writeLength(buf, p, vbListLen);
  for (let i = 0; i < n; i++) {
    const oid = oids[i] as Buffer;
    const val = vals[i] as Buffer;
    buf[p++] = 0x30;
    p = writeLength(buf, p, inner[i] as number);
    buf[p++] = 0x06;
    p = writeLength(buf, p, oid.length);
    p += oid.copy(buf, p);
    buf[p++] = (msg.varbinds[i] as { type: number }).type;
    p = writeLength(buf, p, val.length);
    p += val.copy(buf, p);
  }
  return buf;
}

/** A request PDU (all values NULL) straight from OID strings, without building varbind objects. */
export function encodeRequest(
  version: number,
  community: Buffer,
  pduTag: number,
  requestId: number,
  a: number,
  b: number,
  oidList: readonly string[],
): Buffer {
  const n = oidList.length;
  const oids: Buffer[] = new Array<Buffer>(n);
  let vbListLen = 0;
  for (let i = 0; i < n; i++) {
    const oid = encodeOidContent(oidList[i] as string);
    oids[i] = oid;
    const len = 1 + lengthSize(oid.length) + oid.length + 2;
    vbListLen += 1 + lengthSize(len) + len;
  }
  const pduLen = 6 + intSize(requestId) + intSize(a) + intSize(b) + 1 + lengthSize(vbListLen) + vbListLen;
  const cl = community.length;
  const msgLen = 2 + intSize(version) + 1 + lengthSize(cl) + cl + 1 + lengthSize(pduLen) + pduLen;
  const buf = Buffer.allocUnsafe(1 + lengthSize(msgLen) + msgLen);
  let p = 0;
  buf[p++] = 0x30;
  p = writeLength(buf, p, msgLen);
  p = writeInt(buf, p, version);
  buf[p++] = 0x04;
  p = writeLength(buf, p, cl);
  p += community.copy(buf, p);
  buf[p++] = pduTag;
  p = writeLength(buf, p, pduLen);
  p = writeInt(buf, p, requestId);
  p = writeInt(buf, p, a);
  p = writeInt(buf, p, b);
  buf[p++] = 0x30;
  p = writeLength(buf, p, vbListLen);
  for (let i = 0; i < n; i++) {
    const oid = oids[i] as Buffer;
    buf[p++] = 0x30;
    p = writeLength(buf, p, 1 + lengthSize(oid.length) + oid.length + 2);
    buf[p++] = 0x06;
    p = writeLength(buf, p, oid.length);
    p += oid.copy(buf, p);
    buf[p++] = SnmpType.Null;
    buf[p++] = 0;
  }
  return buf;
}
